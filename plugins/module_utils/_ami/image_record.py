# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The image record every module returns (documented once, at image_info's RETURN images), built from a DescribeImages entry."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import tag_list_to_dict


def _block_device_mapping(mapping):
    ebs = mapping.get("Ebs")
    record = {
        "device_name": mapping.get("DeviceName"),
        "virtual_name": mapping.get("VirtualName"),
        "no_device": mapping.get("NoDevice") is not None,
    }
    if ebs is not None:
        record["ebs"] = {
            "snapshot_id": ebs.get("SnapshotId"),
            "volume_size": ebs.get("VolumeSize"),
            "volume_type": ebs.get("VolumeType"),
            "iops": ebs.get("Iops"),
            "throughput": ebs.get("Throughput"),
            "encrypted": ebs.get("Encrypted"),
            "kms_key_id": ebs.get("KmsKeyId"),
            "delete_on_termination": ebs.get("DeleteOnTermination"),
        }
    return record


def snapshot_ids_of(image):
    """Snapshot ids behind an image's EBS block device mappings, in mapping order."""
    ids = []
    for mapping in image.get("BlockDeviceMappings", []):
        snapshot_id = (mapping.get("Ebs") or {}).get("SnapshotId")
        if snapshot_id and snapshot_id not in ids:
            ids.append(snapshot_id)
    return ids


def image_record(image, region, launch_permissions=None):
    """snake_case record of one image. ``launch_permissions`` is added only when it was asked for."""
    record = {
        "image_id": image.get("ImageId"),
        "region": region,
        "name": image.get("Name"),
        "description": image.get("Description"),
        "state": image.get("State"),
        "owner_id": image.get("OwnerId"),
        "owner_alias": image.get("ImageOwnerAlias"),
        "creation_date": image.get("CreationDate"),
        "architecture": image.get("Architecture"),
        "platform": image.get("Platform"),
        "platform_details": image.get("PlatformDetails"),
        "virtualization_type": image.get("VirtualizationType"),
        "root_device_type": image.get("RootDeviceType"),
        "root_device_name": image.get("RootDeviceName"),
        "boot_mode": image.get("BootMode"),
        "ena_support": image.get("EnaSupport"),
        "imds_support": image.get("ImdsSupport"),
        "tpm_support": image.get("TpmSupport"),
        "public": bool(image.get("Public")),
        "deprecation_time": image.get("DeprecationTime"),
        "deregistration_protection": image.get("DeregistrationProtection"),
        "image_location": image.get("ImageLocation"),
        "block_device_mappings": [_block_device_mapping(mapping) for mapping in image.get("BlockDeviceMappings", [])],
        "snapshot_ids": snapshot_ids_of(image),
        "product_codes": [
            {"product_code_id": code.get("ProductCodeId"), "product_code_type": code.get("ProductCodeType")}
            for code in image.get("ProductCodes", [])
        ],
        "tags": tag_list_to_dict(image.get("Tags")),
    }
    if launch_permissions is not None:
        record["launch_permissions"] = launch_permissions
    return record
