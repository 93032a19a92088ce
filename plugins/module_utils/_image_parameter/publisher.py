# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Point one SSM parameter (such as ``/bakery/web-server-003/latest``) at an image in each region.

Launch templates, CloudFormation and ``resolve:ssm:`` read the newest image of a layer from there, so
nothing downstream needs the bake manifest. Every region is planned (read-only) before any change and
a refusal in one region stops them all; regions then run concurrently.

A parameter of data type ``aws:ec2:image`` is validated by AWS *after* PutParameter returns: an image
that AWS does not accept leaves the parameter as it was
(https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-ec2-aliases.html). So the
image is described before the put, and with ``wait`` the new version is read back.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.image_lookup import ImageLookup
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError, InvalidInputError, RegionsPartlyFailedError
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff, WaitTimeoutError, poll_until
from ansible_collections.bakery.ami.plugins.module_utils._aws.region_fanout import fan_out
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import compute_tag_changes, tag_dict_to_list, tag_list_to_dict
from ansible_collections.bakery.ami.plugins.module_utils._image_parameter.request import IMAGE_DATA_TYPE

PARAMETER_TYPE = "String"
RESOURCE_TYPE = "Parameter"
# Images AWS accepts as the value of an aws:ec2:image parameter (a copy still pending is one).
USABLE_IMAGE_STATES = ("available", "pending")


class ParameterRefusedError(BakeryError):
    """A region's parameter cannot be made what was asked; nothing was changed anywhere."""


class RegionParameterPlan:
    """What the parameter holds in one region and what must happen to it."""

    def __init__(self, region, current, desired_image_id, tag_changes, description_differs):
        self.region = region
        self.current = current  # {"value", "version", "data_type", "type"} or None
        self.desired_image_id = desired_image_id  # None: the parameter must be gone
        self.tag_changes = tag_changes
        self.description_differs = description_differs
        self.version = current["version"] if current else None

    @property
    def current_value(self):
        return self.current["value"] if self.current else None

    @property
    def action(self):
        if self.desired_image_id is None:
            return "delete" if self.current else None
        if self.current is None:
            return "create"
        if self.current_value != self.desired_image_id or self.description_differs:
            return "update"
        return None

    @property
    def changed(self):
        return self.action is not None or not self.tag_changes.is_empty

    def as_result(self, name, data_type):
        return {
            "region": self.region,
            "name": name,
            "image_id": self.desired_image_id,
            "previous_image_id": self.current_value,
            "version": self.version,
            "data_type": data_type,
            "action": self.action or ("retag" if self.changed else "none"),
            "changed": self.changed,
        }


class ImageParameterPublisher:
    def __init__(self, clients, request, backoff=None):
        self.clients = clients
        self.request = request
        self.backoff = backoff or Backoff(initial_delay=0.5, max_delay=5.0)

    # ----- planning (read-only) -----

    def plan(self):
        return fan_out(self.request.regions, self._plan_region, self.request.max_concurrency).results_or_refusal(ParameterRefusedError)

    def _plan_region(self, region):
        ssm = self.clients.api("ssm", region)
        request = self.request
        current = self._read(ssm)
        desired = request.image_ids[region]
        if desired is not None and current is not None:
            self._refuse_other_kinds(region, current)
        description_differs = False
        if desired is not None and current is not None and request.description is not None:
            description_differs = self._description(ssm) != request.description
        tag_changes = compute_tag_changes({}, None, False)
        if desired is not None and current is not None and request.tags is not None:
            listed = ssm.call("list_tags_for_resource", ResourceType=RESOURCE_TYPE, ResourceId=request.name)
            tag_changes = compute_tag_changes(tag_list_to_dict(listed.get("TagList")), request.tags, request.purge_tags)
        plan = RegionParameterPlan(region, current, desired, tag_changes, description_differs)
        if plan.action in ("create", "update") and request.data_type == IMAGE_DATA_TYPE:
            self._require_usable_image(region, desired)
        return plan

    def _read(self, ssm):
        try:
            parameter = ssm.call("get_parameter", Name=self.request.name)["Parameter"]
        except BakeryError as error:
            if error_code(error) == "ParameterNotFound":
                return None
            raise
        return {
            "value": parameter.get("Value"),
            "version": parameter.get("Version"),
            "data_type": parameter.get("DataType") or "text",
            "type": parameter.get("Type"),
        }

    def _description(self, ssm):
        name_filter = [{"Key": "Name", "Option": "Equals", "Values": [self.request.name]}]
        described = ssm.paginate("describe_parameters", "Parameters", ParameterFilters=name_filter)
        return described[0].get("Description") if described else None

    def _refuse_other_kinds(self, region, current):
        name, data_type = self.request.name, self.request.data_type
        if current["type"] != PARAMETER_TYPE:
            raise ParameterRefusedError(
                "%s in %s is a %s parameter; image_parameter manages String parameters only. Delete it or choose another name"
                % (name, region, current["type"])
            )
        if current["data_type"] != data_type:
            raise ParameterRefusedError(
                "%s in %s has data type %s, not %s, and Parameter Store cannot change a parameter to or from aws:ec2:image. "
                "Delete it (state: absent) or choose another name" % (name, region, current["data_type"], data_type)
            )

    def _require_usable_image(self, region, image_id):
        image = ImageLookup(self.clients.api("ec2", region)).by_id(image_id)
        if image is None:
            raise InvalidInputError("image_ids", "%r does not exist in %s (or is not visible to this account)" % (image_id, region))
        if image.get("State") not in USABLE_IMAGE_STATES:
            raise InvalidInputError(
                "image_ids", "%r in %s is %s; a parameter of data type aws:ec2:image needs a usable image" % (image_id, region, image.get("State"))
            )

    # ----- applying -----

    def apply(self, plans):
        changed = [region for region in sorted(plans) if plans[region].changed]
        return fan_out(changed, lambda region: self._apply_region(plans[region]), self.request.max_concurrency)

    def _apply_region(self, plan):
        ssm = self.clients.api("ssm", plan.region)
        request = self.request
        if plan.action == "delete":
            try:
                ssm.call("delete_parameter", Name=request.name)
            except BakeryError as error:
                # DeleteParameter retried by botocore after a lost answer finds it already deleted.
                if error_code(error) != "ParameterNotFound":
                    raise
            plan.version = None
            return plan
        if plan.action in ("create", "update"):
            put = {"Name": request.name, "Value": plan.desired_image_id, "Type": PARAMETER_TYPE, "DataType": request.data_type}
            if request.description is not None:
                put["Description"] = request.description
            if plan.action == "update":
                # Overwrite and Tags cannot go together; an update's tags go through AddTagsToResource.
                put["Overwrite"] = True
            elif request.tags:
                put["Tags"] = tag_dict_to_list(request.tags)
            plan.version = self._put(ssm, plan, put)
            if request.wait and request.data_type == IMAGE_DATA_TYPE:
                self._wait_for_version(ssm, plan)
        if plan.tag_changes.to_set:
            ssm.call("add_tags_to_resource", ResourceType=RESOURCE_TYPE, ResourceId=request.name, Tags=tag_dict_to_list(plan.tag_changes.to_set))
        if plan.tag_changes.to_remove:
            ssm.call("remove_tags_from_resource", ResourceType=RESOURCE_TYPE, ResourceId=request.name, TagKeys=plan.tag_changes.to_remove)
        return plan

    def _put(self, ssm, plan, put):
        """PutParameter; the version it made. A create (no Overwrite, no idempotency token) whose answer was lost
        and that botocore retried answers ParameterAlreadyExists: a parameter holding our value is the one it made."""
        try:
            return ssm.call("put_parameter", **put).get("Version")
        except BakeryError as error:
            if plan.action != "create" or error_code(error) != "ParameterAlreadyExists":
                raise
        request = self.request
        current = self._read(ssm) or {}
        if (current.get("value"), current.get("data_type"), current.get("type")) != (plan.desired_image_id, request.data_type, PARAMETER_TYPE):
            raise ParameterRefusedError(
                "%s in %s was created by someone else while this task ran: it holds %s (%s, data type %s), not %s. "
                "Re-run to update it" % (request.name, plan.region, current.get("value"), current.get("type"), current.get("data_type"), plan.desired_image_id)
            )
        if request.tags is not None:
            listed = ssm.call("list_tags_for_resource", ResourceType=RESOURCE_TYPE, ResourceId=request.name)
            plan.tag_changes = compute_tag_changes(tag_list_to_dict(listed.get("TagList")), request.tags, request.purge_tags)
        return current["version"]

    def _wait_for_version(self, ssm, plan):
        def stored():
            current = self._read(ssm)
            if current and (current["version"] or 0) >= (plan.version or 0) and current["value"] == plan.desired_image_id:
                return True, current
            return False, "version %s, value %s" % ((current or {}).get("version"), (current or {}).get("value"))

        try:
            poll_until(stored, "%s version %s in %s" % (self.request.name, plan.version, plan.region), self.request.wait_timeout, self.backoff)
        except WaitTimeoutError as error:
            raise ParameterRefusedError(
                "Parameter Store did not store %s = %s in %s within %ss (%s): its asynchronous aws:ec2:image validation "
                "rejected the image, or has not finished. Check that the image is available in %s and owned by or shared "
                "with this account" % (self.request.name, plan.desired_image_id, plan.region, error.timeout, error.last_state, plan.region)
            ) from error


def publish_image_parameter(clients, request, check_mode, backoff=None):
    """Plan every region and, unless in check mode, apply; the module's result dict (with ``diff``)."""
    publisher = ImageParameterPublisher(clients, request, backoff)
    plans = publisher.plan()
    result = {
        "changed": any(plan.changed for plan in plans.values()),
        "name": request.name,
        "parameters": [plans[region].as_result(request.name, request.data_type) for region in sorted(plans)],
        "image_ids": dict((region, plan.desired_image_id) for region, plan in sorted(plans.items()) if plan.desired_image_id),
        "failed": {},
        "diff": {
            "before": dict((region, plan.current_value) for region, plan in sorted(plans.items())),
            "after": dict((region, plan.desired_image_id) for region, plan in sorted(plans.items())),
        },
    }
    if check_mode:
        return result
    outcome = publisher.apply(plans)
    result["parameters"] = [plans[region].as_result(request.name, request.data_type) for region in sorted(plans)]
    if outcome.errors:
        result["failed"] = outcome.error_messages()
        for entry in result["parameters"]:
            if entry["region"] in outcome.errors:
                entry["changed"] = False
        raise RegionsPartlyFailedError("image_parameter", result)
    return result
