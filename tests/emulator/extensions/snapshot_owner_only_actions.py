"""Only a snapshot's owner may change who can create volumes from it (ModifySnapshotAttribute).

AWS (https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html,
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySnapshotAttribute.html): the owner
shares a snapshot by modifying its createVolumePermission; accounts it is shared with can create
volumes from it and copy it, not share it on. Neither page names the error for another account's
snapshot. The emulator answers, by analogy with AMIs (image_owner_only_actions.py; our choice):
HTTP 400 `AuthFailure` "Not authorized for snapshot:snap-..." when the caller may create volumes from
the snapshot (public, or shared with it), and `InvalidSnapshot.NotFound` "The snapshot 'snap-...' does
not exist." when it may not see it at all.

moto has one backend per account (see _accounts.py), so another account's own snapshots are out of
reach anyway (moto answers InvalidSnapshot.NotFound, with an empty message), but every backend holds
the snapshots of its fixture AMIs, owned by their publishers, and moto lets any account share them.
Installed after (outside) snapshot_create_volume_permission.py, so the ownership check comes first.
"""

from __future__ import annotations

import functools

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.elastic_block_store import ElasticBlockStore

from ._accounts import can_create_volume_from, find_snapshot


def check_owner(response) -> None:
    snapshot_id = response._get_param("SnapshotId")
    account_id = response.ec2_backend.account_id
    snapshot = find_snapshot(account_id, response.ec2_backend.region_name, snapshot_id) if snapshot_id else None
    if snapshot is None or snapshot.owner_id == account_id:
        return
    if can_create_volume_from(snapshot, account_id):
        raise EC2ClientError("AuthFailure", f"Not authorized for snapshot:{snapshot_id}")
    raise EC2ClientError("InvalidSnapshot.NotFound", f"The snapshot '{snapshot_id}' does not exist.")


def install() -> None:
    original = ElasticBlockStore.modify_snapshot_attribute

    @functools.wraps(original)
    def modify_snapshot_attribute(self):
        check_owner(self)
        return original(self)

    ElasticBlockStore.modify_snapshot_attribute = modify_snapshot_attribute
