# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Copy one AMI to many regions at once: plan (read-only) per region, copy per region concurrently, then wait for
all the copies together (copy_waiter.py).

A region is done when it holds a live copy of the source: an own image tagged
``bakery:source-image=<source region>/<source id>``, available or pending. Such a copy is
reused, never made again.

CopyImage carries a ``ClientToken`` derived from the request, so a request retried after a lost
response, or a re-run after a crash between CopyImage and its tagging becoming visible, gets the
same image back instead of a second copy
(https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html). AWS keeps answering a
token with the image it made, even after that image is gone ("A client token is valid for at least
24 hours after the termination of the instance", the same page for RunInstances). So the token also
names the copies of this request that are gone (failed, or deregistered): when CopyImage answers
with an image that is gone, the next token names it too, and a re-run walks the same chain of
tokens to the same live copy.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid

from ansible_collections.bakery.ami.plugins.module_utils._ami.image_lookup import ImageFailedError, ImageLookup
from ansible_collections.bakery.ami.plugins.module_utils._ami.image_record import image_record
from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import SOURCE_IMAGE_TAG
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError, InvalidInputError, RegionsPartlyFailedError
from ansible_collections.bakery.ami.plugins.module_utils._aws.filters import filter_list
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff, WaitTimeoutError, poll_until
from ansible_collections.bakery.ami.plugins.module_utils._aws.region_fanout import FanOutResult, fan_out
from ansible_collections.bakery.ami.plugins.module_utils._image_copy.copy_waiter import CopyWaiter
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import RESERVED_TAG_PREFIX, tag_dict_to_list, tag_list_to_dict

REUSABLE_STATES = ("available", "pending")
# Failed copies change the idempotency token: a copy that failed asynchronously (for instance a
# KMS key AWS could not use) must not be handed back for the same request forever.
FAILED_STATES = ("failed", "error")
# A copy CopyImage hands back in this state is gone: its token is spent, the next one names it.
GONE_STATES = ("deregistered",)
NOT_FOUND_CODES = ("InvalidAMIID.NotFound", "InvalidAMIID.Unavailable")
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html: ClientToken, up to 64 ASCII characters.
MAX_CLIENT_TOKEN_LENGTH = 64
# An id CopyImage just returned may be unknown to DescribeImages for a while; AWS advises to "run the
# Describe command repeatedly, starting with a couple of seconds of wait time, and increasing gradually
# up to a few minutes of wait time" (https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html).
# Only after that is an unknown id taken for a copy that is gone. A deregistered copy is told at once:
# "Recently deregistered images appear in the returned results for a short interval and then return
# empty results" (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html).
VISIBILITY_GRACE_SECONDS = 180
# Walking the token chain costs one CopyImage per gone copy. Past this many, the copy gets a token of
# its own (random): a lost response is still retried with it by botocore, only a crash right after it
# could make a second copy, and the next run's tag lookup would find both.
MAX_TOKEN_GENERATIONS = 25


class RegionCopyPlan:
    """What happens in one destination region: reuse ``existing``, or copy to ``target`` (removing the failed copies first)."""

    def __init__(self, target, existing, failed_copy_ids):
        self.target = target
        self.region = target.region
        self.existing = existing
        self.failed_copy_ids = sorted(failed_copy_ids)

    @property
    def needs_copy(self):
        return self.existing is None


class CopyPlan:
    def __init__(self, source, source_region):
        self.source = source
        self.source_region = source_region
        self.regions = {}
        self.failed = {}

    @property
    def regions_to_copy(self):
        return sorted(region for region, plan in self.regions.items() if plan.needs_copy)

    @property
    def regions_reused(self):
        return sorted(region for region, plan in self.regions.items() if not plan.needs_copy)

    @property
    def changed(self):
        return bool(self.regions_to_copy)


class ImageCopier:
    def __init__(self, clients, request, backoff=None, clock=time.monotonic, sleep=time.sleep):
        self.clients = clients
        self.request = request
        self.backoff = backoff
        self.clock = clock
        self.sleep = sleep

    def _api(self, region):
        return self.clients.api("ec2", region)

    # ----- planning (read-only) -----

    def plan(self):
        request = self.request
        source = ImageLookup(self._api(request.source_region)).by_id(request.source_image_id)
        if source is None:
            raise InvalidInputError(
                "source_image_id", "%r does not exist in %s (or is not visible to this account)" % (request.source_image_id, request.source_region)
            )
        if source.get("State") not in REUSABLE_STATES:
            raise InvalidInputError(
                "source_image_id",
                "%s in %s is %s; only an available image can be copied" % (request.source_image_id, request.source_region, source.get("State")),
            )
        plan = CopyPlan(source, request.source_region)
        outcome = fan_out(request.regions, self._plan_region, request.max_concurrency)
        plan.regions.update(outcome.results)
        plan.failed.update(outcome.error_messages())
        return plan

    def _plan_region(self, region):
        target = self.request.target(region)
        copies = self._api(region).paginate(
            "describe_images",
            "Images",
            Owners=["self"],
            Filters=filter_list({"tag:%s" % SOURCE_IMAGE_TAG: self.request.source_reference, "state": list(REUSABLE_STATES + FAILED_STATES)}),
            IncludeDeprecated=True,
        )
        live = [image for image in copies if image.get("State") in REUSABLE_STATES]
        # Prefer an available copy, then the oldest pending one: the same pick on every run.
        live.sort(key=lambda image: (image.get("State") != "available", image.get("CreationDate") or "", image["ImageId"]))
        failed_ids = [image["ImageId"] for image in copies if image.get("State") in FAILED_STATES]
        return RegionCopyPlan(target, live[0] if live else None, failed_ids)

    # ----- applying -----

    def apply(self, plan):
        """Copy where needed, every region concurrently, then (when asked) wait for all copies together (copy_waiter.py).
        Returns a ``FanOutResult``: ``{region: (action, image, seconds)}`` and errors by region."""
        started = self.clock()
        regions = [region for region in self.request.regions if region in plan.regions]
        started_copies = fan_out(regions, lambda region: self._start_region(plan, plan.regions[region]), self.request.max_concurrency)
        if not self.request.wait:
            return started_copies
        waiter = CopyWaiter(self._api, self.request.wait_timeout, self.backoff, self.clock, self.sleep, self.request.max_concurrency)
        waited = waiter.wait(dict((region, image) for region, (_action, image, _seconds) in started_copies.results.items()))
        outcome = FanOutResult()
        outcome.errors.update(started_copies.errors)
        outcome.errors.update(waited.errors)
        for region, image in waited.results.items():
            outcome.results[region] = (started_copies.results[region][0], image, round(self.clock() - started, 1))
        return outcome

    def _start_region(self, plan, region_plan):
        """Copy into one region (or take the copy it holds): ``(action, the copy as last seen, seconds)``."""
        started = self.clock()
        if region_plan.needs_copy:
            api = self._api(region_plan.region)
            self._remove_failed_copies(api, region_plan.failed_copy_ids)
            return "copied", self._copy(api, plan.source, region_plan), round(self.clock() - started, 1)
        return "reused", region_plan.existing, 0

    def _remove_failed_copies(self, api, image_ids):
        # A failed copy is useless but still holds its AMI name, which the new copy needs.
        for image_id in image_ids:
            try:
                api.call("deregister_image", ImageId=image_id)
            except BakeryError as error:
                # Already gone: also what a retried DeregisterImage whose first answer was lost is told.
                if getattr(error, "code", None) not in NOT_FOUND_CODES:
                    raise

    def _copy(self, api, source, region_plan):
        """CopyImage along the token chain until AWS answers with a copy that is not gone; that copy's description."""
        fields = self._copy_fields(source, region_plan.target)
        gone_ids = set(region_plan.failed_copy_ids)
        for _generation in range(MAX_TOKEN_GENERATIONS):
            image_id = api.call("copy_image", ClientToken=copy_client_token(api.region, fields, gone_ids), **fields)["ImageId"]
            image = self._live_copy(api, image_id)
            if image is not None:
                return image
            if image_id in gone_ids:
                raise BakeryError(
                    "CopyImage in %s answered again with %s, which is gone, for a token that names it: "
                    "AWS did not honour the new token" % (api.region, image_id)
                )
            gone_ids.add(image_id)
        image_id = api.call("copy_image", ClientToken=random_client_token(), **fields)["ImageId"]
        return self._live_copy(api, image_id) or {"ImageId": image_id, "State": "pending", "Name": fields["Name"]}

    def _live_copy(self, api, image_id):
        """The description of the copy ``image_id`` once DescribeImages knows it; None when it is gone (and will never be available)."""

        def probe():
            try:
                images = api.call("describe_images", ImageIds=[image_id], IncludeDeprecated=True, IncludeDisabled=True)["Images"]
            except BakeryError as error:
                if getattr(error, "code", None) not in NOT_FOUND_CODES:
                    raise
                return False, "not yet visible"
            if not images or images[0].get("State") in GONE_STATES:
                return True, None
            image = images[0]
            if image.get("State") in FAILED_STATES + ("invalid",):
                # Failed now, for this very request (a key AWS cannot use, say): copying again would fail again.
                # Kept, so the next run finds it by its tag, removes it and copies with a token naming it.
                raise ImageFailedError(image_id, api.region, (image.get("StateReason") or {}).get("Message", image.get("State")))
            return True, image

        try:
            return poll_until(
                probe,
                "copy %s in %s to become visible" % (image_id, api.region),
                VISIBILITY_GRACE_SECONDS,
                self.backoff or Backoff(),
                sleep=self.sleep,
                clock=self.clock,
            )
        except WaitTimeoutError:
            return None

    def _copy_fields(self, source, target):
        request = self.request
        extra_tags = dict(request.tags)
        extra_tags[SOURCE_IMAGE_TAG] = request.source_reference
        snapshot_tags = {}
        if request.copy_tags:
            # CopyImageTags copies the source's user tags to the image only; the snapshots get them from TagSpecifications.
            snapshot_tags.update(
                (key, value) for key, value in tag_list_to_dict(source.get("Tags")).items() if not key.startswith(RESERVED_TAG_PREFIX)
            )
        snapshot_tags.update(extra_tags)
        fields = {
            "SourceImageId": request.source_image_id,
            "SourceRegion": request.source_region,
            "Name": target.name or source.get("Name"),
            "CopyImageTags": bool(request.copy_tags),
            "TagSpecifications": [
                {"ResourceType": "image", "Tags": tag_dict_to_list(extra_tags)},
                {"ResourceType": "snapshot", "Tags": tag_dict_to_list(snapshot_tags)},
            ],
        }
        if target.description is not None:
            fields["Description"] = target.description
        if target.encrypted:
            fields["Encrypted"] = True
            if target.kms_key_id:
                fields["KmsKeyId"] = target.kms_key_id
        return fields


def copy_client_token(region, fields, gone_copy_ids):
    """The ClientToken of a CopyImage request into ``region``: every field of it, and the copies of it that are gone.

    The same request gets the same token on every run (a retry or a re-run reuses it, so AWS makes one
    copy); each gone copy it names gives a new one. Every field is in it, so a changed request (new
    tags, say) never meets AWS's IdempotentParameterMismatch for a token it used before.
    """
    material = json.dumps(["bakery.ami/image_copy/v2", region, fields, sorted(gone_copy_ids)], sort_keys=True)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:MAX_CLIENT_TOKEN_LENGTH]


def random_client_token():
    return uuid.uuid4().hex


def copy_image_to_regions(clients, request, check_mode, backoff=None):
    """Plan, and unless in check mode apply; the module's result dict (with ``diff``). Raises ``RegionsPartlyFailedError`` on partial failure."""
    copier = ImageCopier(clients, request, backoff)
    plan = copier.plan()
    result = {
        "changed": plan.changed,
        "source_image_id": request.source_image_id,
        "source_region": request.source_region,
        "regions_to_copy": plan.regions_to_copy,
        "regions_reused": plan.regions_reused,
        "images": {},
        "image_ids": {},
        "failed": dict(plan.failed),
        "progress": {},
        "diff": _diff(plan),
    }
    if check_mode:
        for region, region_plan in plan.regions.items():
            if region_plan.needs_copy:
                result["progress"][region] = {"action": "would copy", "state": None, "image_id": None, "seconds": 0}
            else:
                _add_image(result, region, "reused", region_plan.existing, 0)
    else:
        outcome = copier.apply(plan)
        for region, (action, image, seconds) in outcome.results.items():
            _add_image(result, region, action, image, seconds)
        for region, message in outcome.error_messages().items():
            result["failed"][region] = message
            result["progress"][region] = {"action": "failed", "state": None, "image_id": None, "seconds": None}
    for region, message in plan.failed.items():
        result["progress"][region] = {"action": "failed", "state": None, "image_id": None, "seconds": None}
    # When the task fails, Ansible's own boolean ``failed`` replaces ours; ``failed_regions`` survives.
    result["failed_regions"] = dict(result["failed"])
    if result["failed"]:
        raise RegionsPartlyFailedError(
            "image_copy", result, "Regions that succeeded are in images; re-run to complete only the missing ones."
        )
    return result


def _add_image(result, region, action, image, seconds):
    record = image_record(image, region)
    result["images"][region] = record
    result["image_ids"][region] = record["image_id"]
    result["progress"][region] = {"action": action, "state": record["state"], "image_id": record["image_id"], "seconds": seconds}


def _diff(plan):
    before = dict((region, region_plan.existing["ImageId"] if region_plan.existing else None) for region, region_plan in plan.regions.items())
    after = dict(
        (region, region_plan.existing["ImageId"] if region_plan.existing else "(new copy of %s/%s)" % (plan.source_region, plan.source["ImageId"]))
        for region, region_plan in plan.regions.items()
    )
    return {"before": {"image_ids": before}, "after": {"image_ids": after}}
