"""Instance refresh: StartInstanceRefresh, DescribeInstanceRefreshes, CancelInstanceRefresh and
RollbackInstanceRefresh, with a simple progression that really replaces the group's instances.

AWS behaviour followed
(https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html,
API_DescribeInstanceRefreshes.html, API_CancelInstanceRefresh.html,
API_RollbackInstanceRefresh.html, API_RefreshPreferences.html, API_InstanceRefresh.html):
- One active refresh per group: starting another while one is Pending, InProgress, Baking,
  Cancelling or RollbackInProgress answers `InstanceRefreshInProgress`.
- `DesiredConfiguration.LaunchTemplate` (a specific version), or `DesiredConfiguration.MixedInstancesPolicy`
  (its launch template), is what replacement instances are launched from; the group itself is updated
  to it only when the refresh succeeds. Without a desired configuration, instances are replaced from
  the group's current launch source. (Replacements use the template's own instance type: the
  emulator does not model the policy's overrides or its on-demand/spot split.)
- Rollback (manual, or `Preferences.AutoRollback` when the refresh fails) needs a desired
  configuration whose launch template version is not `$Latest`/`$Default`; otherwise
  `IrreversibleInstanceRefresh`. It replaces the instances the refresh launched with ones from
  the group's (unchanged) launch source and ends `RollbackSuccessful`.
- `Preferences`: MinHealthyPercentage (default 90) and MaxHealthyPercentage (default 100) set how
  many instances are replaced at a time; SkipMatching leaves instances that already match the
  desired launch template version; CheckpointPercentages pause the refresh.
- Statuses: Pending, InProgress, Successful, Failed, Cancelling, Cancelled, RollbackInProgress,
  RollbackSuccessful; `PercentageComplete` and `InstancesToUpdate` report progress.

The emulator's progression (documented simplification, no wall clock): every
DescribeInstanceRefreshes call for a group moves each of its active refreshes one step.
  Pending -> InProgress and the first batch is replaced (same step);
  each later step replaces one batch of max(1, floor(desired * (max% - min%) / 100)) instances,
  so at least min% of the desired capacity stays in service when max% is 100;
  reaching a checkpoint below 100 % pauses for one step (StatusReason says so);
  all replaced -> Successful (and the group switched to the desired configuration);
  Cancelling -> Cancelled on the next step.
Failure switch: `aws.control.configure(instance_refresh_failing_groups=["web-1"])` makes that
group's refreshes fail after their first batch (then roll back when AutoRollback is set).
"""

from __future__ import annotations

import copy
import math
import random
import uuid

from moto.autoscaling.exceptions import AutoscalingClientError
from moto.autoscaling.models import ASG_NAME_TAG, FakeAutoScalingGroup, InstanceState
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import ActionResult
from moto.core.utils import utcnow

from ..config import emulator_config

ACTIVE_STATUSES = ("Pending", "InProgress", "Baking", "Cancelling", "RollbackInProgress")
MOVING_VERSIONS = ("$latest", "$default")


def desired_template_specification(desired_configuration):
    """The launch template a desired configuration names, directly or through its mixed instances policy."""
    desired_configuration = desired_configuration or {}
    if desired_configuration.get("LaunchTemplate"):
        return desired_configuration["LaunchTemplate"]
    policy = desired_configuration.get("MixedInstancesPolicy") or {}
    return (policy.get("LaunchTemplate") or {}).get("LaunchTemplateSpecification")


class InstanceRefreshInProgressError(AutoscalingClientError):
    code = "InstanceRefreshInProgress"


class ActiveInstanceRefreshNotFoundError(AutoscalingClientError):
    code = "ActiveInstanceRefreshNotFound"


class IrreversibleInstanceRefreshError(AutoscalingClientError):
    code = "IrreversibleInstanceRefresh"


class ValidationError(AutoscalingClientError):
    code = "ValidationError"


def _refreshes(group: FakeAutoScalingGroup) -> list:
    if "instance_refreshes" not in group.__dict__:
        group.instance_refreshes = []
    return group.instance_refreshes


def _active(group):
    return [refresh for refresh in _refreshes(group) if refresh.status in ACTIVE_STATUSES]


def _group(response, name):
    group = response.autoscaling_backend.autoscaling_groups.get(name)
    if group is None:
        raise ValidationError(f"AutoScalingGroup name not found - AutoScalingGroup '{name}' not found")
    return group


class LaunchSource:
    """What new instances are launched from: a launch template version or a launch configuration."""

    def __init__(self, group, template=None, version=None, configuration=None):
        self.group = group
        self.template = template
        self.version = version
        self.configuration = configuration

    @classmethod
    def of_group(cls, group):
        if group.ec2_launch_template is not None:
            version = group.ec2_launch_template.get_version(getattr(group, "launch_template_version", None) or "$Default")
            return cls(group, template=group.ec2_launch_template, version=version)
        return cls(group, configuration=group.launch_config)

    @classmethod
    def desired(cls, group, desired_configuration):
        spec = desired_template_specification(desired_configuration)
        if not spec:
            return cls.of_group(group)
        ec2 = group.ec2_backend
        template = ec2.get_launch_template(spec["LaunchTemplateId"]) if spec.get("LaunchTemplateId") else ec2.get_launch_template_by_name(spec["LaunchTemplateName"])
        return cls(group, template=template, version=template.get_version(spec.get("Version") or "$Default"))

    def matches(self, state: InstanceState) -> bool:
        if self.template is not None:
            launched = getattr(state, "launched_from_template", None) or {}
            return launched.get("LaunchTemplateId") == self.template.id and launched.get("Version") == str(self.version.number)
        return self.configuration is not None and getattr(state, "launched_from_configuration", None) == self.configuration.name

    def launch(self, count: int) -> list:
        group = self.group
        if self.template is not None:
            image_id, instance_type = self.version.image_id, self.version.instance_type
            user_data, security_groups = self.version.user_data, self.version.security_groups
        else:
            configuration = self.configuration
            image_id, instance_type = configuration.image_id, configuration.instance_type
            user_data, security_groups = configuration.user_data, configuration.security_groups
        tags = group.get_propagated_tags()
        tags[ASG_NAME_TAG] = group.name
        subnet_id = group.vpc_zone_identifier.split(",")[0] if group.vpc_zone_identifier else None
        reservation = group.autoscaling_backend.ec2_backend.run_instances(
            image_id,
            count,
            user_data,
            security_groups,
            instance_type=instance_type,
            tags={"instance": tags},
            placement=random.choice(group.availability_zones),
            is_instance_type_default=False,
            subnet_id=subnet_id,
        )
        states = []
        for instance in reservation.instances:
            instance.autoscaling_group = group
            state = InstanceState(instance, protected_from_scale_in=group.new_instances_protected_from_scale_in)
            if self.template is not None:
                state.launched_from_template = {
                    "LaunchTemplateId": self.template.id,
                    "LaunchTemplateName": self.template.name,
                    "Version": str(self.version.number),
                }
                state.launched_from_configuration = None
            else:
                state.launched_from_template = None
                state.launched_from_configuration = self.configuration.name
            group.instance_states.append(state)
            states.append(state)
        return states


class InstanceRefresh:
    def __init__(self, group, preferences, desired_configuration, strategy):
        self.id = str(uuid.uuid4())
        self.group = group
        self.preferences = preferences
        self.desired_configuration = desired_configuration or None
        self.strategy = strategy or "Rolling"
        self.status = "Pending"
        self.status_reason = None
        self.start_time = utcnow()
        self.end_time = None
        self.target = LaunchSource.desired(group, self.desired_configuration)
        skip_matching = bool(preferences.get("SkipMatching"))
        self.to_replace = [state.instance.id for state in group.instance_states if not (skip_matching and self.target.matches(state))]
        self.instances_to_update = len(self.to_replace)
        self.launched = []
        self.replaced_count = 0
        self.checkpoints_passed = set()
        self.rollback_details = None
        self.rollback_to_replace = []

    # ----- progression -----

    @property
    def batch_size(self):
        minimum = int(self.preferences.get("MinHealthyPercentage", 90))
        maximum = int(self.preferences.get("MaxHealthyPercentage", 100))
        desired = self.group.desired_capacity or len(self.group.instance_states) or 1
        return max(1, int(math.floor(desired * (maximum - minimum) / 100.0)))

    @property
    def percentage_complete(self):
        if not self.instances_to_update:
            return 100
        return int(100 * self.replaced_count / self.instances_to_update)

    def step(self):
        if self.status == "Pending":
            self.status = "InProgress"
        if self.status == "InProgress":
            self._step_forward()
        elif self.status == "Cancelling":
            self._finish("Cancelled", "Cancelled by CancelInstanceRefresh.")
        elif self.status == "RollbackInProgress":
            self._step_back()

    def _step_forward(self):
        if self._waits_at_checkpoint():
            return
        self.status_reason = None
        self._replace(self.to_replace, self.target, self.launched)
        if self.group.name in emulator_config.instance_refresh_failing_groups:
            reason = "Instances failed to pass health checks (emulator: instance_refresh_failing_groups)."
            if self.preferences.get("AutoRollback"):
                self._start_rollback(reason)
            else:
                self._finish("Failed", reason)
            return
        if not self.to_replace:
            if self.desired_configuration and self.desired_configuration.get("MixedInstancesPolicy"):
                policy = copy.deepcopy(self.desired_configuration["MixedInstancesPolicy"])
                self.group.mixed_instances_policy = policy
                self.group._set_launch_configuration(None, None, policy)
            elif self.desired_configuration:
                spec = self.desired_configuration["LaunchTemplate"]
                self.group._set_launch_configuration(None, {"LaunchTemplateId": self.target.template.id, "Version": spec.get("Version")}, None)
            self._finish("Successful", None)

    def _waits_at_checkpoint(self):
        for checkpoint in sorted(int(p) for p in self.preferences.get("CheckpointPercentages") or []):
            if checkpoint < 100 and self.percentage_complete >= checkpoint and checkpoint not in self.checkpoints_passed:
                self.checkpoints_passed.add(checkpoint)
                self.status_reason = "Waiting for checkpoint at %d%% (emulator: one DescribeInstanceRefreshes call)." % checkpoint
                return True
        return False

    def _replace(self, pending_ids, source, launched_ids):
        batch = pending_ids[: self.batch_size]
        del pending_ids[: len(batch)]
        present = [state for state in self.group.instance_states if state.instance.id in batch]
        if present:
            self.group.instance_states = [state for state in self.group.instance_states if state.instance.id not in batch]
            self.group.autoscaling_backend.ec2_backend.terminate_instances([state.instance.id for state in present])
        if present:
            launched_ids.extend(state.instance.id for state in source.launch(len(present)))
        self.replaced_count += len(batch)

    def _step_back(self):
        self._replace(self.rollback_to_replace, LaunchSource.of_group(self.group), [])
        total = self.rollback_details["InstancesToUpdateOnRollback"]
        done = total - len(self.rollback_to_replace)
        self.rollback_details["PercentageCompleteOnRollback"] = int(100 * done / total) if total else 100
        if not self.rollback_to_replace:
            self._finish("RollbackSuccessful", self.status_reason)

    def _start_rollback(self, reason):
        self.status = "RollbackInProgress"
        self.status_reason = reason
        self.rollback_to_replace = [instance_id for instance_id in self.launched if any(s.instance.id == instance_id for s in self.group.instance_states)]
        self.rollback_details = {
            "RollbackReason": reason,
            "RollbackStartTime": utcnow(),
            "PercentageCompleteOnRollback": 0,
            "InstancesToUpdateOnRollback": len(self.rollback_to_replace),
        }

    def _finish(self, status, reason):
        self.status = status
        self.status_reason = reason
        self.end_time = utcnow()

    def rollback(self, reason):
        if not self.can_roll_back:
            raise IrreversibleInstanceRefreshError(
                "The request failed because a desired configuration was not found or an incompatible launch template "
                "(uses a Systems Manager parameter instead of an AMI ID) or launch template version ($Latest or $Default) "
                "is present on the Auto Scaling group."
            )
        self._start_rollback(reason)

    @property
    def can_roll_back(self):
        spec = desired_template_specification(self.desired_configuration)
        return bool(spec) and str(spec.get("Version") or "$Default").lower() not in MOVING_VERSIONS

    def as_dict(self):
        described = {
            "AutoScalingGroupName": self.group.name,
            "InstanceRefreshId": self.id,
            "Status": self.status,
            "StartTime": self.start_time,
            "PercentageComplete": self.percentage_complete if self.status != "Pending" else 0,
            "InstancesToUpdate": len(self.to_replace),
            "Preferences": self.preferences,
            "Strategy": self.strategy,
        }
        if self.status_reason:
            described["StatusReason"] = self.status_reason
        if self.end_time:
            described["EndTime"] = self.end_time
        if self.desired_configuration:
            described["DesiredConfiguration"] = self.desired_configuration
        if self.rollback_details:
            described["RollbackDetails"] = self.rollback_details
        return described


def start_instance_refresh(self) -> ActionResult:
    group = _group(self, self._get_param("AutoScalingGroupName"))
    if _active(group):
        raise InstanceRefreshInProgressError("An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.")
    preferences = self._get_param("Preferences") or {}
    minimum, maximum = int(preferences.get("MinHealthyPercentage", 90)), int(preferences.get("MaxHealthyPercentage", 100))
    if not 0 <= minimum <= 100 or not 100 <= maximum <= 200 or maximum - minimum > 100:
        raise ValidationError("MinHealthyPercentage must be 0-100, MaxHealthyPercentage 100-200, and their difference at most 100.")
    refresh = InstanceRefresh(group, preferences, self._get_param("DesiredConfiguration"), self._get_param("Strategy"))
    if preferences.get("AutoRollback") and not refresh.can_roll_back:
        raise IrreversibleInstanceRefreshError(
            "Auto rollback needs a desired configuration with a specific launch template version (not $Latest or $Default)."
        )
    _refreshes(group).insert(0, refresh)
    return ActionResult({"InstanceRefreshId": refresh.id})


def describe_instance_refreshes(self) -> ActionResult:
    group = _group(self, self._get_param("AutoScalingGroupName"))
    for refresh in _active(group):
        refresh.step()
    wanted = self._get_param("InstanceRefreshIds") or []
    refreshes = [refresh.as_dict() for refresh in _refreshes(group) if not wanted or refresh.id in wanted]
    return ActionResult({"InstanceRefreshes": refreshes[: int(self._get_param("MaxRecords") or 50)]})


def _only_active(group):
    active = _active(group)
    if not active:
        raise ActiveInstanceRefreshNotFoundError(f"No in progress or pending Instance Refresh found for Auto Scaling group {group.name}")
    return active[0]


def cancel_instance_refresh(self) -> ActionResult:
    refresh = _only_active(_group(self, self._get_param("AutoScalingGroupName")))
    refresh.status = "Cancelling"
    return ActionResult({"InstanceRefreshId": refresh.id})


def rollback_instance_refresh(self) -> ActionResult:
    refresh = _only_active(_group(self, self._get_param("AutoScalingGroupName")))
    refresh.rollback("Rollback started by RollbackInstanceRefresh.")
    return ActionResult({"InstanceRefreshId": refresh.id})


def install() -> None:
    AutoScalingResponse.start_instance_refresh = start_instance_refresh
    AutoScalingResponse.describe_instance_refreshes = describe_instance_refreshes
    AutoScalingResponse.cancel_instance_refresh = cancel_instance_refresh
    AutoScalingResponse.rollback_instance_refresh = rollback_instance_refresh
