"""DisableImage removes every launch permission (the AMI becomes private); EnableImage does not restore them.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisableImage.html): "Sets the AMI
state to disabled and removes all launch permissions from the AMI. ... A disabled AMI can't be shared.
If an AMI was public or previously shared, it is made private. If an AMI was shared with an AWS
account, organization, or Organizational Unit, they lose access to the disabled AMI."
API_EnableImage.html: "Amazon Web Services accounts, organizations, and Organizational Units that lost
access to the AMI when it was disabled do not regain access automatically. Once the AMI is available,
it can be shared with them again." moto 5.2.5 only changes the state and keeps the permissions.
(Only the owner may disable or enable an AMI: image_owner_only_actions.py.)

Sharing a disabled AMI (ModifyImageAttribute adding launch permissions) is refused, as "A disabled AMI
can't be shared"; the reference names no error code: `OperationNotPermitted` is chosen by us.
"""

from __future__ import annotations

import functools

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.amis import AmiBackend


def install() -> None:
    original = AmiBackend.disable_image

    @functools.wraps(original)
    def disable_image(self, ami_id):
        result = original(self, ami_id)
        self.amis[ami_id].launch_permissions.clear()
        return result

    AmiBackend.disable_image = disable_image

    original_modify = AmiBackend.modify_image_attribute

    @functools.wraps(original_modify)
    def modify_image_attribute(self, ami_id, launch_permissions_to_add, launch_permissions_to_remove):
        image = self.amis.get(ami_id)
        if launch_permissions_to_add and image is not None and image.state == "disabled":
            raise EC2ClientError("OperationNotPermitted", f"The image {ami_id} is disabled; a disabled AMI can't be shared. Enable it first.")
        return original_modify(self, ami_id, launch_permissions_to_add, launch_permissions_to_remove)

    AmiBackend.modify_image_attribute = modify_image_attribute
