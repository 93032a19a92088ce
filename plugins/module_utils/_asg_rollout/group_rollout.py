# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Roll one image out to one Auto Scaling group: plan first (read calls only), then apply.

- launch configuration: copy it with the new image, switch the group to the copy, refresh;
- launch template: new version from the group's version (SourceVersion), pin the group to it, or
  start a refresh whose desired configuration is that pinned version (AWS switches the group
  when the refresh succeeds, and a pinned version keeps rollback possible). A group on ``$Latest``
  or ``$Default`` is first pinned to the numbered version its instances run: scale-outs then keep
  launching that until the refresh (or the pin) moves the group to the new version, and a rollback
  has a numbered version to go back to. ``keep_version_alias`` leaves it on the alias instead;
- launch template whose image is ``resolve:ssm:<parameter>``, with ``keep_image_parameter``: no new
  version; the parameter must already hold the image, and a refresh replaces the instances;
- migration: a launch template equivalent to the launch configuration, then as above.

Where AWS cannot roll a refresh back, ``auto_rollback`` is refused while planning (auto_rollback.py).
"""

from __future__ import annotations

import copy

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import GROUP_TAG, MIGRATED_FROM_TAG
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.auto_rollback import (
    launch_configuration_refusal,
    ssm_parameter_refusal,
    version_alias_refusal,
)
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.group_selection import launch_template_of
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.image_parameter_reference import ImageParameterReference
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.instance_refresh import (
    SUCCESS_STATUS,
    active_refresh,
    refresh_record,
    start_refresh,
    wait_for_refresh,
)
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.launch_configuration_copy import copy_request, is_copy_of
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.launch_configuration_migration import launch_template_data
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.launch_template_version import (
    MOVING_VERSIONS,
    TemplateVersions,
    client_token,
    new_version_request,
)
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError, InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import tag_list_to_dict, tag_specifications

LAUNCH_CONFIGURATIONS_UNAVAILABLE = "UnsupportedOperation"
MIXED_INSTANCES_POLICY = "mixed_instances_policy"
TEMPLATE_NOT_FOUND = "InvalidLaunchTemplateName.NotFoundException"
# Instances on their way out are not what the group runs.
LEAVING_STATES = ("Terminating", "Terminating:Wait", "Terminating:Proceed", "Terminated", "Detaching", "Detached")


class LaunchConfigurationsUnavailableError(BakeryError):
    def __init__(self, group, region, aws_message):
        super().__init__(
            "group %s in %s uses a launch configuration, and this account cannot create launch configurations "
            "(AWS: %s). Set migrate_to_launch_template: true to move the group to an equivalent launch template "
            "with the new image." % (group, region, aws_message)
        )


class GroupRefusedError(BakeryError):
    """The rollout cannot do what was asked for this group; raised while planning, before any change."""


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
                raise GroupRefusedError(
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
            raise GroupRefusedError("group %s in %s has neither a launch template nor a launch configuration" % (name, self.region))
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
            if _instances_not_launched_from(group, launch_configuration=current["LaunchConfigurationName"]):
                self._plan_refresh(plan, desired_launch_template=None, refusal=launch_configuration_refusal(name, self.region, False))
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
        self._plan_refresh(plan, desired_launch_template=None, refusal=launch_configuration_refusal(name, self.region, False))
        return plan

    def _plan_launch_template(self, group, kind):
        spec = launch_template_of(group)
        template_id = spec["LaunchTemplateId"]
        reference = str(spec.get("Version") or "$Default")
        versions = TemplateVersions(self.ec2, template_id, reference)
        template = {"launch_template_id": template_id, "launch_template_name": versions.template_name}
        plan = GroupPlan(group, self.region, self.image_id, kind,
                         {"launch_template": dict(template, version=reference), "image_id": versions.current_image})
        keeps_alias = reference in MOVING_VERSIONS and self.request.keep_version_alias
        parameter = ImageParameterReference.of(versions.current_image)
        if parameter is not None:
            refusal = ssm_parameter_refusal(plan.name, self.region, parameter.reference, self.request.keep_image_parameter)
        elif keeps_alias:
            refusal = version_alias_refusal(plan.name, self.region, reference)
        else:
            refusal = None
        if parameter is not None and self.request.keep_image_parameter:
            return self._plan_parameter_refresh(plan, parameter, refusal)
        if versions.current_image == self.image_id:
            return self._plan_group_on_the_image(plan, template, versions, reference, keeps_alias, refusal)
        if parameter is not None:
            plan.warnings.append(
                "group %s in %s launches %s; its new launch template version names %s directly instead (to keep the "
                "reference, publish the image with bakery.ami.image_parameter and roll out with keep_image_parameter: true)"
                % (plan.name, self.region, parameter.reference, self.image_id)
            )
        if reference in MOVING_VERSIONS and not keeps_alias:
            running = _version_instances_run(group, template_id) or versions.current_number
            plan.add("pin group to the launch template version it runs", launch_template_id=template_id, version=str(running))
        if keeps_alias and reference == "$Default" and not self.request.make_default_version:
            raise GroupRefusedError(
                "group %s in %s launches its launch template's $Default version and keep_version_alias is set: a new version "
                "reaches the group only as the template's default. Set make_default_version: true, or let asg_rollout pin "
                "the group (keep_version_alias: false)" % (plan.name, self.region)
            )
        if versions.latest_is_current_with(self.image_id):
            version = str(versions.latest["VersionNumber"])
            plan.add("reuse launch template version", launch_template_id=template_id, version=version)
        else:
            version = None
            plan.add("create launch template version",
                     request=new_version_request(template_id, versions.current_number, self.image_id, versions.latest["VersionNumber"]))
        self._plan_template_switch(plan, template_id, version, reference if keeps_alias else None, refusal)
        plan.after = {"launch_template": dict(template, version=reference if keeps_alias else (version or "(new)")), "image_id": self.image_id}
        return plan

    def _plan_group_on_the_image(self, plan, template, versions, reference, keeps_alias, refusal):
        """The group's launch template version already names the image (another run, or someone else, made it): what is
        left is pinning a group on an alias, and refreshing instances launched from an older version."""
        template_id, number = template["launch_template_id"], str(versions.current_number)
        behind = _instances_not_launched_from(plan.group, template_id=template_id, version=number)
        if reference in MOVING_VERSIONS and not keeps_alias:
            refreshes = bool(behind) and self.request.refresh.enabled
            if refreshes:
                running = _version_instances_run(plan.group, template_id) or versions.current_number
                plan.add("pin group to the launch template version it runs", launch_template_id=template_id, version=str(running))
                self._plan_refresh(plan, {"LaunchTemplateId": template_id, "Version": number}, refusal=refusal)
            else:
                plan.add("pin group to launch template version", launch_template_id=template_id, version=number)
            plan.after = {"launch_template": dict(template, version=number), "image_id": self.image_id}
        elif behind:
            desired = reference if reference in MOVING_VERSIONS else number
            self._plan_refresh(plan, {"LaunchTemplateId": template_id, "Version": desired}, refusal=refusal)
        return plan

    def _plan_parameter_refresh(self, plan, parameter, refusal):
        """``keep_image_parameter``: the template stays; its parameter must hold the image; a refresh replaces instances."""
        where = "group %s in %s launches %s" % (plan.name, self.region, parameter.reference)
        if parameter.pins_a_version:
            raise GroupRefusedError(
                "%s, a fixed version or label of the parameter, which publishing the image does not move. Roll it out "
                "without keep_image_parameter (a new launch template version names the image directly)" % where
            )
        value = parameter.current_value(self.region_state.ssm)
        if value != self.image_id:
            raise GroupRefusedError(
                "%s, which holds %s, not %s: publish the image to the parameter first (bakery.ami.image_parameter; "
                "playbooks/rollout.yml does with rollout_image_parameter), then roll out" % (where, value or "nothing (it does not exist)", self.image_id)
            )
        plan.after = dict(plan.before, image_id=self.image_id)
        behind = self._instances_not_running(plan.group, self.image_id)
        if not behind:
            return plan
        if not self.request.refresh.enabled:
            plan.warnings.append("%s: %d running instance(s) still run older images; enable instance_refresh to replace them" % (where, len(behind)))
            return plan
        if self.request.refresh.skip_matching:
            raise GroupRefusedError(
                "%s: skip_matching would skip every instance, since they all run the template's one version; roll it out "
                "without skip_matching" % where
            )
        self._plan_refresh(plan, desired_launch_template=None, refusal=refusal)
        return plan

    def _instances_not_running(self, group, image_id):
        instance_ids = [instance["InstanceId"] for instance in group.get("Instances") or [] if instance.get("LifecycleState") not in LEAVING_STATES]
        if not instance_ids:
            return []
        reservations = self.ec2.paginate("describe_instances", "Reservations", InstanceIds=instance_ids)
        return [instance["InstanceId"] for reservation in reservations for instance in reservation.get("Instances", []) if instance.get("ImageId") != image_id]

    def _plan_migration(self, plan, launch_configuration):
        group_name = plan.name
        template_name = self.request.launch_template_name.render(group_name, self.image_id, self.region)
        data = launch_template_data(launch_configuration, self.image_id, self.request.require_imdsv2)
        plan.kind = "migration"
        existing = self._template_by_name(template_name)
        description = "bakery.ami migration of %s with %s" % (launch_configuration["LaunchConfigurationName"], self.image_id)
        if existing is None:
            tags = {MIGRATED_FROM_TAG: launch_configuration["LaunchConfigurationName"], GROUP_TAG: group_name}
            plan.add("create launch template", request={
                "LaunchTemplateName": template_name,
                "VersionDescription": description,
                "LaunchTemplateData": data,
                "TagSpecifications": tag_specifications(["launch-template"], tags),
                "ClientToken": client_token("launch-template", self.region, template_name, launch_configuration["LaunchConfigurationName"], self.image_id),
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
                "VersionDescription": description,
                "LaunchTemplateData": data,
                "ClientToken": client_token("migration-version", template_id, existing.get("LatestVersionNumber"), self.image_id),
            })
        self._plan_template_switch(plan, template_id, None, None, launch_configuration_refusal(group_name, self.region, True))
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

    def _plan_template_switch(self, plan, template_id, version, kept_alias, refusal):
        """``kept_alias``: the group stays on ``$Latest``/``$Default`` (keep_version_alias), which then names the new version."""
        if self.request.make_default_version:
            plan.add("make version the default", launch_template_id=template_id, version=version)
        if self.request.refresh.enabled:
            self._plan_refresh(plan, {"LaunchTemplateId": template_id, "Version": kept_alias or version}, refusal=refusal)
        elif not kept_alias:
            plan.add("pin group to launch template version", launch_template_id=template_id, version=version)

    def _plan_refresh(self, plan, desired_launch_template, refusal=None):
        settings = self.request.refresh
        if not settings.enabled:
            return
        if settings.auto_rollback and refusal is not None:
            raise refusal
        has_desired_configuration = desired_launch_template is not None
        if not has_desired_configuration and settings.skip_matching:
            plan.warnings.append(
                "group %s in %s: AWS offers skip_matching only towards a desired configuration (a launch template "
                "version), so its refresh replaces every instance" % (plan.name, self.region)
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
            elif kind == "pin group to the launch template version it runs":
                self.autoscaling.call(
                    "update_auto_scaling_group", AutoScalingGroupName=name, **_launch_source(plan, step["launch_template_id"], step["version"])
                )
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
                # The version a step before made (None in the plan), or the one the plan named.
                template_id, version = step["launch_template_id"] or template_id, step["version"] or version
                self.autoscaling.call("update_auto_scaling_group", AutoScalingGroupName=name, **_launch_source(plan, template_id, version))
            elif kind == "start instance refresh":
                return self._refresh(plan, step, template_id, version)
        if version is not None and plan.after["launch_template"]["version"] not in MOVING_VERSIONS:
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
        wanted = step["desired_launch_template"]
        if wanted is not None:
            template_id = template_id or wanted["LaunchTemplateId"]
            desired_version = wanted["Version"] if wanted["Version"] in MOVING_VERSIONS else (version or wanted["Version"])
            desired = _launch_source(plan, template_id, desired_version)
            after_version = wanted["Version"] if wanted["Version"] in MOVING_VERSIONS else desired_version
            plan.after["launch_template"].update(launch_template_id=template_id, version=after_version)
        refresh_id = start_refresh(self.autoscaling, plan.name, step["preferences"], desired)
        settings = self.request.refresh
        if not settings.wait:
            return refresh_record({"InstanceRefreshId": refresh_id, "Status": "Pending", "PercentageComplete": 0}, True)
        progress = []
        refresh = wait_for_refresh(self.autoscaling, plan.name, refresh_id, settings.wait_seconds, self.backoff, progress)
        record = refresh_record(refresh, True)
        record["progress"] = progress
        if refresh.get("Status") != SUCCESS_STATUS and desired is not None:
            # The group keeps (or went back to) its launch source from before the refresh: the pinned version.
            pinned = plan.step("pin group to the launch template version it runs")
            plan.after = copy.deepcopy(plan.before)
            if pinned is not None:
                plan.after["launch_template"]["version"] = pinned["version"]
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


def _current_instances(group):
    return [instance for instance in group.get("Instances") or [] if instance.get("LifecycleState") not in LEAVING_STATES]


def _version_instances_run(group, template_id):
    """The numbered version of ``template_id`` every instance of the group was launched from, or None (none, or several)."""
    versions = set()
    for instance in _current_instances(group):
        launched = instance.get("LaunchTemplate") or {}
        if launched.get("LaunchTemplateId") != template_id or not str(launched.get("Version", "")).isdigit():
            return None
        versions.add(str(launched["Version"]))
    return int(versions.pop()) if len(versions) == 1 else None


def _instances_not_launched_from(group, template_id=None, version=None, launch_configuration=None):
    """The group's instances launched from anything but its current launch source (they still run an older one)."""
    behind = []
    for instance in _current_instances(group):
        if launch_configuration is not None:
            if instance.get("LaunchConfigurationName") != launch_configuration:
                behind.append(instance["InstanceId"])
            continue
        launched = instance.get("LaunchTemplate") or {}
        if launched.get("LaunchTemplateId") != template_id or str(launched.get("Version")) != str(version):
            behind.append(instance["InstanceId"])
    return behind
