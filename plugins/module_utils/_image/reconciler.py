# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bring one AMI in one region to the state an ``ImageRequest`` asks for: plan first, then apply.

The plan is data: check mode returns it, diff mode renders it, normal mode applies it.
Planning makes only read calls, so check mode makes zero mutating calls by construction.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.deprecation import format_aws_time, parse_aws_time, to_minute
from ansible_collections.bakery.ami.plugins.module_utils._ami.image_lookup import ImageLookup
from ansible_collections.bakery.ami.plugins.module_utils._ami.image_record import image_record, snapshot_ids_of
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError, InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.filters import filter_list
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff, WaitTimeoutError, poll_until
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import (
    compute_tag_changes,
    tag_dict_to_list,
    tag_list_to_dict,
    tag_specifications,
)

DUPLICATE_NAME_CODE = "InvalidAMIName.Duplicate"
GONE_IMAGE_CODES = ("InvalidAMIID.NotFound", "InvalidAMIID.Unavailable")
# The image a name is taken by may not be listed by name yet (eventual consistency); AWS advises describing again
# "starting with a couple of seconds of wait time, and increasing gradually up to a few minutes"
# (https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html).
NAME_VISIBILITY_SECONDS = 120
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html: from a running or stopped instance.
IMAGEABLE_INSTANCE_STATES = ("running", "stopped", "stopping")


class ImageProtectedError(BakeryError):
    def __init__(self, image_id, region):
        super().__init__(
            "image %s in %s has deregistration protection; set deregistration_protection: disabled "
            "to lift it before deregistering" % (image_id, region)
        )


def protection_state(image):
    """``enabled``, ``enabled-with-cooldown`` or ``disabled`` from DescribeImages' DeregistrationProtection."""
    value = (image or {}).get("DeregistrationProtection") or "disabled"
    if not value.startswith("enabled"):
        return "disabled"
    return "enabled-with-cooldown" if value.startswith("enabled-with-cooldown") else "enabled"


class ImageNameTakenError(BakeryError):
    def __init__(self, name, region, image):
        super().__init__(
            "the name %r was taken in %s while this task ran, by image %s (from instance %s), which this task did not make: "
            "it has not been changed. Choose another name, or re-run to manage that image"
            % (name, region, image["ImageId"], image.get("SourceInstanceId") or "none")
        )


class ImageProtectionCooldownError(BakeryError):
    def __init__(self, image_id, region, state):
        super().__init__(
            "image %s in %s cannot be deregistered yet: its deregistration protection is in its cooldown (%s)"
            % (image_id, region, state)
        )


class ImagePlan:
    """What will happen to the image: the action, and the steps of it, in order."""

    def __init__(self, action, current):
        self.action = action
        self.current = current
        self.steps = []
        self.after = None

    @property
    def changed(self):
        return bool(self.steps)

    def add(self, step, **details):
        self.steps.append(dict(step=step, **details))

    def descriptions(self):
        return [step["step"] for step in self.steps]


def _summary(image, snapshot_tags=None):
    """The parts of an image a diff shows."""
    if image is None:
        return {}
    summary = {
        "image_id": image.get("ImageId"),
        "name": image.get("Name"),
        "description": image.get("Description"),
        "tags": tag_list_to_dict(image.get("Tags")),
        "deprecation_time": image.get("DeprecationTime"),
        "deregistration_protection": protection_state(image),
    }
    if snapshot_tags is not None:
        summary["snapshot_tags"] = snapshot_tags
    return summary


class ImageReconciler:
    def __init__(self, ec2_api, request, backoff=None):
        self.api = ec2_api
        self.request = request
        self.lookup = ImageLookup(ec2_api)
        self.backoff = backoff

    # ----- planning (read-only) -----

    def plan(self):
        current = self._find_current()
        if self.request.state == "absent":
            return self._plan_absent(current)
        if current is None:
            if self.request.image_id and not self.request.name:
                raise InvalidInputError("image_id", "%r does not exist in %s" % (self.request.image_id, self.api.region))
            return self._plan_creation()
        if self.request.name and current.get("Name") != self.request.name:
            raise InvalidInputError(
                "name", "%r differs from the name %r of image %s; AMI names cannot be changed" % (self.request.name, current.get("Name"), current["ImageId"])
            )
        plan = ImagePlan("update", current)
        self._plan_attribute_steps(plan, current)
        return plan

    def _find_current(self):
        if self.request.image_id:
            return self.lookup.by_id(self.request.image_id)
        return self.lookup.own_by_name(self.request.name)

    def _plan_absent(self, current):
        plan = ImagePlan("deregister" if current else "none", current)
        if current is None:
            return plan
        raw_protection = current.get("DeregistrationProtection") or ""
        if raw_protection.startswith("disabled-until"):
            raise ImageProtectionCooldownError(current["ImageId"], self.api.region, raw_protection)
        protection = protection_state(current)
        if protection != "disabled":
            if self.request.deregistration_protection != "disabled":
                raise ImageProtectedError(current["ImageId"], self.api.region)
            plan.add("disable deregistration protection", image_id=current["ImageId"])
        plan.add("deregister", image_id=current["ImageId"], delete_snapshots=self.request.delete_snapshots)
        plan.after = None
        return plan

    def _plan_creation(self):
        request = self.request
        action = "create" if request.instance_id else "register"
        if action == "register" and not request.registers_from_mappings:
            raise InvalidInputError(
                "instance_id",
                "is required to create image %r: no image of that name exists in %s (or give device_mappings to register one)"
                % (request.name, self.api.region),
            )
        if action == "create":
            self._check_source_instance()
        plan = ImagePlan(action, None)
        if action == "create":
            plan.add("create image from instance", instance_id=request.instance_id, no_reboot=request.no_reboot)
        else:
            plan.add("register image")
        if action == "register" and request.tag_snapshots and request.tags:
            plan.add("tag snapshots", tags=request.tags)
        deprecation_time = request.deprecation.time_for(None) if request.deprecation else None
        if deprecation_time is not None:
            plan.add("enable deprecation", deprecate_at=format_aws_time(deprecation_time))
        if request.deregistration_protection in ("enabled", "enabled-with-cooldown"):
            plan.add("enable deregistration protection", with_cooldown=request.deregistration_protection == "enabled-with-cooldown")
        plan.after = {
            "name": request.name,
            "description": request.description,
            "tags": request.tags or {},
            "deprecation_time": format_aws_time(deprecation_time),
            "deregistration_protection": request.deregistration_protection or "disabled",
        }
        return plan

    def _check_source_instance(self):
        """The instance must exist and be running or stopped: say so before CreateImage is attempted."""
        instance_id = self.request.instance_id
        try:
            reservations = self.api.call("describe_instances", InstanceIds=[instance_id])["Reservations"]
        except BakeryError as error:
            if getattr(error, "code", None) != "InvalidInstanceID.NotFound":
                raise
            reservations = []
        instances = [instance for reservation in reservations for instance in reservation["Instances"]]
        if not instances:
            raise InvalidInputError("instance_id", "%r does not exist in %s" % (instance_id, self.api.region))
        state = instances[0]["State"]["Name"]
        if state not in IMAGEABLE_INSTANCE_STATES:
            raise InvalidInputError(
                "instance_id", "%r is %s; an image can only be created from a running or stopped instance" % (instance_id, state)
            )

    def _plan_attribute_steps(self, plan, image):
        request = self.request
        image_id = image["ImageId"]
        after = _summary(image)
        if request.description is not None and request.description != (image.get("Description") or ""):
            plan.add("set description", image_id=image_id, description=request.description)
            after["description"] = request.description
        image_tag_changes = compute_tag_changes(after["tags"], request.tags, request.purge_tags)
        if not image_tag_changes.is_empty:
            plan.add("tag image", resources=[image_id], to_set=image_tag_changes.to_set, to_remove=image_tag_changes.to_remove)
            after["tags"] = image_tag_changes.applied_to(after["tags"])
        if request.tag_snapshots and request.tags is not None:
            self._plan_snapshot_tags(plan, image, after)
        if request.deprecation is not None:
            self._plan_deprecation(plan, image, after)
        if request.deregistration_protection is not None and request.deregistration_protection != protection_state(image):
            if request.deregistration_protection == "disabled":
                plan.add("disable deregistration protection", image_id=image_id)
            else:
                plan.add(
                    "enable deregistration protection",
                    image_id=image_id,
                    with_cooldown=request.deregistration_protection == "enabled-with-cooldown",
                )
            after["deregistration_protection"] = request.deregistration_protection
        plan.after = after

    def _plan_snapshot_tags(self, plan, image, after):
        snapshot_ids = snapshot_ids_of(image)
        if not snapshot_ids:
            return
        snapshots = self.api.paginate("describe_snapshots", "Snapshots", SnapshotIds=snapshot_ids)
        snapshot_tags = {}
        for snapshot in snapshots:
            current = tag_list_to_dict(snapshot.get("Tags"))
            changes = compute_tag_changes(current, self.request.tags, self.request.purge_tags)
            snapshot_tags[snapshot["SnapshotId"]] = changes.applied_to(current)
            if not changes.is_empty:
                plan.add("tag snapshot", resources=[snapshot["SnapshotId"]], to_set=changes.to_set, to_remove=changes.to_remove)
        after["snapshot_tags"] = snapshot_tags

    def _plan_deprecation(self, plan, image, after):
        wanted = self.request.deprecation.time_for(image.get("CreationDate"))
        current_text = image.get("DeprecationTime")
        current = to_minute(parse_aws_time(current_text)) if current_text else None
        if wanted == current:
            return
        if wanted is None:
            plan.add("disable deprecation", image_id=image["ImageId"])
        else:
            plan.add("enable deprecation", image_id=image["ImageId"], deprecate_at=format_aws_time(wanted))
        after["deprecation_time"] = format_aws_time(wanted)

    # ----- applying -----

    def apply(self, plan):
        """Carry out the plan; return ``(image_description_or_None, deleted_snapshot_ids)``."""
        if plan.action == "none":
            return None, []
        if plan.action == "deregister":
            return None, self._deregister(plan)
        if plan.action in ("create", "register"):
            image_id = self._create(plan.action)
            image = self.lookup.by_id(image_id)
            self._apply_post_creation(plan, image_id, image)
        else:
            image_id = plan.current["ImageId"]
            self._apply_steps(plan.steps, image_id)
        if self.request.wait:
            return self.lookup.wait_until_available(image_id, self.request.wait_timeout, self.backoff), []
        return self.lookup.by_id(image_id) or {"ImageId": image_id, "State": "pending", "Name": self.request.name}, []

    def wait_for(self, image):
        """An adopted image that is still pending is waited for when ``wait`` is set."""
        if self.request.wait and image.get("State") == "pending":
            return self.lookup.wait_until_available(image["ImageId"], self.request.wait_timeout, self.backoff)
        return image

    def _create(self, action):
        request = self.request
        fields = {"Name": request.name}
        if request.description is not None:
            fields["Description"] = request.description
        if request.device_mappings:
            fields["BlockDeviceMappings"] = request.block_device_mappings()
        try:
            if action == "create":
                resource_types = ["image", "snapshot"] if request.tag_snapshots else ["image"]
                response = self.api.call(
                    "create_image",
                    InstanceId=request.instance_id,
                    NoReboot=request.no_reboot,
                    TagSpecifications=tag_specifications(resource_types, request.tags),
                    **fields
                )
            else:
                # RegisterImage only tags the image; existing snapshots are tagged separately.
                fields.update(request.registration_fields())
                response = self.api.call("register_image", TagSpecifications=tag_specifications(["image"], request.tags), **fields)
        except BakeryError as error:
            # CreateImage and RegisterImage take no idempotency token: a request botocore retried after its first
            # answer was lost (HTTP 500, dropped connection) finds the name taken by the image that first attempt made.
            if getattr(error, "code", None) != DUPLICATE_NAME_CODE:
                raise
            existing = self._image_named_after_the_request()
            if existing is None:
                raise
            if not self._made_by_this_request(action, existing):
                raise ImageNameTakenError(request.name, self.api.region, existing)
            return existing["ImageId"]
        return response["ImageId"]

    def _image_named_after_the_request(self):
        def probe():
            image = self.lookup.own_by_name(self.request.name)
            return image is not None, image

        try:
            return poll_until(probe, "image %r in %s" % (self.request.name, self.api.region), NAME_VISIBILITY_SECONDS, self.backoff or Backoff())
        except WaitTimeoutError:
            return None

    def _made_by_this_request(self, action, image):
        """Whether ``image`` carries this request's own marks: its instance (CreateImage) or its snapshots or
        location (RegisterImage), and its tags and description, which the request set in the same call."""
        request = self.request
        tags = tag_list_to_dict(image.get("Tags"))
        if any(tags.get(key) != value for key, value in (request.tags or {}).items()):
            return False
        if request.description is not None and (image.get("Description") or "") != request.description:
            return False
        if action == "create":
            # "SourceInstanceId: The ID of the instance that the AMI was created from if the AMI was created using
            # CreateImage." (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html)
            return image.get("SourceInstanceId") == request.instance_id
        if request.image_location is not None:
            return image.get("ImageLocation") == request.image_location
        requested_snapshots = set(mapping["snapshot_id"] for mapping in request.device_mappings if mapping.get("snapshot_id"))
        return image.get("RootDeviceName") == request.root_device_name and requested_snapshots <= set(snapshot_ids_of(image))

    def _apply_post_creation(self, plan, image_id, image):
        steps = [step for step in plan.steps if step["step"] not in ("create image from instance", "register image")]
        for step in steps:
            if step["step"] == "tag snapshots":
                snapshot_ids = snapshot_ids_of(image or {})
                if snapshot_ids:
                    self.api.call("create_tags", Resources=snapshot_ids, Tags=tag_dict_to_list(step["tags"]))
            else:
                step = dict(step, image_id=image_id)
                self._apply_steps([step], image_id)

    def _apply_steps(self, steps, image_id):
        for step in steps:
            kind = step["step"]
            if kind == "set description":
                self.api.call("modify_image_attribute", ImageId=image_id, Description={"Value": step["description"]})
            elif kind in ("tag image", "tag snapshot"):
                if step["to_remove"]:
                    self.api.call("delete_tags", Resources=step["resources"], Tags=[{"Key": key} for key in step["to_remove"]])
                if step["to_set"]:
                    self.api.call("create_tags", Resources=step["resources"], Tags=tag_dict_to_list(step["to_set"]))
            elif kind == "enable deprecation":
                self.api.call("enable_image_deprecation", ImageId=image_id, DeprecateAt=step["deprecate_at"])
            elif kind == "disable deprecation":
                self.api.call("disable_image_deprecation", ImageId=image_id)
            elif kind == "enable deregistration protection":
                self.api.call("enable_image_deregistration_protection", ImageId=image_id, WithCooldown=step["with_cooldown"])
            elif kind == "disable deregistration protection":
                self.api.call("disable_image_deregistration_protection", ImageId=image_id)

    def _deregister(self, plan):
        image_id = plan.current["ImageId"]
        self._apply_steps([step for step in plan.steps if step["step"] != "deregister"], image_id)
        # AWS keeps a snapshot that another AMI still uses, whatever DeleteAssociatedSnapshots says.
        try:
            response = self.api.call("deregister_image", ImageId=image_id, DeleteAssociatedSnapshots=self.request.delete_snapshots)
        except BakeryError as error:
            # Retried by botocore after the first answer was lost: that first attempt deregistered it, and its
            # DeleteSnapshotResults went with the answer, so what it deleted is read from what is left.
            if getattr(error, "code", None) not in GONE_IMAGE_CODES:
                raise
            return self._deleted_snapshot_ids(plan.current)
        return [
            result["SnapshotId"]
            for result in response.get("DeleteSnapshotResults", [])
            if result.get("ReturnCode", "success") == "success"
        ]

    def _deleted_snapshot_ids(self, image):
        snapshot_ids = snapshot_ids_of(image)
        if not (self.request.delete_snapshots and snapshot_ids):
            return []
        # A filter, not SnapshotIds: DescribeSnapshots refuses a whole SnapshotIds list when one of them is gone.
        remaining = self.api.paginate("describe_snapshots", "Snapshots", OwnerIds=["self"], Filters=filter_list({"snapshot-id": snapshot_ids}))
        return sorted(set(snapshot_ids) - set(snapshot["SnapshotId"] for snapshot in remaining))


def reconcile_image(ec2_api, request, check_mode, backoff=None):
    """Plan, and unless in check mode apply; the module's result dict (without ``diff``)."""
    reconciler = ImageReconciler(ec2_api, request, backoff)
    plan = reconciler.plan()
    result = {
        "changed": plan.changed,
        "actions": plan.descriptions(),
        "diff": {"before": _summary(plan.current), "after": plan.after or {}},
    }
    if check_mode:
        image = plan.current if plan.action != "deregister" else None
        result.update(_image_fields(image, ec2_api.region))
        return result
    if not plan.changed:
        image = reconciler.wait_for(plan.current) if plan.current is not None and plan.action != "none" else None
        result.update(_image_fields(image, ec2_api.region))
        return result
    image, deleted_snapshot_ids = reconciler.apply(plan)
    result.update(_image_fields(image, ec2_api.region))
    if plan.action == "deregister":
        result["deleted_snapshot_ids"] = deleted_snapshot_ids
        result["image_id"] = plan.current["ImageId"]
    return result


def _image_fields(image, region):
    if image is None:
        return {"image": {}, "image_id": None, "snapshot_ids": []}
    record = image_record(image, region)
    return {"image": record, "image_id": record["image_id"], "snapshot_ids": record["snapshot_ids"]}
