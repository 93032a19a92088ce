"""RegisterImage keeps what it is given; CreateImage images describe their real root.

AWS RegisterImage (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RegisterImage.html):
an EBS-backed image is registered from `BlockDeviceMappings` whose root entry
(`RootDeviceName`) points at a snapshot, and the image's snapshots are exactly those of
its mappings; an instance-store image is registered from an S3 `ImageLocation`
(manifest). `Architecture`, `BootMode`, `EnaSupport`, `ImdsSupport` ("v2.0"),
`TpmSupport` ("v2.0"), `SriovNetSupport` and `VirtualizationType` are returned by
DescribeImages as given. moto 5.2.5 reads only Name and Description, and invents a
15 GiB snapshot for every image.

AWS CreateImage (API_CreateImage.html): the image is EBS-backed, its root device is the
instance's root device, and it inherits architecture, boot mode, ENA, IMDS and TPM
support from the instance (so from the instance's AMI).

Errors: a mapping naming an unknown snapshot answers `InvalidSnapshot.NotFound` (listed on
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html); a request with neither
`ImageLocation` nor a root mapping with a snapshot answers `InvalidParameterCombination` ("Indicates an
incorrect combination of parameters, or a missing parameter."; using it here is chosen by us).
"""

from __future__ import annotations

import functools

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.amis import Ami, AmiBackend
from moto.ec2.responses.amis import AmisResponse

from ._accounts import find_image

_original_block_device_mappings = Ami.block_device_mappings
INHERITED_FROM_SOURCE_IMAGE = ("boot_mode", "ena_support", "imds_support", "tpm_support", "architecture", "virtualization_type")


def _as_bool(value) -> bool | None:
    if value is None:
        return None
    return str(value).lower() == "true"


def _block_device_mappings(image: Ami) -> list[dict]:
    mappings = image.__dict__.get("_block_device_mappings")
    if mappings is not None:
        return mappings
    return _original_block_device_mappings.fget(image)


def normalize_mappings(backend, mappings: list[dict]) -> list[dict]:
    normalized = []
    for index, mapping in enumerate(mappings):
        entry = {"DeviceName": mapping["DeviceName"]}
        if mapping.get("VirtualName"):
            entry["VirtualName"] = mapping["VirtualName"]
        ebs = mapping.get("Ebs")
        if ebs:
            snapshot_id = ebs.get("SnapshotId")
            if snapshot_id and snapshot_id not in backend.snapshots:
                raise EC2ClientError(
                    "InvalidSnapshot.NotFound",
                    f"BlockDeviceMapping.{index + 1}.Ebs.SnapshotId: the snapshot '{snapshot_id}' does not exist.",
                )
            volume_size = ebs.get("VolumeSize") or (backend.snapshots[snapshot_id].volume.size if snapshot_id else 8)
            entry["Ebs"] = {
                "DeleteOnTermination": _as_bool(ebs.get("DeleteOnTermination", "true")),
                "VolumeSize": int(volume_size),
                "VolumeType": ebs.get("VolumeType", "gp3"),
                "Encrypted": _as_bool(ebs.get("Encrypted")) or bool(snapshot_id and backend.snapshots[snapshot_id].encrypted),
            }
            if snapshot_id:
                entry["Ebs"]["SnapshotId"] = snapshot_id
            for optional in ("Iops", "Throughput", "KmsKeyId"):
                if ebs.get(optional) is not None:
                    entry["Ebs"][optional] = ebs[optional]
        normalized.append(entry)
    return normalized


def register_image_response(original):
    @functools.wraps(original)
    def register_image(self):
        mappings = normalize_mappings(self.ec2_backend, self._get_param("BlockDeviceMappings", []) or [])
        root_device_name = self._get_param("RootDeviceName")
        image_location = self._get_param("ImageLocation")
        if mappings and not root_device_name:
            root_device_name = mappings[0]["DeviceName"]
        root_mapping = next((m for m in mappings if m["DeviceName"] == root_device_name), None)
        if not image_location and not (root_mapping and root_mapping.get("Ebs", {}).get("SnapshotId")):
            raise EC2ClientError(
                "InvalidParameterCombination",
                "RegisterImage needs either ImageLocation (instance-store) or a BlockDeviceMapping for "
                "RootDeviceName with an Ebs.SnapshotId (EBS-backed)",
            )
        result = original(self)
        image = self.ec2_backend.amis[result.result["ImageId"]]

        # The snapshot moto invented for this image is not one AWS would have.
        invented_snapshot = image.ebs_snapshot
        self.ec2_backend.snapshots.pop(invented_snapshot.id, None)

        is_ebs_backed = bool(root_mapping and root_mapping.get("Ebs"))
        image.root_device_type = "ebs" if is_ebs_backed else "instance-store"
        image.root_device_name = root_device_name or "/dev/sda1"
        image.image_location = image_location or f"{self.ec2_backend.account_id}/{image.name}"
        image._block_device_mappings = mappings
        if is_ebs_backed:
            image.ebs_snapshot = self.ec2_backend.snapshots[root_mapping["Ebs"]["SnapshotId"]]
        image.architecture = self._get_param("Architecture", "i386")  # AWS's default for RegisterImage
        image.virtualization_type = self._get_param("VirtualizationType", "paravirtual")
        image.boot_mode = self._get_param("BootMode")
        image.ena_support = _as_bool(self._get_param("EnaSupport"))
        image.imds_support = self._get_param("ImdsSupport")
        image.tpm_support = self._get_param("TpmSupport")
        image.sriov = self._get_param("SriovNetSupport")
        return result

    return register_image


def create_image_backend(original):
    @functools.wraps(original)
    def create_image(self, instance_id, *args, **kwargs):
        image = original(self, instance_id, *args, **kwargs)
        instance = self.get_instance(instance_id)
        image.root_device_type = "ebs"
        image.root_device_name = getattr(instance, "root_device_name", None) or image.root_device_name
        root_volume_size = 8
        for volume in getattr(instance, "block_device_mapping", {}).values():
            root_volume_size = getattr(volume, "size", root_volume_size)
            break
        image._block_device_mappings = [
            {
                "DeviceName": image.root_device_name,
                "Ebs": {
                    "DeleteOnTermination": True,
                    "SnapshotId": image.ebs_snapshot.id,
                    "VolumeSize": int(root_volume_size),
                    "VolumeType": "gp3",
                    "Encrypted": bool(image.ebs_snapshot.encrypted),
                },
            }
        ]
        source_image = find_image(self.account_id, self.region_name, getattr(instance, "image_id", None))  # also a shared image
        if source_image is not None:
            for attribute in INHERITED_FROM_SOURCE_IMAGE:
                value = getattr(source_image, attribute, None)
                if value is not None:
                    setattr(image, attribute, value)
        return image

    return create_image


def install() -> None:
    Ami.block_device_mappings = property(_block_device_mappings)
    AmisResponse.register_image = register_image_response(AmisResponse.register_image)
    AmiBackend.create_image = create_image_backend(AmiBackend.create_image)
