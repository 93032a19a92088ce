"""CopyImage encrypts the copy's snapshots as asked (`Encrypted`, `KmsKeyId`).

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html):
`Encrypted` - "Specifies whether the destination snapshots of the copied image should be
encrypted. You can encrypt a copy of an unencrypted snapshot, but you cannot create an
unencrypted copy of an encrypted snapshot. The default KMS key for Amazon EBS is used
unless you specify a non-default AWS KMS key using KmsKeyId." `KmsKeyId` - a key id,
alias, key ARN or alias ARN; "If you specify a KMS key, you must also set the encrypted
state to true"; "The specified KMS key must exist in the destination Region"; "Amazon Web
Services parses KmsKeyId asynchronously, meaning that the action you call may appear to
complete even though you provided an invalid identifier. This action will eventually
report failure." So an unknown key gives an image id whose image is `failed`, with a
`StateReason`. The copy has snapshots of its own (one per EBS mapping of the source), and
DescribeImages shows `Encrypted` on each mapping; DescribeSnapshots shows `KmsKeyId`.
moto ignores both parameters and gives every copy one unencrypted 15 GiB snapshot.

Errors: `KmsKeyId` without `Encrypted` answers `InvalidParameterDependency` (the reference states the
rule, not its code: chosen by us); an unknown key fails the copy with the state reason code
`Client.InvalidKMSKey.NotFound` (chosen by us).
"""

from __future__ import annotations

import functools

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.amis import AmisResponse

from ._accounts import find_image, find_snapshot
from .kms_aws_managed_keys import EBS_ALIAS, aws_managed_key


def _is_true(value) -> bool:
    return str(value).lower() == "true"


def resolve_key_arn(account_id: str, region: str, key_id: str) -> str | None:
    """The ARN of ``key_id`` in ``region`` (AWS managed aliases are created on first use), or None if unknown."""
    from moto.kms import kms_backends

    kms = kms_backends[account_id][region]
    if key_id == EBS_ALIAS or key_id.endswith(":" + EBS_ALIAS):
        return aws_managed_key(kms, EBS_ALIAS).arn
    if key_id.startswith("arn:") and key_id.split(":")[3] != region:
        return None
    try:
        return kms.describe_key(key_id).arn
    except Exception:  # moto raises KeyError or its NotFoundException for unknown ids and aliases
        return None


def _source_snapshots(account_id: str, source_region: str, source_image) -> list:
    snapshots = []
    for mapping in source_image.block_device_mappings:
        snapshot_id = (mapping.get("Ebs") or {}).get("SnapshotId")
        snapshots.append(find_snapshot(account_id, source_region, snapshot_id) if snapshot_id else None)
    return snapshots


def copy_image_response(original):
    @functools.wraps(original)
    def copy_image(self):
        is_encrypted = _is_true(self._get_param("Encrypted", "false"))
        kms_key_id = self._get_param("KmsKeyId")
        if kms_key_id and not is_encrypted:
            raise EC2ClientError("InvalidParameterDependency", "The parameter KmsKeyId requires the parameter Encrypted to be set.")
        result = original(self)
        backend = self.ec2_backend
        image = backend.amis[result.result["ImageId"]]
        source_region = self._get_param("SourceRegion")
        source_image = find_image(backend.account_id, source_region, self._get_param("SourceImageId"))
        source_snapshots = _source_snapshots(backend.account_id, source_region, source_image)
        is_encrypted = is_encrypted or any(snapshot is not None and snapshot.encrypted for snapshot in source_snapshots)

        key_arn = None
        if kms_key_id:
            key_arn = resolve_key_arn(backend.account_id, backend.region_name, kms_key_id)
            if key_arn is None:
                image.state = "failed"
                image.state_reason = {
                    "Code": "Client.InvalidKMSKey.NotFound",
                    "Message": f"Client.InvalidKMSKey.NotFound: The KMS key '{kms_key_id}' does not exist in {backend.region_name}",
                }
        elif is_encrypted:
            key_arn = backend.default_kms_key_id or backend._create_default_encryption_key()

        mappings = []
        first_snapshot = image.ebs_snapshot
        for index, mapping in enumerate(source_image.block_device_mappings):
            entry = {key: value for key, value in mapping.items() if key != "Ebs"}
            ebs = mapping.get("Ebs")
            if ebs:
                ebs = dict(ebs)
                source_snapshot = source_snapshots[index]
                if source_snapshot is not None:
                    if index == 0 or first_snapshot is None:
                        snapshot = first_snapshot
                        first_snapshot = None
                    else:
                        volume = backend.create_volume(size=source_snapshot.volume.size, zone_name=f"{backend.region_name}a")
                        snapshot = backend.create_snapshot(volume.id, f"Copied for DestinationAmi {image.id}", from_ami=image.id)
                        backend.delete_volume(volume.id)
                    snapshot.volume.size = source_snapshot.volume.size
                    snapshot.description = (
                        f"Copied for DestinationAmi {image.id} from SourceAmi {source_image.id} "
                        f"for SourceSnapshot {source_snapshot.id}"
                    )
                    snapshot.encrypted = is_encrypted
                    snapshot.kms_key_id = key_arn if is_encrypted else None
                    ebs["SnapshotId"] = snapshot.id
                ebs["Encrypted"] = is_encrypted
                ebs.pop("KmsKeyId", None)
                entry["Ebs"] = ebs
            mappings.append(entry)
        image._block_device_mappings = mappings
        image.root_device_name = source_image.root_device_name
        image.root_device_type = source_image.root_device_type
        for attribute in ("boot_mode", "ena_support", "imds_support", "tpm_support"):
            if getattr(source_image, attribute, None) is not None:
                setattr(image, attribute, getattr(source_image, attribute))
        return result

    return copy_image


def install() -> None:
    AmisResponse.copy_image = copy_image_response(AmisResponse.copy_image)
