"""ModifySnapshotAttribute accepts the `CreateVolumePermission` Add/Remove form, one direction at a time.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySnapshotAttribute.html):
two request forms - `Attribute=createVolumePermission` with `CreateVolumePermission.Add.N` /
`CreateVolumePermission.Remove.N` (each a `CreateVolumePermission`: `UserId` or `Group=all`,
API_CreateVolumePermissionModifications.html), or `OperationType` (add/remove) with
`UserId.N` / `UserGroup.N`. "You may add or remove specified Amazon Web Services account IDs from a
snapshot's list of create volume permissions, but you cannot do both in a single operation. If you
need to both add and remove account IDs for a snapshot, you must use multiple operations. You can
make up to 500 modifications to a snapshot in a single operation." "Encrypted snapshots and
snapshots with AWS Marketplace product codes cannot be made public." Organizations and OUs are
not principals of create-volume permissions. moto 5.2.5 implements the OperationType form only
and silently ignores the other, so the emulator adds it with moto's own validation.

The API reference names no error code for the two refusals; the emulator answers (our choice)
`InvalidParameterCombination` for Add and Remove in one request, and `InvalidParameterValue` for
more than 500 modifications (in either form).

Also refused: a user id that is not a 12-digit account id, with `InvalidAMIAttributeItemValue` (moto's
answer for the OperationType form, kept for both; errors-overview.html gives it for image attributes:
"The value of an item added to, or removed from, an image attribute is not valid": for snapshots
chosen by us), and making an encrypted snapshot public, with `OperationNotPermitted` (chosen by us).
"""

from __future__ import annotations

import functools

from moto.core.responses import EmptyResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.elastic_block_store import ElasticBlockStore

from ._permission_requests import snapshot_permission_changes

MAX_MODIFICATIONS = 500


def _split(permissions: list[dict]) -> tuple[list[str], list[str]]:
    user_ids = [permission["UserId"] for permission in permissions if permission.get("UserId")]
    groups = [permission["Group"] for permission in permissions if permission.get("Group")]
    return user_ids, groups


def check_one_direction_within_limit(response) -> None:
    added, removed = snapshot_permission_changes(response)
    if added and removed:
        raise EC2ClientError(
            "InvalidParameterCombination",
            "You may add or remove account IDs from a snapshot's create volume permissions, but you cannot do both "
            "in a single operation.",
        )
    if len(added) + len(removed) > MAX_MODIFICATIONS:
        raise EC2ClientError(
            "InvalidParameterValue",
            f"You can make up to {MAX_MODIFICATIONS} modifications to a snapshot in a single operation; "
            f"the request has {len(added) + len(removed)}.",
        )


def install() -> None:
    original = ElasticBlockStore.modify_snapshot_attribute

    @functools.wraps(original)
    def modify_snapshot_attribute(self):
        check_one_direction_within_limit(self)
        modifications = self._get_param("CreateVolumePermission", {}) or {}
        if not modifications:
            return original(self)
        attribute = self._get_param("Attribute")
        if attribute not in (None, "createVolumePermission"):
            raise EC2ClientError("InvalidParameterCombination", f"CreateVolumePermission cannot be combined with Attribute '{attribute}'")
        snapshot_id = self._get_param("SnapshotId")
        add_users, add_groups = _split(modifications.get("Add", []) or [])
        remove_users, remove_groups = _split(modifications.get("Remove", []) or [])
        for user_id in add_users + remove_users:
            if len(user_id) != 12 or not user_id.isdigit():
                raise EC2ClientError("InvalidAMIAttributeItemValue", f'Invalid attribute item value "{user_id}" for userId item type.')
        snapshot = self.ec2_backend.get_snapshot(snapshot_id)
        if "all" in add_groups and snapshot.encrypted:
            raise EC2ClientError("OperationNotPermitted", "Encrypted snapshots cannot be shared publicly.")
        self.error_on_dryrun()
        if add_users or add_groups:
            self.ec2_backend.add_create_volume_permission(snapshot_id, user_ids=add_users, groups=add_groups)
        if remove_users or remove_groups:
            self.ec2_backend.remove_create_volume_permission(snapshot_id, user_ids=remove_users, groups=remove_groups)
        return EmptyResult()

    ElasticBlockStore.modify_snapshot_attribute = modify_snapshot_attribute
