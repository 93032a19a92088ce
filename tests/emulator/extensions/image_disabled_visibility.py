"""Disabled AMIs are left out of DescribeImages unless `IncludeDisabled` is true.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html):
"IncludeDisabled: Specifies whether to include disabled AMIs. Default: No disabled AMIs are
included in the response." A disabled AMI is private and visible only to its owner
(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/disable-an-ami.html). moto implements
DisableImage (state `disabled`) but lists disabled images like any other.
"""

from __future__ import annotations

import functools

from moto.core.responses import ActionResult
from moto.ec2.responses.amis import AmisResponse


def install() -> None:
    original = AmisResponse.describe_images

    @functools.wraps(original)
    def describe_images(self):
        result = original(self)
        if str(self._get_param("IncludeDisabled", "false")).lower() == "true":
            return result
        images = [image for image in result.result["Images"] if image.state != "disabled"]
        return ActionResult({**result.result, "Images": images})

    AmisResponse.describe_images = describe_images
