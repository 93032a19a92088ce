"""AMI quotas: at most 5 public AMIs per account and Region, an AMI shared with at most 1,000 entities.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ami-quotas.html, default quota per Region):
"Public AMIs - The maximum number of public AMIs, including public AMIs in the Recycle Bin, allowed
per Region. 5"; "AMI sharing - The maximum number of entities (organizations, organizational units
(OUs), and accounts) that an AMI can be shared with in a Region. Note that if you share an AMI with an
organization or OU, the number of accounts in the organization or OU does not count towards the
quota. 1,000". Both apply whatever the account's age (config.account_profile).

Making a 6th AMI public: ModifyImageAttribute answers `ResourceLimitExceeded` "You have reached your
quota of 5 for the number of public images allowed in this Region. Deregister unused public images or
make them private, or request an increase in your public AMIs quota." (as reported, e.g.
github.com/ava-labs/avalanche-cli/pull/2317, github.com/NixOS/amis/issues/37). The error for the
sharing quota is not documented nor reported; the emulator answers `ResourceLimitExceeded` too (our
choice) and refuses only requests that would leave more than the quota. The sharing quota is adjustable
(the same page: "Adjustable: Yes"); `config.ami_sharing_quota` is the account's applied value (default 1,000),
so a test can model an account whose quota was raised. The emulator has no Recycle Bin, and an increase of the
public-AMI quota is not modelled. moto enforces neither quota.
"""

from __future__ import annotations

import functools

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.amis import AmiBackend

from ..config import emulator_config
from ._permission_requests import sharing_principals

PUBLIC = {"Group": "all"}
PUBLIC_AMIS_PER_REGION = 5
SHARING_ENTITIES_PER_AMI = 1000


def permissions_after(current: list[dict], to_add: list[dict], to_remove: list[dict]) -> list[dict]:
    """moto's order: every add, then every remove."""
    after = list(current)
    for permission in to_add:
        if permission not in after:
            after.append(permission)
    return [permission for permission in after if permission not in to_remove]


def public_images_of(backend) -> list:
    return [image for image in list(backend.amis.values()) if image.owner_id == backend.account_id and image.is_public]


def check_quotas(backend, image, to_add: list[dict], to_remove: list[dict]) -> None:
    after = permissions_after(image.launch_permissions, to_add, to_remove)
    if PUBLIC in after and not image.is_public and len(public_images_of(backend)) >= PUBLIC_AMIS_PER_REGION:
        raise EC2ClientError(
            "ResourceLimitExceeded",
            f"You have reached your quota of {PUBLIC_AMIS_PER_REGION} for the number of public images allowed in this "
            "Region. Deregister unused public images or make them private, or request an increase in your public AMIs quota.",
        )
    entities = len(sharing_principals(after))
    quota = emulator_config.ami_sharing_quota
    if entities > quota and entities > len(sharing_principals(image.launch_permissions)):
        raise EC2ClientError(
            "ResourceLimitExceeded",
            f"You have reached your quota of {quota} for the number of entities (accounts, "
            f"organizations and organizational units) an AMI can be shared with in this Region; the request would "
            f"share {image.id} with {entities}. Share with an organization or OU instead, or request an increase in "
            "your AMI sharing quota.",
        )


def install() -> None:
    original = AmiBackend.modify_image_attribute

    @functools.wraps(original)
    def modify_image_attribute(self, ami_id, launch_permissions_to_add, launch_permissions_to_remove):
        image = self.amis.get(ami_id)
        if image is not None:
            check_quotas(self, image, launch_permissions_to_add or [], launch_permissions_to_remove or [])
        return original(self, ami_id, launch_permissions_to_add, launch_permissions_to_remove)

    AmiBackend.modify_image_attribute = modify_image_attribute
