# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``image_info``'s work: run an ``ImageQuery`` in every region at once and shape the answer."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.image_record import image_record
from ansible_collections.bakery.ami.plugins.module_utils._ami.image_selection import newest, newest_first
from ansible_collections.bakery.ami.plugins.module_utils._ami.launch_permissions import describe_launch_permissions
from ansible_collections.bakery.ami.plugins.module_utils._ami.ssm_public_parameters import resolve_image_id
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import RegionsFailedError
from ansible_collections.bakery.ami.plugins.module_utils._aws.region_fanout import fan_out


class ImageFinder:
    """Finds the images of an ``ImageQuery``: one DescribeImages per region (all pages), regions concurrently."""

    def __init__(self, client_factory, query, max_concurrency=None):
        self.client_factory = client_factory
        self.query = query
        self.max_concurrency = max_concurrency
        self._caller_account_id = None

    def find(self):
        if self.query.describe_launch_permissions:
            self._caller_account_id = self._caller_account()
        outcome = fan_out(self.query.regions, self._find_in_region, self.max_concurrency)
        if outcome.failed:
            raise RegionsFailedError(outcome.error_messages())
        return self._result(outcome.results)

    def images_in_region(self, region):
        """DescribeImages entries matching the query in ``region``, newest first."""
        ec2 = self.client_factory.api("ec2", region)
        image_ids = None
        if self.query.ssm_parameter:
            image_ids = [resolve_image_id(self.client_factory.api("ssm", region), self.query.ssm_parameter)]
        images = ec2.paginate("describe_images", "Images", **self.query.describe_images_params(image_ids))
        return newest_first(image for image in images if self.query.matches_locally(image))

    def _find_in_region(self, region):
        images = self.images_in_region(region)
        if self.query.most_recent:
            images = [image for image in [newest(images)] if image is not None]
        return [self._record(image, region) for image in images]

    def _record(self, image, region):
        if not self.query.describe_launch_permissions:
            return image_record(image, region)
        if image.get("OwnerId") != self._caller_account_id:
            # Only an image's owner may read its launch permissions; others are left without the key.
            return image_record(image, region)
        permissions = describe_launch_permissions(self.client_factory.api("ec2", region), image["ImageId"])
        return image_record(image, region, launch_permissions=permissions)

    def _caller_account(self):
        return self.client_factory.api("sts", self.query.regions[0]).call("get_caller_identity")["Account"]

    def _result(self, records_by_region):
        ordered_regions = [region for region in self.query.regions if region in records_by_region]
        images = newest_first_records(record for region in ordered_regions for record in records_by_region[region])
        result = {"changed": False, "images": images}
        if self.query.most_recent:
            newest_by_region = dict(
                (region, records_by_region[region][0] if records_by_region[region] else {}) for region in ordered_regions
            )
            if len(ordered_regions) == 1:
                result["image"] = newest_by_region[ordered_regions[0]]
            else:
                result["images_by_region"] = newest_by_region
        elif len(ordered_regions) > 1:
            result["images_by_region"] = dict((region, records_by_region[region]) for region in ordered_regions)
        return result


def newest_first_records(records):
    return sorted(records, key=lambda record: (record.get("creation_date") or "", record.get("image_id") or ""), reverse=True)
