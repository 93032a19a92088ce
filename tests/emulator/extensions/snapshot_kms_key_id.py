"""An encrypted snapshot carries the KMS key it is encrypted with (`KmsKeyId`), from wherever it came.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Snapshot.html): `kmsKeyId` - "The
Amazon Resource Name (ARN) of the KMS key that was used to protect the volume encryption key for the
parent volume." (https://docs.aws.amazon.com/ebs/latest/userguide/how-ebs-encryption-works.html):
"Snapshots that are created from encrypted volumes are automatically encrypted" - with the volume's
key. CreateImage (API_CreateImage.html) snapshots the instance's volumes, so an image of an instance
whose root volume is encrypted has an encrypted root snapshot, under that volume's key, and its block
device mapping says `Encrypted: true`. CopySnapshot (API_CopySnapshot.html): "Copies of encrypted
snapshots are encrypted"; without `KmsKeyId` the destination's default key for EBS is used.

moto 5.2.5 keeps `kms_key_id` on volumes but drops it when snapshotting them (DescribeSnapshots shows
`Encrypted: true` and no `KmsKeyId`), gives every CreateImage image a fresh unencrypted 15 GiB snapshot,
and stores CopySnapshot's `KmsKeyId` as given (an alias stays an alias) or not at all. RegisterImage
keeps the snapshots it is given (register_image_attributes.py), so it carries their keys; CopyImage's
keys are set by copy_image_encryption.py.
"""

from __future__ import annotations

import functools

from moto.ec2.models.amis import AmiBackend
from moto.ec2.models.elastic_block_store import EBSBackend


def _default_key_arn(backend) -> str:
    return backend.default_kms_key_id or backend._create_default_encryption_key()


def _root_volume(backend, instance):
    mapping = dict(instance.get_block_device_mapping)
    block = mapping.get(getattr(instance, "root_device_name", None)) or next(iter(mapping.values()), None)
    if block is None:
        return None
    return backend.volumes.get(block.volume_id)


def install() -> None:
    original_create_snapshot = EBSBackend.create_snapshot

    @functools.wraps(original_create_snapshot)
    def create_snapshot(self, volume_id, *args, **kwargs):
        snapshot = original_create_snapshot(self, volume_id, *args, **kwargs)
        if snapshot.encrypted and not snapshot.kms_key_id:
            snapshot.kms_key_id = snapshot.volume.kms_key_id or _default_key_arn(self)
        return snapshot

    EBSBackend.create_snapshot = create_snapshot

    original_copy_snapshot = EBSBackend.copy_snapshot

    @functools.wraps(original_copy_snapshot)
    def copy_snapshot(self, source_snapshot_id, source_region, description, kms_key_id):
        from .copy_image_encryption import resolve_key_arn

        snapshot = original_copy_snapshot(self, source_snapshot_id, source_region, description, kms_key_id)
        if kms_key_id:
            snapshot.kms_key_id = resolve_key_arn(self.account_id, self.region_name, kms_key_id) or kms_key_id
        elif snapshot.encrypted:
            snapshot.kms_key_id = _default_key_arn(self)
        return snapshot

    EBSBackend.copy_snapshot = copy_snapshot

    original_create_image = AmiBackend.create_image

    @functools.wraps(original_create_image)
    def create_image(self, instance_id, *args, **kwargs):
        image = original_create_image(self, instance_id, *args, **kwargs)
        volume = _root_volume(self, self.get_instance(instance_id))
        snapshot = image.ebs_snapshot
        if volume is None or snapshot is None:
            return image
        snapshot.volume.size = volume.size
        snapshot.encrypted = bool(volume.encrypted)
        snapshot.kms_key_id = (volume.kms_key_id or _default_key_arn(self)) if volume.encrypted else None
        for mapping in image.__dict__.get("_block_device_mappings") or []:
            ebs = mapping.get("Ebs") or {}
            if ebs.get("SnapshotId") == snapshot.id:
                ebs["Encrypted"] = snapshot.encrypted
        return image

    AmiBackend.create_image = create_image
