"""CreateImage tags the new image's snapshots with the `snapshot` TagSpecifications.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html,
`TagSpecification.N`): "To tag the snapshots that are created of the root volume and of
other Amazon EBS volumes that are attached to the instance, the value for ResourceType
must be snapshot. The same tag is applied to all of the snapshots that are created."
`image` specifications tag the image. moto raises NotImplementedError for `snapshot`.
`BlockDeviceMappings` and `NoReboot` are accepted (moto ignores them; the emulator has no
real volumes to reboot or resize).
"""

from __future__ import annotations

import functools

from moto.ec2.models.amis import AmiBackend


def _tags_of(specifications: list[dict], resource_type: str) -> dict[str, str]:
    tags = {}
    for specification in specifications:
        if specification.get("ResourceType") == resource_type:
            for tag in specification.get("Tags", []) or []:
                tags[tag["Key"]] = tag.get("Value", "")
    return tags


def install() -> None:
    original = AmiBackend.create_image

    @functools.wraps(original)
    def create_image(self, instance_id, name, description, tag_specifications, *args, **kwargs):
        specifications = tag_specifications or []
        image_specifications = [spec for spec in specifications if spec.get("ResourceType") != "snapshot"]
        image = original(self, instance_id, name, description, image_specifications, *args, **kwargs)
        snapshot_tags = _tags_of(specifications, "snapshot")
        if snapshot_tags:
            snapshot_ids = [mapping["Ebs"]["SnapshotId"] for mapping in image.block_device_mappings if mapping.get("Ebs")]
            self.create_tags(snapshot_ids, snapshot_tags)
        return image

    AmiBackend.create_image = create_image
