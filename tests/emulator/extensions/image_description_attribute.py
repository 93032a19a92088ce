"""ModifyImageAttribute `Description`: moto accepts the call but ignores the new description.

AWS: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyImageAttribute.html —
`Description`: "A new description for the AMI." `Description.Value` (or `Attribute=description` with
`Value`) replaces the AMI's description, at most 255 characters; DescribeImages and
DescribeImageAttribute then return it. A longer description answers `InvalidParameterValue` (code
chosen by us; the limit's error is not documented).
This wraps whatever ModifyImageAttribute handler is installed, so launch-permission handling
(moto's or another extension's) still runs for calls that carry permissions.
"""

from __future__ import annotations

import functools

from moto.core.responses import EmptyResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.amis import AmisResponse

MAX_DESCRIPTION_LENGTH = 255


def _requested_description(response):
    description = response._get_param("Description")
    if isinstance(description, dict):
        return description.get("Value")
    if response._get_param("Attribute") == "description":
        return response._get_param("Value")
    return None


def install() -> None:
    original = AmisResponse.modify_image_attribute

    @functools.wraps(original)
    def modify_image_attribute(self):
        description = _requested_description(self)
        if description is None:
            return original(self)
        if len(description) > MAX_DESCRIPTION_LENGTH:
            raise EC2ClientError("InvalidParameterValue", f"Description is longer than {MAX_DESCRIPTION_LENGTH} characters")
        image = self.ec2_backend.describe_images(ami_ids=[self._get_param("ImageId")])[0]
        self.error_on_dryrun()
        image.description = description
        if self._get_param("LaunchPermission") or self._get_param("OperationType"):
            return original(self)
        return EmptyResult()

    AmisResponse.modify_image_attribute = modify_image_attribute
