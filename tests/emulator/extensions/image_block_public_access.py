"""Image block public access: Get/Enable/DisableImageBlockPublicAccess, enforced by ModifyImageAttribute.

AWS: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableImageBlockPublicAccess.html
(`ImageBlockPublicAccessState` must be `block-new-sharing`; the response echoes it),
API_DisableImageBlockPublicAccess.html (response `unblocked`),
API_GetImageBlockPublicAccessState.html (`imageBlockPublicAccessState`: `block-new-sharing` or
`unblocked`; `managedBy`: `account` or `declarative-policy`), and the user guide
(block-public-access-to-amis.html): the setting is per account and Region; "When block public
access is enabled, any attempt to make an AMI public is automatically blocked. However, if you
already have public AMIs, they remain publicly available." AWS takes up to 10 minutes to apply
the setting; here it applies at once. The refusal is not in the API reference; AWS answers
`OperationNotPermitted` "You can't publicly share this image because block public access for AMIs is
enabled for this account. To publicly share the image, you must call the DisableImageBlockPublicAccess
API." (as reported in github.com/hortonworks/cloudbreak-images/pull/926). moto implements none of this.

Default (block-public-access-to-amis.html, "Default settings"): "New accounts: Enabled"; existing
accounts with no public AMIs: Enabled; existing accounts that had public AMIs: Disabled. Here the
default is `unblocked` for `config.account_profile` "existing" (the emulator's accounts are taken to
have had public AMIs) and `block-new-sharing` for "new", in every account and region, until
Enable/DisableImageBlockPublicAccess sets it.

EnableImageBlockPublicAccess with any state but `block-new-sharing` answers `InvalidParameterValue`
(code chosen by us; "Specify block-new-sharing to enable block public access for AMIs at the account
level in the specified Region.").
"""

from __future__ import annotations

import functools

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.amis import AmisResponse

from ..config import emulator_config

BLOCKED = "block-new-sharing"
BLOCKED_MESSAGE = (
    "You can't publicly share this image because block public access for AMIs is enabled for this account. "
    "To publicly share the image, you must call the DisableImageBlockPublicAccess API."
)
UNBLOCKED = "unblocked"
_STATE_ATTRIBUTE = "_image_block_public_access_state"


def block_public_access_state(backend) -> str:
    default = BLOCKED if emulator_config.account_profile == "new" else UNBLOCKED
    return backend.__dict__.get(_STATE_ATTRIBUTE, default)


def get_image_block_public_access_state(self):
    return ActionResult({"ImageBlockPublicAccessState": block_public_access_state(self.ec2_backend), "ManagedBy": "account"})


def enable_image_block_public_access(self):
    state = self._get_param("ImageBlockPublicAccessState")
    if state != BLOCKED:
        raise EC2ClientError("InvalidParameterValue", f"ImageBlockPublicAccessState must be {BLOCKED}, got '{state}'")
    self.error_on_dryrun()
    self.ec2_backend.__dict__[_STATE_ATTRIBUTE] = BLOCKED
    return ActionResult({"ImageBlockPublicAccessState": BLOCKED})


def disable_image_block_public_access(self):
    self.error_on_dryrun()
    self.ec2_backend.__dict__[_STATE_ATTRIBUTE] = UNBLOCKED
    return ActionResult({"ImageBlockPublicAccessState": UNBLOCKED})


def _makes_public(response) -> bool:
    added = (response._get_param("LaunchPermission", {}) or {}).get("Add", []) or []
    if any(permission.get("Group") == "all" for permission in added):
        return True
    return response._get_param("OperationType") == "add" and "all" in (response._get_param("UserGroups", []) or [])


def install() -> None:
    AmisResponse.get_image_block_public_access_state = get_image_block_public_access_state
    AmisResponse.enable_image_block_public_access = enable_image_block_public_access
    AmisResponse.disable_image_block_public_access = disable_image_block_public_access

    original = AmisResponse.modify_image_attribute

    @functools.wraps(original)
    def modify_image_attribute(self):
        if _makes_public(self) and block_public_access_state(self.ec2_backend) == BLOCKED:
            raise EC2ClientError("OperationNotPermitted", BLOCKED_MESSAGE)
        return original(self)

    AmisResponse.modify_image_attribute = modify_image_attribute
