# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prune one image family in many regions at once: plan (read-only) per region, then apply, concurrently.

Per region: describe the family (one paginated DescribeImages), split it by retention, then
set aside the expired images something still uses and those with deregistration protection.
An image already in the state the action leads to (deprecated, disabled, gone) needs no call,
so a re-run makes none. When the action ends every launch of an image (disable, deregister),
the images shared with other accounts (or public) and those launched within
``launched_within_days`` are kept too: one DescribeImageAttribute each per image still left.
What is left is pruned. Every image not pruned is reported with the reason it was kept. The
plan is data: check mode returns it, diff mode renders it, normal mode applies it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ansible_collections.bakery.ami.plugins.module_utils._ami.deprecation import format_aws_time, parse_aws_time, to_minute
from ansible_collections.bakery.ami.plugins.module_utils._ami.image_record import image_record
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError, RegionsPartlyFailedError
from ansible_collections.bakery.ami.plugins.module_utils._aws.filters import filter_list
from ansible_collections.bakery.ami.plugins.module_utils._aws.region_fanout import fan_out
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.images_in_use import ImagesInUse
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.last_launch import last_launched_time
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.retention import apply_retention
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.sharing import launch_permissions, shared_with

# Failed images cannot launch anything and are not part of a family's history.
FAMILY_STATES = ("available", "pending", "disabled")
# The EC2 error codes (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html): Unavailable for
# an AMI deregistered a moment ago ("has been deregistered and is no longer available"), NotFound once it is forgotten.
IMAGE_GONE = ("InvalidAMIID.Unavailable", "InvalidAMIID.NotFound")


def is_protected(image):
    """Deregistration protection on, or in its cooldown (``disabled-until …``)."""
    value = image.get("DeregistrationProtection") or "disabled"
    return value != "disabled"


class RegionPrunePlan:
    def __init__(self, region, examined):
        self.region = region
        self.examined = examined
        self.kept = []  # (image, reason): kept by retention
        self.in_use = []  # (image, users)
        self.protected = []
        self.shared = []  # (image, ["public", "account 111122223333", ...])
        self.recently_launched = []  # (image, last launch as AWS reports it)
        self.to_prune = []
        self.already_pruned = []


class ImagePruner:
    def __init__(self, clients, request, now=None):
        self.clients = clients
        self.request = request
        self.now = now or datetime.now(timezone.utc)

    @property
    def deprecate_at(self):
        """AWS keeps deprecation times to the minute and refuses past ones: the next whole minute."""
        return to_minute(self.now + timedelta(seconds=59))

    # ----- planning (read-only) -----

    def plan(self):
        return fan_out(self.request.regions, self._plan_region, self.request.max_concurrency)

    def _plan_region(self, region):
        ec2 = self.clients.api("ec2", region)
        family = ec2.paginate(
            "describe_images",
            "Images",
            Owners=["self"],
            Filters=filter_list(dict(self.request.family_filters(), state=list(FAMILY_STATES))),
            IncludeDeprecated=True,
            IncludeDisabled=True,
        )
        plan = RegionPrunePlan(region, len(family))
        retention = apply_retention(family, self.request.keep, self.request.older_than_days, self.now)
        plan.kept = retention.kept
        expired = [image for image in retention.expired if image.get("State") != "pending"]
        users = {}
        if self.request.exclude_in_use and expired:
            users = ImagesInUse(ec2, self.clients.api("autoscaling", region), self.clients.api("ssm", region)).users_of(
                [image["ImageId"] for image in expired]
            )
        candidates = []
        for image in expired:
            if image["ImageId"] in users:
                plan.in_use.append((image, users[image["ImageId"]]))
            elif is_protected(image):
                plan.protected.append(image)
            elif self._is_already_pruned(image):
                plan.already_pruned.append(image)
            else:
                candidates.append(image)
        plan.to_prune = self._launchable_elsewhere_set_aside(ec2, plan, candidates) if self.request.ends_launches else candidates
        return plan

    def _launchable_elsewhere_set_aside(self, ec2, plan, candidates):
        """The candidates left once shared and recently launched images are kept (recorded on ``plan``)."""
        launched_since = self.now - timedelta(days=self.request.launched_within_days)
        left = []
        for image in candidates:
            if not self.request.include_shared:
                targets = shared_with(launch_permissions(ec2, image))
                if targets:
                    plan.shared.append((image, targets))
                    continue
            if self.request.launched_within_days:
                last_launch = last_launched_time(ec2, image["ImageId"])
                if last_launch is not None and last_launch > launched_since:
                    plan.recently_launched.append((image, last_launch))
                    continue
            left.append(image)
        return left

    def _is_already_pruned(self, image):
        action = self.request.action
        if action == "disable":
            return image.get("State") == "disabled"
        if action == "deprecate":
            current = image.get("DeprecationTime")
            return bool(current) and to_minute(parse_aws_time(current)) <= self.deprecate_at
        return False

    # ----- applying -----

    def apply(self, plans):
        return fan_out(list(plans), lambda region: self._apply_region(plans[region]), self.request.max_concurrency)

    def _apply_region(self, plan):
        ec2 = self.clients.api("ec2", plan.region)
        deleted_snapshots = {}
        for image in plan.to_prune:
            image_id = image["ImageId"]
            if self.request.action == "deprecate":
                ec2.call("enable_image_deprecation", ImageId=image_id, DeprecateAt=format_aws_time(self.deprecate_at))
            elif self.request.action == "disable":
                ec2.call("disable_image", ImageId=image_id)
            else:
                deleted_snapshots[image_id] = self._deregister(ec2, image)
        return deleted_snapshots

    def _deregister(self, ec2, image):
        """Deregister ``image``; the ids of the snapshots deleted with it."""
        image_id = image["ImageId"]
        try:
            response = ec2.call("deregister_image", ImageId=image_id, DeleteAssociatedSnapshots=bool(self.request.delete_snapshots))
        except BakeryError as error:
            # DeregisterImage takes no idempotency token: when its answer was lost, the retry finds the image already
            # gone ("Unavailable": deregistered a moment ago) - and its snapshots too, if they went with it.
            if error_code(error) not in IMAGE_GONE:
                raise
            return self._snapshots_gone(ec2, image) if self.request.delete_snapshots else []
        return [entry["SnapshotId"] for entry in response.get("DeleteSnapshotResults", []) if entry.get("ReturnCode", "success") == "success"]

    def _snapshots_gone(self, ec2, image):
        mapped = [mapping["Ebs"]["SnapshotId"] for mapping in image.get("BlockDeviceMappings", []) if (mapping.get("Ebs") or {}).get("SnapshotId")]
        if not mapped:
            return []
        left = ec2.paginate("describe_snapshots", "Snapshots", Filters=filter_list({"snapshot-id": mapped}))
        return sorted(set(mapped) - set(snapshot["SnapshotId"] for snapshot in left))


def prune_images(clients, request, check_mode, now=None):
    """Plan, and unless in check mode apply; the module's result dict (with ``diff``). Raises ``RegionsPartlyFailedError`` on partial failure."""
    pruner = ImagePruner(clients, request, now)
    planned = pruner.plan()
    plans = dict((region, planned.results[region]) for region in request.regions if region in planned.results)
    failed = planned.error_messages()
    deleted = {}
    if not check_mode:
        applied = pruner.apply(dict((region, plan) for region, plan in plans.items() if plan.to_prune))
        failed.update(applied.error_messages())
        for region_deleted in applied.results.values():
            deleted.update(region_deleted)
        for region in applied.errors:
            # Some of that region's images may have been pruned before the failure; a re-run finds out.
            plans[region].to_prune = []
    result = _result(request, plans, deleted, pruner, check_mode)
    result["failed"] = failed
    if failed:
        raise RegionsPartlyFailedError("image_prune", result, "Other regions completed; re-run to finish.")
    return result


def _result(request, plans, deleted, pruner, check_mode):
    result = {
        "changed": any(plan.to_prune for plan in plans.values()),
        "action": request.action,
        "pruned": [],
        "already_pruned": [],
        "kept": [],
        "skipped_in_use": [],
        "skipped_protected": [],
        "regions": {},
        "images_examined": sum(plan.examined for plan in plans.values()),
        "diff": {"before": {}, "after": {}},
    }
    for region, plan in plans.items():
        for image, reason in plan.kept:
            result["kept"].append(dict(image_record(image, region), reason=reason))
        for image, users in plan.in_use:
            result["kept"].append(dict(image_record(image, region), reason="in use: %s" % "; ".join(users), used_by=users))
            result["skipped_in_use"].append(dict(image_record(image, region), used_by=users))
        for image in plan.protected:
            result["kept"].append(dict(image_record(image, region), reason="deregistration protection is on"))
            result["skipped_protected"].append(image_record(image, region))
        for image, targets in plan.shared:
            reason = "shared (%s); include_shared: true prunes it" % ", ".join(targets)
            result["kept"].append(dict(image_record(image, region), reason=reason, shared_with=targets))
        for image, last_launch in plan.recently_launched:
            reason = "launched %s, within the last %s days" % (format_aws_time(last_launch), request.launched_within_days)
            result["kept"].append(dict(image_record(image, region), reason=reason, last_launched_time=format_aws_time(last_launch)))
        for image in plan.already_pruned:
            result["already_pruned"].append(image_record(image, region))
        for image in plan.to_prune:
            entry = dict(image_record(image, region), prune_action=request.action)
            if request.action == "deprecate":
                entry["deprecation_time"] = format_aws_time(pruner.deprecate_at)
            if request.action == "deregister" and not check_mode:
                entry["deleted_snapshot_ids"] = deleted.get(image["ImageId"], [])
            result["pruned"].append(entry)
            reference = "%s/%s" % (region, image["ImageId"])
            result["diff"]["before"][reference] = _summary(image)
            result["diff"]["after"][reference] = _after(image, request.action, pruner)
        result["regions"][region] = {
            "examined": plan.examined,
            "kept": len(plan.kept) + len(plan.in_use) + len(plan.protected) + len(plan.shared) + len(plan.recently_launched),
            "pruned": len(plan.to_prune),
            "already_pruned": len(plan.already_pruned),
            "skipped_in_use": len(plan.in_use),
            "skipped_protected": len(plan.protected),
            "skipped_shared": len(plan.shared),
            "skipped_recently_launched": len(plan.recently_launched),
        }
    return result


def _summary(image):
    return {"name": image.get("Name"), "state": image.get("State"), "deprecation_time": image.get("DeprecationTime")}


def _after(image, action, pruner):
    if action == "deregister":
        return {"name": image.get("Name"), "state": "deregistered"}
    after = _summary(image)
    if action == "disable":
        after["state"] = "disabled"
    else:
        after["deprecation_time"] = format_aws_time(pruner.deprecate_at)
    return after
