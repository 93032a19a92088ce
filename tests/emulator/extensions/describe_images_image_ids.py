"""DescribeImages refuses a malformed image id in `ImageIds` with `InvalidAMIID.Malformed`.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html):
"InvalidAMIID.Malformed: The specified AMI ID is malformed. Ensure that you provide the full AMI ID,
in the form ami-xxxxxxxx." Ids are `ami-` and 8 or 17 lowercase hexadecimal digits
(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html: "Prior to January 2016, the
IDs assigned to newly created resources of certain resource types used 8 characters after the hyphen
(for example, i-1a2b3c4d). From January 2016 to June 2018, we changed the IDs of these resource types
to use 17 characters after the hyphen (for example, i-1234567890abcdef0)."). moto 5.2.5 checks only
the `ami-` prefix, so
`ami-xyz` answered `InvalidAMIID.NotFound`, and a caller that treats NotFound as "gone" would take a
typo for a deleted image. Uppercase hexadecimal digits count as malformed: AWS never makes them,
and whether it accepts them is not documented (strict, chosen by us).
"""

from __future__ import annotations

import functools
import re

from moto.ec2.exceptions import MalformedAMIIdError
from moto.ec2.responses.amis import AmisResponse

IMAGE_ID = re.compile(r"ami-(?:[0-9a-f]{8}|[0-9a-f]{17})")


def install() -> None:
    original = AmisResponse.describe_images

    @functools.wraps(original)
    def describe_images(self):
        malformed = [image_id for image_id in self._get_param("ImageIds", []) or [] if not IMAGE_ID.fullmatch(str(image_id))]
        if malformed:
            raise MalformedAMIIdError(malformed)
        return original(self)

    AmisResponse.describe_images = describe_images
