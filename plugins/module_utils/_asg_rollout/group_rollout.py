# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Roll one image out to one Auto Scaling group: plan first (read calls only), then apply.

- launch configuration: copy it with the new image, switch the group to the copy, refresh;
- launch template: new version from the group's version (SourceVersion), pin the group to it, or
  start a refresh whose desired configuration is that pinned version (AWS switches the group
  when the refresh succeeds, and a pinned version keeps rollback possible);
- migration: a launch template equivalent to the launch configuration, then as above.
"""

from __future__ import annotations

import copy

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import GROUP_TAG, MIGRATED_FROM_TAG
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.group_selection import launch_template_of
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.instance_refresh import (
    SUCCESS_STATUS,
    active_refresh,
    refresh_record,
    start_refresh,
    wait_for_refresh,
)
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.launch_configuration_copy import copy_request, is_copy_of
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.launch_configuration_migration import launch_template_data
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.launch_template_version import TemplateVersions, client_token, new_version_request
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError, InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import tag_list_to_dict, tag_specifications

LAUNCH_CONFIGURATIONS_UNAVAILABLE = "UnsupportedOperation"
MIXED_INSTANCES_POLICY = "mixed_instances_policy"
TEMPLATE_NOT_FOUND = "InvalidLaunchTemplateName.NotFoundException"


class LaunchConfigurationsUnavailableError(BakeryError):
    def __init__(self, group, region, aws_message):
        super().__init__(
            "group %s in %s uses a launch configuration, and this account cannot create launch configurations "
            "(AWS: %s). Set migrate_to_launch_template: true to move the group to an equivalent launch template "
            "with the new image." % (group, region, aws_message)
        )


class GroupPlan:
    """What will happen to one group: its kind, before/after, and the steps, in order."""

    def __init__(self, group, region, image_id, kind, before):
        self.group = group
        self.name = group["AutoScalingGroupName"]
        self.region = region
        self.image_id = image_id
        self.kind = kind
        self.before = before
        self.after = dict(before)
        self.steps = []
        self.active_refresh = None
        self.warnings = []

    @property
    def changed(self):
        return bool(self.steps)

    def add(self, step, **details):
        self.steps.append(dict(step=step, **details))

    def step(self, name):
        matches = [step for step in self.steps if step["step"] == name]
        return matches[0] if matches else None

    def descriptions(self):
        return [step["step"] for step in self.steps]


class GroupRollout:
    def __init__(self, region_state, request, backoff=None):
        self.region_state = region_state
        self.autoscaling = region_state.autoscaling
        self.ec2 = region_state.ec2
        self.region = region_state.region
        self.request = request
        self.image_id = request.image_ids[self.region]
        self.backoff = backoff

    # ----- planning (read-only) -----

    def plan(self, group):
        name = group["AutoScalingGroupName"]
        if group.get("MixedInstancesPolicy"):
            overrides = (group["MixedInstancesPolicy"].get("LaunchTemplate") or {}).get("Overrides") or []
            if any(override.get("LaunchTemplateSpecification") for override in overrides):
                raise BakeryError(
                    "group %s in %s has a mixed instances policy whose overrides name launch templates of their own; "
                    "asg_rollout rolls out the policy's launch template only (roll the others out yourself, or give "
                    "every instance type the policy's template)" % (name, self.region)
                )
            plan = self._plan_launch_template(group, MIXED_INSTANCES_POLICY)
        elif group.get("LaunchTemplate"):
            plan = self._plan_launch_template(group, "launch_template")
        elif group.get("LaunchConfigurationName"):
            plan = self._plan_launch_configuration(group)
        else:
            raise BakeryError("group %s in %s has neither a launch template nor a launch configuration" % (name, self.region))
        if plan.changed:
            # A refresh in flight (ours from an earlier run, or someone else's) is reported, never retried
            # over: starting another would fail, and switching the group under it would mix images.
            refresh = active_refresh(self.autoscaling, name)
            if refresh is not None:
                plan.active_refresh = refresh
                plan.steps = []
                plan.after = dict(plan.before)
                plan.warnings.append(
                    "group %s in %s has instance refresh %s %s; left as it is (run again when it has ended)"
                    % (name, self.region, refresh.get("InstanceRefreshId"), refresh.get("Status"))
                )
        return plan

    def _plan_launch_configuration(self, group):
        name = group["AutoScalingGroupName"]
        current = self.region_state.launch_configuration(group["LaunchConfigurationName"])
        plan = GroupPlan(group, self.region, self.image_id, "launch_configuration",
                         {"launch_configuration_name": current["LaunchConfigurationName"], "image_id": current.get("ImageId")})
        if self.request.migrate_to_launch_template:
            return self._plan_migration(plan, current)
        if current.get("ImageId") == self.image_id:
            return plan
        new_name = self.request.launch_configuration_name.render(name, self.image_id, self.region)
        existing = self.region_state.launch_configurations().get(new_name)
        if existing is None:
            plan.add("create launch configuration", name=new_name, request=copy_request(current, self.image_id, new_name))
        elif not is_copy_of(existing, current, self.image_id):
            raise InvalidInputError(
                "launch_configuration_name",
                "gives %r for group %s in %s, and a launch configuration of that name already exists with other "
                "attributes; choose another launch_configuration_name template" % (new_name, name, self.region),
            )
        plan.add("switch group to launch configuration", name=new_name)
        plan.after = {"launch_configuration_name": new_name, "image_id": self.image_id}
        self._plan_refresh(plan, desired_launch_template=None)
        return plan

    def _plan_launch_template(self, group, kind):
        spec = launch_template_of(group)
        versions = TemplateVersions(self.ec2, spec["LaunchTemplateId"], spec.get("Version"))
        template = {"launch_template_id": spec["LaunchTemplateId"], "launch_template_name": versions.template_name}
        plan = GroupPlan(group, self.region, self.image_id, kind,
                         {"launch_template": dict(template, version=versions.group_version), "image_id": versions.current_image})
        if versions.current_image == self.image_id:
            return plan
        if str(versions.current_image or "").startswith("resolve:ssm:"):
            plan.warnings.append(
                "group %s in %s launches %s; its new launch template version names %s directly instead (to keep the "
                "reference, point the parameter at the image with bakery.ami.image_parameter and refresh the group)"
                % (plan.name, self.region, versions.current_image, self.image_id)
            )
        if versions.latest_is_current_with(self.image_id):
            version = str(versions.latest["VersionNumber"])
            plan.add("reuse launch template version", launch_template_id=spec["LaunchTemplateId"], version=version)
        else:
            version = None
            request = new_version_request(spec["LaunchTemplateId"], versions.current["VersionNumber"], self.image_id, versions.latest["VersionNumber"])
            plan.add("create launch template version", request=request)
        self._plan_template_switch(plan, spec["LaunchTemplateId"], version)
        plan.after = {"launch_template": dict(template, version=version or "(new)"), "image_id": self.image_id}
        return plan

    def _plan_migration(self, plan, launch_configuration):
        group_name = plan.name
        template_name = self.request.launch_template_name.render(group_name, self.image_id, self.region)
        data = launch_template_data(launch_configuration, self.image_id, self.request.require_imdsv2)
        plan.kind = "migration"
        existing = self._template_by_name(template_name)
        if existing is None:
            tags = {MIGRATED_FROM_TAG: launch_configuration["LaunchConfigurationName"], GROUP_TAG: group_name}
            plan.add("create launch template", request={
                "LaunchTemplateName": template_name,
                "VersionDescription": "bakery.ami migration of %s with %s" % (launch_configuration["LaunchConfigurationName"], self.image_id),
                "LaunchTemplateData": data,
                "TagSpecifications": tag_specifications(["launch-template"], tags),
                "ClientToken": client_token("launch-template", template_name, launch_configuration["LaunchConfigurationName"], self.image_id),
            })
            template_id = None
        else:
            if tag_list_to_dict(existing.get("Tags")).get(GROUP_TAG) != group_name:
                raise InvalidInputError(
                    "launch_template_name",
                    "gives %r for group %s in %s, and a launch template of that name exists that no migration of this "
                    "group made; choose another launch_template_name template" % (template_name, group_name, self.region),
                )
            template_id = existing["LaunchTemplateId"]
            plan.add("create launch template version", request={
                "LaunchTemplateId": template_id,
                "VersionDescription": "bakery.ami migration of %s with %s" % (launch_configuration["LaunchConfigurationName"], self.image_id),
                "LaunchTemplateData": data,
            })
        self._plan_template_switch(plan, template_id, None)
        plan.after = {
            "launch_template": {"launch_template_id": template_id or "(new)", "launch_template_name": template_name, "version": "(new)"},
            "image_id": self.image_id,
        }
        return plan

    def _template_by_name(self, name):
        try:
            templates = self.ec2.call("describe_launch_templates", LaunchTemplateNames=[name])["LaunchTemplates"]
        except BakeryError as error:
            if error_code(error) == TEMPLATE_NOT_FOUND:
                return None
            raise
        return templates[0] if templates else None

    def _plan_template_switch(self, plan, template_id, version):
        if self.request.make_default_version:
            plan.add("make version the default", launch_template_id=template_id, version=version)
        if self.request.refresh.enabled:
            self._plan_refresh(plan, desired_launch_template={"LaunchTemplateId": template_id, "Version": version})
        else:
            plan.add("pin group to launch template version", launch_template_id=template_id, version=version)

    def _plan_refresh(self, plan, desired_launch_template):
        settings = self.request.refresh
        if not settings.enabled:
            return
        has_desired_configuration = desired_launch_template is not None
        if not has_desired_configuration and (settings.auto_rollback or settings.skip_matching):
            plan.warnings.append(
                "group %s in %s uses a launch configuration: AWS offers auto_rollback and skip_matching only with a "
                "launch template, so its refresh runs without them (migrate_to_launch_template: true lifts this)"
                % (plan.name, self.region)
            )
        plan.add("start instance refresh", desired_launch_template=desired_launch_template,
                 preferences=settings.preferences(has_desired_configuration))

    # ----- applying -----

    def apply(self, plan):
        """Carry out the plan; return the group's refresh record (or None)."""
        name = plan.name
        template_id = version = None
        for step in plan.steps:
            kind = step["step"]
            if kind == "create launch configuration":
                self._create_launch_configuration(plan, step)
            elif kind == "switch group to launch configuration":
                self.autoscaling.call("update_auto_scaling_group", AutoScalingGroupName=name, LaunchConfigurationName=step["name"])
            elif kind == "create launch template":
                created = self.ec2.call("create_launch_template", **step["request"])["LaunchTemplate"]
                template_id, version = created["LaunchTemplateId"], str(created["LatestVersionNumber"])
            elif kind == "create launch template version":
                created = self.ec2.call("create_launch_template_version", **step["request"])["LaunchTemplateVersion"]
                template_id, version = created["LaunchTemplateId"], str(created["VersionNumber"])
            elif kind == "reuse launch template version":
                template_id, version = step["launch_template_id"], step["version"]
            elif kind == "make version the default":
                self.ec2.call("modify_launch_template", LaunchTemplateId=template_id, DefaultVersion=version)
            elif kind == "pin group to launch template version":
                self.autoscaling.call("update_auto_scaling_group", AutoScalingGroupName=name, **_launch_source(plan, template_id, version))
            elif kind == "start instance refresh":
                return self._refresh(plan, step, template_id, version)
        if version is not None:
            plan.after["launch_template"].update(launch_template_id=template_id, version=version)
        return None

    def _create_launch_configuration(self, plan, step):
        try:
            self.autoscaling.call("create_launch_configuration", **step["request"])
        except BakeryError as error:
            if error_code(error) == LAUNCH_CONFIGURATIONS_UNAVAILABLE:
                raise LaunchConfigurationsUnavailableError(plan.name, self.region, getattr(error, "aws_message", str(error)))
            if error_code(error) != "AlreadyExists":
                raise
            # A retried request whose first attempt went through, or a concurrent run: adopt it if it is the copy.
            existing = self.region_state.launch_configuration(step["name"], refresh=True)
            current = self.region_state.launch_configuration(plan.before["launch_configuration_name"])
            if not is_copy_of(existing, current, self.image_id):
                raise

    def _refresh(self, plan, step, template_id, version):
        desired = None
        if step["desired_launch_template"] is not None:
            desired = _launch_source(plan, template_id, version)
            plan.after["launch_template"].update(launch_template_id=template_id, version=version)
        refresh_id = start_refresh(self.autoscaling, plan.name, step["preferences"], desired)
        if not self.request.refresh.wait:
            return refresh_record({"InstanceRefreshId": refresh_id, "Status": "Pending", "PercentageComplete": 0}, True)
        progress = []
        refresh = wait_for_refresh(self.autoscaling, plan.name, refresh_id, self.request.refresh.wait_timeout, self.backoff, progress)
        record = refresh_record(refresh, True)
        record["progress"] = progress
        if refresh.get("Status") != SUCCESS_STATUS:
            # The group keeps (or went back to) its previous launch source.
            plan.after = dict(plan.before) if desired is not None else plan.after
        return record


def _launch_source(plan, template_id, version):
    """The group's launch source on the new version: ``LaunchTemplate``, or its whole mixed instances policy with
    only the launch template version changed (instance types, weights and the on-demand/spot split stay)."""
    specification = {"LaunchTemplateId": template_id, "Version": version}
    if plan.kind != MIXED_INSTANCES_POLICY:
        return {"LaunchTemplate": specification}
    policy = copy.deepcopy(plan.group["MixedInstancesPolicy"])
    # DescribeAutoScalingGroups names the template by id and name; a request takes one of them.
    policy["LaunchTemplate"]["LaunchTemplateSpecification"] = specification
    return {"MixedInstancesPolicy": policy}
