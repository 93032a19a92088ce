# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding one image in one region: by id, or by name among the caller's own images."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.filters import filter_list
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff, poll_until

# An image id that DescribeImages does not know yet right after creation is eventual consistency, not absence.
NOT_FOUND_CODES = ("InvalidAMIID.NotFound", "InvalidAMIID.Unavailable")
# States in which an image is, or will become, usable; failed/deregistered/error images are not adopted.
LIVE_STATES = ("available", "pending", "disabled")


class ImageFailedError(BakeryError):
    def __init__(self, image_id, region, reason):
        super().__init__("image %s in %s became failed: %s" % (image_id, region, reason))


class ImageLookup:
    """Reads images of one region through a ``RegionalApi`` for EC2."""

    def __init__(self, ec2_api):
        self.api = ec2_api

    def by_id(self, image_id):
        """The description of ``image_id``, or None if it does not exist (or no longer does)."""
        try:
            images = self.api.call("describe_images", ImageIds=[image_id], IncludeDeprecated=True, IncludeDisabled=True)["Images"]
        except BakeryError as error:
            if getattr(error, "code", None) in NOT_FOUND_CODES:
                return None
            raise
        return images[0] if images else None

    def own_by_name(self, name):
        """The caller's live image called ``name`` in this region (AMI names are unique per owner and region)."""
        images = self.api.paginate(
            "describe_images",
            "Images",
            Owners=["self"],
            Filters=filter_list({"name": name, "state": list(LIVE_STATES)}),
            IncludeDeprecated=True,
            IncludeDisabled=True,
        )
        return images[0] if images else None

    def wait_until_available(self, image_id, timeout, backoff=None):
        """Poll with backoff until the image is ``available``; an unknown id is retried (eventual consistency)."""

        def probe():
            image = self.by_id(image_id)
            if image is None:
                return False, "not yet visible"
            state = image.get("State")
            if state == "available":
                return True, image
            if state in ("failed", "error", "invalid", "deregistered"):
                reason = (image.get("StateReason") or {}).get("Message", state)
                raise ImageFailedError(image_id, self.api.region, reason)
            return False, state

        return poll_until(probe, "image %s in %s to become available" % (image_id, self.api.region), timeout, backoff or Backoff())
