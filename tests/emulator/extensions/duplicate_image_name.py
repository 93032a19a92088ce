"""AMI names are unique per owner and region, and must be well formed.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html, `Name`;
same for RegisterImage and CopyImage): "Constraints: 3-128 alphanumeric characters,
parentheses (()), square brackets ([]), spaces ( ), periods (.), slashes (/), dashes (-),
single quotes ('), at-signs (@), or underscores(_)". A name already used by an image of
the same account in that region is refused with `InvalidAMIName.Duplicate`; a name that
breaks the constraints with `InvalidAMIName.Malformed`
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
moto accepts both.
"""

from __future__ import annotations

import functools
import re

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.amis import AmiBackend

_VALID_NAME = re.compile(r"[A-Za-z0-9()\[\] ./\-'@_]{3,128}")


def check_image_name(backend, name: str | None) -> None:
    if name is None:
        return
    if not _VALID_NAME.fullmatch(name):
        raise EC2ClientError(
            "InvalidAMIName.Malformed",
            f"AMI name '{name}' is invalid: use 3-128 characters among letters, digits, "
            "spaces and ( ) [ ] . / - ' @ _",
        )
    for image in backend.amis.values():
        if image.name == name and image.owner_id == backend.account_id:
            raise EC2ClientError("InvalidAMIName.Duplicate", f"AMI name {name} is already in use by AMI {image.id}")


def _checking_name(create, name_position: int):
    @functools.wraps(create)
    def create_with_unique_name(self, *args, **kwargs):
        name = kwargs.get("name", args[name_position] if len(args) > name_position else None)
        check_image_name(self, name)
        return create(self, *args, **kwargs)

    return create_with_unique_name


def install() -> None:
    # Positions of `name` in moto 5.2.5's signatures (after self).
    for method_name, name_position in (("create_image", 1), ("register_image", 0), ("copy_image", 2)):
        setattr(AmiBackend, method_name, _checking_name(getattr(AmiBackend, method_name), name_position))
