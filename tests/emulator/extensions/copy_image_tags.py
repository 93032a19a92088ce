"""CopyImage tags the copy: `CopyImageTags` and `TagSpecifications` (image and snapshot).

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html):
`CopyImageTags` - "Indicates whether to include your user-defined AMI tags when copying
the AMI. The following tags will not be copied: System tags (prefixed with aws:); For
public and shared AMIs, user-defined tags that are attached by other AWS accounts.
Default: Your user-defined AMI tags are not copied." `TagSpecification.N` - "To tag the
new AMI, the value for ResourceType must be image. To tag the new snapshots, the value
for ResourceType must be snapshot. The same tag is applied to all the new snapshots. If
you specify other values for ResourceType, the request fails." Tags given in
TagSpecifications win over copied tags with the same key. moto ignores both.

A `ResourceType` other than image or snapshot answers `InvalidParameterValue` (the reference says only
that "the request fails": code chosen by us).
"""

from __future__ import annotations

import functools

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.amis import AmisResponse

from ._accounts import find_image

TAGGABLE_TYPES = ("image", "snapshot")


def _tags_by_type(specifications: list[dict]) -> dict[str, dict[str, str]]:
    tags: dict[str, dict[str, str]] = {resource_type: {} for resource_type in TAGGABLE_TYPES}
    for specification in specifications:
        resource_type = specification.get("ResourceType")
        if resource_type not in TAGGABLE_TYPES:
            raise EC2ClientError(
                "InvalidParameterValue", f"'{resource_type}' is not a valid taggable resource type for this operation."
            )
        for tag in specification.get("Tags", []) or []:
            tags[resource_type][tag["Key"]] = tag.get("Value", "")
    return tags


def copy_image_response(original):
    @functools.wraps(original)
    def copy_image(self):
        tags = _tags_by_type(self._get_param("TagSpecifications", []) or [])
        result = original(self)
        backend = self.ec2_backend
        image = backend.amis[result.result["ImageId"]]
        image_tags = {}
        if str(self._get_param("CopyImageTags", "false")).lower() == "true":
            source_image = find_image(backend.account_id, self._get_param("SourceRegion"), self._get_param("SourceImageId"))
            if source_image is not None and source_image.owner_id == backend.account_id:
                for tag in source_image.get_tags():
                    if not tag["key"].startswith("aws:"):
                        image_tags[tag["key"]] = tag["value"]
        image_tags.update(tags["image"])
        if image_tags:
            backend.create_tags([image.id], image_tags)
        if tags["snapshot"]:
            snapshot_ids = [mapping["Ebs"]["SnapshotId"] for mapping in image.block_device_mappings if (mapping.get("Ebs") or {}).get("SnapshotId")]
            if snapshot_ids:
                backend.create_tags(snapshot_ids, tags["snapshot"])
        return result

    return copy_image


def install() -> None:
    AmisResponse.copy_image = copy_image_response(AmisResponse.copy_image)
