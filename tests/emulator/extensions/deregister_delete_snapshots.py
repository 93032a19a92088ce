"""DeregisterImage `DeleteAssociatedSnapshots=true` deletes the image's snapshots.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeregisterImage.html):
"Specifies whether to delete the snapshots associated with the AMI during deregistration.
If a snapshot is associated with multiple AMIs, it is not deleted, regardless of this
setting." The response lists `deleteSnapshotResultSet` items {snapshotId, returnCode}
with returnCode `success`. moto ignores the parameter and keeps the snapshots.
"""

from __future__ import annotations

import functools

from moto.core.responses import ActionResult
from moto.ec2.responses.amis import AmisResponse


def image_snapshot_ids(image) -> list[str]:
    return [mapping["Ebs"]["SnapshotId"] for mapping in image.block_device_mappings if mapping.get("Ebs", {}).get("SnapshotId")]


def install() -> None:
    original = AmisResponse.deregister_image

    @functools.wraps(original)
    def deregister_image(self):
        delete_snapshots = str(self._get_param("DeleteAssociatedSnapshots", "false")).lower() == "true"
        image = self.ec2_backend.amis.get(self._get_param("ImageId"))
        snapshot_ids = image_snapshot_ids(image) if image is not None and delete_snapshots else []
        result = original(self)
        if not delete_snapshots:
            return result
        still_used = {snapshot_id for other in self.ec2_backend.amis.values() for snapshot_id in image_snapshot_ids(other)}
        deleted = []
        for snapshot_id in snapshot_ids:
            if snapshot_id in still_used or snapshot_id not in self.ec2_backend.snapshots:
                continue
            self.ec2_backend.snapshots.pop(snapshot_id)
            deleted.append({"SnapshotId": snapshot_id, "ReturnCode": "success"})
        return ActionResult({"Return": True, "DeleteSnapshotResults": deleted})

    AmisResponse.deregister_image = deregister_image
