"""Nothing encrypted with the AWS managed key (`alias/aws/ebs`) can be shared with other accounts.

AWS: "The encrypted snapshots must be encrypted with a KMS key. You can't share AMIs that are backed
by snapshots that are encrypted with the default AWS managed key."
(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html, "Encryption and keys");
"Snapshots encrypted with your default KMS key cannot be shared with other accounts."
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySnapshotAttribute.html).
The error codes are not in the API reference; AWS answers, as reported by Packer users:
- ModifyImageAttribute: `InvalidParameter` "Snapshots encrypted with the AWS Managed CMK can't be
  shared. Specify another snapshot." (github.com/hashicorp/packer/issues/7410);
- ModifySnapshotAttribute: `OperationNotPermitted` "Encrypted snapshots with EBS default key cannot be
  shared" (github.com/hashicorp/packer/issues/7499, issues/8271).
Refused: adding accounts, organizations or OUs to the launch permissions of an image one of whose
snapshots is encrypted with an AWS managed key (KeyManager AWS, see kms_aws_managed_keys.py), and
adding accounts to the create-volume permissions of such a snapshot. Removing is always allowed.
moto checks none of this.
"""

from __future__ import annotations

import functools

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.amis import AmiBackend
from moto.ec2.models.elastic_block_store import EBSBackend

from ._permission_requests import sharing_principals

IMAGE_MESSAGE = "Snapshots encrypted with the AWS Managed CMK can't be shared. Specify another snapshot."
SNAPSHOT_MESSAGE = "Encrypted snapshots with EBS default key cannot be shared"


def is_aws_managed_key(key_arn: str | None) -> bool:
    """Whether ``key_arn`` (arn:aws:kms:<region>:<account>:key/<id>) is an AWS managed key."""
    from moto.kms import kms_backends

    if not key_arn or not key_arn.startswith("arn:"):
        return False
    parts = key_arn.split(":")
    region, account_id, resource = parts[3], parts[4], parts[5]
    key = kms_backends[account_id][region].keys.get(resource.split("/", 1)[-1])
    return key is not None and getattr(key, "key_manager", None) == "AWS"


def has_aws_managed_key(snapshot) -> bool:
    return bool(snapshot is not None and snapshot.encrypted and is_aws_managed_key(snapshot.kms_key_id))


def _image_snapshots(backend, image) -> list:
    snapshot_ids = [(mapping.get("Ebs") or {}).get("SnapshotId") for mapping in image.block_device_mappings]
    return [backend.snapshots.get(snapshot_id) for snapshot_id in snapshot_ids if snapshot_id]


def install() -> None:
    # Backend level: both request forms of both actions (and every response-level wrapper) end here.
    original_image = AmiBackend.modify_image_attribute

    @functools.wraps(original_image)
    def modify_image_attribute(self, ami_id, launch_permissions_to_add, launch_permissions_to_remove):
        if sharing_principals(launch_permissions_to_add or []):
            image = self.amis.get(ami_id)
            if image is not None and any(has_aws_managed_key(snapshot) for snapshot in _image_snapshots(self, image)):
                raise EC2ClientError("InvalidParameter", IMAGE_MESSAGE)
        return original_image(self, ami_id, launch_permissions_to_add, launch_permissions_to_remove)

    AmiBackend.modify_image_attribute = modify_image_attribute

    original_snapshot = EBSBackend.add_create_volume_permission

    @functools.wraps(original_snapshot)
    def add_create_volume_permission(self, snapshot_id, user_ids, groups):
        if user_ids and has_aws_managed_key(self.snapshots.get(snapshot_id)):
            raise EC2ClientError("OperationNotPermitted", SNAPSHOT_MESSAGE)
        return original_snapshot(self, snapshot_id, user_ids, groups)

    EBSBackend.add_create_volume_permission = add_create_volume_permission
