"""Instance refresh: StartInstanceRefresh, DescribeInstanceRefreshes, CancelInstanceRefresh and
RollbackInstanceRefresh, on a clock, really replacing the group's instances.

AWS behaviour followed
(https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html,
API_DescribeInstanceRefreshes.html, API_CancelInstanceRefresh.html, API_RollbackInstanceRefresh.html,
https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html,
https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html,
https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html,
https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-adding-checkpoints-instance-refresh.html):
- One active refresh per group: starting another while one is Pending, InProgress, Baking, Cancelling or
  RollbackInProgress answers `InstanceRefreshInProgress` (StartInstanceRefresh's documented fault).
- `DesiredConfiguration.LaunchTemplate` (or `.MixedInstancesPolicy`) is what replacements are launched from; the
  group itself is switched to it only when the refresh succeeds. Without one, replacements come from the group's
  own launch source. (Replacements use the template's instance type: the policy's overrides are not modelled.)
- Healthy percentages: "If you do not specify this property, the default is 90 percent, or the percentage set in the
  instance maintenance policy for the Auto Scaling group, if defined" (MinHealthyPercentage; MaxHealthyPercentage
  likewise with 100). "If you specify MaxHealthyPercentage, you must also specify MinHealthyPercentage, and the
  difference between them cannot be greater than 100." A batch replaces max(1, floor(desired * (max - min) / 100))
  instances; the group's policy comes from extensions/instance_maintenance_policy.py.
- Checkpoints: "If you specify a value for CheckpointPercentages and not for CheckpointDelay, the CheckpointDelay
  defaults to 3600 (1 hour)"; CheckpointDelay without CheckpointPercentages is refused. Checkpoints are "the minimum
  percentage of the instances ... that must be new instances before the checkpoint is considered reached", and AWS
  "sometimes replaces fewer than the minimum healthy percentage allows" to meet one: a batch never overshoots the
  next checkpoint. Events are emitted "for each checkpoint except the 100% complete checkpoint": 100 does not pause.
  "To replace all instances in the Auto Scaling group, the last number in the array must be 100": a refresh whose
  last checkpoint is lower ends Successful after that checkpoint's delay, with the rest left as they were.
- `BakeTime`: "The amount of time, in seconds, to wait at the end of an instance refresh before the instance refresh
  is considered complete" (status `Baking`; alarms are still watched).
- `AlarmSpecification.Alarms` ("You can specify up to 10 alarms"): "Auto rollback: Amazon EC2 Auto Scaling
  automatically reverses what was deployed if the instance refresh fails for some reason or if any CloudWatch alarms
  you specify go into the ALARM state"; without AutoRollback the refresh fails. The alarms are CloudWatch's (moto).
- `StandbyInstances` / `ScaleInProtectedInstances` (Terminate|Ignore|Wait, Refresh|Ignore|Wait): "Wait (default)
  Amazon EC2 Auto Scaling waits one hour for you to return the instances to service. Otherwise, the instance refresh
  will fail." (the same for scale-in protection); Ignore leaves them; Terminate terminates standby instances; Refresh
  replaces protected ones.
- Rollback: "A rollback is not supported in the following situations: There is no desired configuration specified
  for the instance refresh. The Auto Scaling group has a launch template that uses an AWS Systems Manager parameter
  instead of an AMI ID for the ImageId property. The Auto Scaling group uses the launch template's $Latest or $Default
  version." The group's launch source is read when the refresh starts (what a rollback would go back to).
  RollbackInstanceRefresh then answers `IrreversibleInstanceRefresh` (its documented fault: "The request failed
  because a desired configuration was not found or an incompatible launch template (uses a Systems Manager parameter
  instead of an AMI ID) or launch template version ($Latest or $Default) is present on the Auto Scaling group.").
  StartInstanceRefresh with `AutoRollback` in such a case answers `ValidationError`, HTTP 400, as AWS was seen to for a
  missing desired configuration ("The request isn't valid. The AutoRollback parameter cannot be set to true when the
  DesiredConfiguration parameter is empty. Set AutoRollback to false or specify a desired configuration and try
  again.", https://github.com/hashicorp/terraform-provider-aws/issues/29830). For the other cases AWS's answer to
  StartInstanceRefresh is not documented: `ValidationError` there is chosen by us. Chosen by us as well, being at least
  as strict where AWS does not say: a desired configuration whose version is `$Latest`/`$Default` or whose image is
  an SSM parameter, and a group on a launch configuration, cannot be rolled back either.
- CancelInstanceRefresh and RollbackInstanceRefresh without an active refresh answer `ActiveInstanceRefreshNotFound`
  ("The request failed because an active instance refresh or rollback for the specified Auto Scaling group was not
  found", their documented fault).
- Other refused preferences answer `ValidationError` (the Auto Scaling validation code; the wording is ours, chosen
  by us): percentages out of range, checkpoints not ascending and unique, unknown Standby/ScaleIn values, more than 10
  alarms, an alarm that does not exist (AWS's answer to a missing alarm is not documented).
- Statuses: Pending, InProgress, Baking, Successful, Failed, Cancelling, Cancelled, RollbackInProgress,
  RollbackSuccessful; `PercentageComplete`, `InstancesToUpdate` (those still to replace), `RollbackDetails`.

The emulator's clock (documented simplification): every replacement batch takes
`config.instance_refresh_batch_seconds` (launch and warm-up; InstanceWarmup is not added), then checkpoint delays
and bake time as asked. A refresh moves on when it is looked at (DescribeInstanceRefreshes, DescribeAutoScalingGroups,
StartInstanceRefresh) and catches up with the time that passed; alarms are read at that moment, and one in ALARM
fails the refresh then. Tests move one refresh's clock with `fast_forward()` instead of sleeping. Failure switch:
`config.instance_refresh_failing_groups` makes that group's refreshes fail after their first batch.
"""

from __future__ import annotations

import copy
import functools
import math
import random
import threading
import uuid
from datetime import timedelta

from moto.autoscaling.exceptions import AutoscalingClientError
from moto.autoscaling.models import ASG_NAME_TAG, FakeAutoScalingGroup, InstanceState
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import ActionResult
from moto.core.utils import utcnow

from ..config import emulator_config
from .instance_maintenance_policy import maintenance_policy_of

ACTIVE_STATUSES = ("Pending", "InProgress", "Baking", "Cancelling", "RollbackInProgress")
MOVING_VERSIONS = ("$latest", "$default")
SSM_IMAGE_REFERENCE = "resolve:ssm:"
DEFAULT_MIN_HEALTHY_PERCENTAGE = 90
DEFAULT_MAX_HEALTHY_PERCENTAGE = 100
DEFAULT_CHECKPOINT_DELAY = 3600
# "waits one hour for you to return the instances to service" / "to remove scale-in protection"
BLOCKED_WAIT_SECONDS = 3600
MAX_DELAY_SECONDS = 172800
MAX_ALARMS = 10
STANDBY_CHOICES = ("Terminate", "Ignore", "Wait")
SCALE_IN_PROTECTED_CHOICES = ("Refresh", "Ignore", "Wait")

_lock = threading.RLock()


class InstanceRefreshInProgressError(AutoscalingClientError):
    code = "InstanceRefreshInProgress"


class ActiveInstanceRefreshNotFoundError(AutoscalingClientError):
    code = "ActiveInstanceRefreshNotFound"


class IrreversibleInstanceRefreshError(AutoscalingClientError):
    code = "IrreversibleInstanceRefresh"


class ValidationError(AutoscalingClientError):
    code = "ValidationError"


def desired_template_specification(desired_configuration):
    """The launch template a desired configuration names, directly or through its mixed instances policy."""
    desired_configuration = desired_configuration or {}
    if desired_configuration.get("LaunchTemplate"):
        return desired_configuration["LaunchTemplate"]
    policy = desired_configuration.get("MixedInstancesPolicy") or {}
    return (policy.get("LaunchTemplate") or {}).get("LaunchTemplateSpecification")


def _refreshes(group: FakeAutoScalingGroup) -> list:
    if "instance_refreshes" not in group.__dict__:
        group.instance_refreshes = []
    return group.instance_refreshes


def _active(group):
    """The group's active refreshes, each first brought up to date with its clock."""
    for refresh in list(_refreshes(group)):
        if refresh.status in ACTIVE_STATUSES:
            refresh.advance()
    return [refresh for refresh in _refreshes(group) if refresh.status in ACTIVE_STATUSES]


def _group(response, name):
    group = response.autoscaling_backend.autoscaling_groups.get(name)
    if group is None:
        raise ValidationError(f"AutoScalingGroup name not found - AutoScalingGroup '{name}' not found")
    return group


def fast_forward(group: FakeAutoScalingGroup, seconds: float) -> None:
    """Move the clock of the group's newest refresh ``seconds`` on (tests, instead of sleeping)."""
    with _lock:
        refreshes = _refreshes(group)
        if refreshes:
            refreshes[0].clock_offset += seconds


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

    @property
    def image(self):
        if self.template is not None:
            return self.version.image_id
        return self.configuration.image_id if self.configuration is not None else None

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


def rollback_refusal(group, desired_configuration):
    """Why a refresh of ``group`` (as it is now) towards ``desired_configuration`` cannot be rolled back, or None."""
    spec = desired_template_specification(desired_configuration)
    if not spec:
        return "There is no desired configuration specified for the instance refresh."
    if group.ec2_launch_template is None:
        return "The Auto Scaling group uses a launch configuration, not a launch template (chosen by us)."
    group_version = str(getattr(group, "launch_template_version", None) or "$Default")
    if group_version.lower() in MOVING_VERSIONS:
        return "The Auto Scaling group uses the launch template's %s version." % group_version
    if str(LaunchSource.of_group(group).image or "").startswith(SSM_IMAGE_REFERENCE):
        return "The Auto Scaling group has a launch template that uses an AWS Systems Manager parameter instead of an AMI ID for the ImageId property."
    if str(spec.get("Version") or "$Default").lower() in MOVING_VERSIONS:
        return "The desired configuration names the launch template's %s version (chosen by us)." % spec.get("Version")
    if str(LaunchSource.desired(group, desired_configuration).image or "").startswith(SSM_IMAGE_REFERENCE):
        return "The desired launch template uses an AWS Systems Manager parameter instead of an AMI ID (chosen by us)."
    return None


def _alarm_backend(group):
    from moto.cloudwatch.models import cloudwatch_backends

    return cloudwatch_backends[group.autoscaling_backend.account_id][group.region]


class InstanceRefresh:
    def __init__(self, group, preferences, desired_configuration, strategy):
        self.id = str(uuid.uuid4())
        self.group = group
        self.preferences = preferences
        self.desired_configuration = desired_configuration or None
        self.strategy = strategy or "Rolling"
        self.status = "Pending"
        self.status_reason = None
        self.clock_offset = 0.0
        self.start_time = self.now()
        self.end_time = None
        policy = maintenance_policy_of(group) or {}
        self.min_healthy = int(preferences.get("MinHealthyPercentage", policy.get("MinHealthyPercentage", DEFAULT_MIN_HEALTHY_PERCENTAGE)))
        self.max_healthy = int(preferences.get("MaxHealthyPercentage", policy.get("MaxHealthyPercentage", DEFAULT_MAX_HEALTHY_PERCENTAGE)))
        self.checkpoints = [int(p) for p in preferences.get("CheckpointPercentages") or []]
        self.checkpoint_delay = int(preferences.get("CheckpointDelay", DEFAULT_CHECKPOINT_DELAY))
        self.bake_time = int(preferences.get("BakeTime") or 0)
        self.alarms = list((preferences.get("AlarmSpecification") or {}).get("Alarms") or [])
        self.auto_rollback = bool(preferences.get("AutoRollback"))
        self.rollback_refusal = rollback_refusal(group, self.desired_configuration)
        self.target = LaunchSource.desired(group, self.desired_configuration)
        self.to_replace = self._instances_to_replace(preferences)
        self.instances_to_update = len(self.to_replace)
        self.replaced_count = 0
        self.batch = []
        self.launched = []
        self.checkpoints_passed = set()
        self.blocked_since = None
        self.rollback_details = None
        self.rollback_to_replace = []
        self.batches = []  # sizes of the replacement batches, in order (what the healthy percentages allowed)
        self.next_at = self.start_time
        self.waiting_for = "start"

    def now(self):
        return utcnow() + timedelta(seconds=self.clock_offset)

    def _instances_to_replace(self, preferences):
        skip_matching = bool(preferences.get("SkipMatching"))
        standby = preferences.get("StandbyInstances") or "Wait"
        protected = preferences.get("ScaleInProtectedInstances") or "Wait"
        to_replace = []
        for state in list(self.group.instance_states):
            if skip_matching and self.target.matches(state):
                continue
            if state.lifecycle_state == "Standby":
                if standby == "Ignore":
                    continue
                if standby == "Terminate":
                    self._terminate([state])
                    continue
            elif state.protected_from_scale_in and protected == "Ignore":
                continue
            to_replace.append(state.instance.id)
        return to_replace

    # ----- the clock -----

    def advance(self):
        """Catch up with the time that passed: every batch, checkpoint, bake and wait due by now."""
        with _lock:
            now = self.now()
            while self.status in ACTIVE_STATUSES:
                if self.status in ("InProgress", "Baking") and self._alarm_in_alarm():
                    self._fail(now, "CloudWatch alarm %s is in ALARM state." % self._alarm_in_alarm())
                    continue
                if self.waiting_for == "blocked" and self._replaceable():
                    self._start_batch(now)
                    continue
                if self.next_at is None or self.next_at > now:
                    break
                self._on_timer(self.next_at)

    def _on_timer(self, at):
        waiting_for = self.waiting_for
        if waiting_for == "start":
            self.status = "InProgress"
            self._start_batch(at)
        elif waiting_for == "batch":
            self._batch_done(at)
        elif waiting_for in ("checkpoint", "last checkpoint"):
            self.status_reason = None
            self._finish_replacing(at) if waiting_for == "last checkpoint" else self._start_batch(at)
        elif waiting_for == "blocked":
            self._fail(at, "%d instance(s) in Standby or protected from scale in were not returned within one hour." % len(self.to_replace))
        elif waiting_for == "bake":
            self._succeed(at)
        elif waiting_for == "cancel":
            self._finish(at, "Cancelled", "Cancelled by CancelInstanceRefresh.")
        elif waiting_for == "rollback batch":
            self._rollback_batch_done(at)

    # ----- replacing -----

    @property
    def batch_size(self):
        desired = self.group.desired_capacity or len(self.group.instance_states) or 1
        size = max(1, int(math.floor(desired * (self.max_healthy - self.min_healthy) / 100.0)))
        upcoming = [c for c in self.checkpoints if c not in self.checkpoints_passed]
        if upcoming and self.instances_to_update:
            # Never past the next checkpoint: it must be reached before the refresh pauses.
            needed = int(math.ceil(upcoming[0] * self.instances_to_update / 100.0)) - self.replaced_count
            size = max(1, min(size, needed))
        return size

    @property
    def percentage_complete(self):
        if not self.instances_to_update:
            return 100
        return int(100 * self.replaced_count / self.instances_to_update)

    def _replaceable(self):
        states = dict((state.instance.id, state) for state in self.group.instance_states)
        protected = self.preferences.get("ScaleInProtectedInstances") or "Wait"
        ready = []
        for instance_id in self.to_replace:
            state = states.get(instance_id)
            if state is None or state.lifecycle_state == "Standby":
                continue
            if state.protected_from_scale_in and protected == "Wait":
                continue
            ready.append(instance_id)
        return ready

    def _start_batch(self, at):
        self.to_replace = [i for i in self.to_replace if any(s.instance.id == i for s in self.group.instance_states)]
        if not self.to_replace:
            self._finish_replacing(at)
            return
        ready = self._replaceable()
        if not ready:
            if self.waiting_for != "blocked":
                self.blocked_since = at
                self.waiting_for = "blocked"
                self.next_at = at + timedelta(seconds=BLOCKED_WAIT_SECONDS)
                self.status_reason = "Waiting for instances in Standby or protected from scale in (StandbyInstances/ScaleInProtectedInstances: Wait)."
            return
        self.status_reason = None
        self.batch = ready[: self.batch_size]
        self.to_replace = [i for i in self.to_replace if i not in self.batch]
        self.batches.append(len(self.batch))
        self.launched.extend(self._replace(self.batch, self.target))
        self.waiting_for = "batch"
        self.next_at = at + timedelta(seconds=emulator_config.instance_refresh_batch_seconds)

    def _batch_done(self, at):
        self.replaced_count += len(self.batch)
        self.batch = []
        if self.group.name in emulator_config.instance_refresh_failing_groups:
            self._fail(at, "Instances failed to pass health checks (emulator: instance_refresh_failing_groups).")
            return
        for checkpoint in self.checkpoints:
            if checkpoint in self.checkpoints_passed or self.percentage_complete < checkpoint:
                continue
            self.checkpoints_passed.add(checkpoint)
            if checkpoint >= 100:
                break
            is_last = checkpoint == self.checkpoints[-1]
            self.waiting_for = "last checkpoint" if is_last else "checkpoint"
            self.next_at = at + timedelta(seconds=self.checkpoint_delay)
            self.status_reason = "Waiting at checkpoint %d%% for %d s (CheckpointDelay)." % (checkpoint, self.checkpoint_delay)
            return
        self._start_batch(at)

    def _finish_replacing(self, at):
        if self.bake_time:
            self.status = "Baking"
            self.waiting_for = "bake"
            self.next_at = at + timedelta(seconds=self.bake_time)
            return
        self._succeed(at)

    def _replace(self, instance_ids, source):
        present = [state for state in self.group.instance_states if state.instance.id in instance_ids]
        self._terminate(present)
        return [state.instance.id for state in source.launch(len(present))] if present else []

    def _terminate(self, states):
        if not states:
            return
        ids = set(state.instance.id for state in states)
        self.group.instance_states = [state for state in self.group.instance_states if state.instance.id not in ids]
        self.group.autoscaling_backend.ec2_backend.terminate_instances(sorted(ids))

    def _alarm_in_alarm(self):
        if not self.alarms:
            return None
        backend = _alarm_backend(self.group)
        for name in self.alarms:
            alarm = backend.alarms.get(name)
            if alarm is not None and alarm.state_value == "ALARM":
                return name
        return None

    # ----- ending -----

    def _succeed(self, at):
        if self.desired_configuration and self.desired_configuration.get("MixedInstancesPolicy"):
            policy = copy.deepcopy(self.desired_configuration["MixedInstancesPolicy"])
            self.group.mixed_instances_policy = policy
            self.group._set_launch_configuration(None, None, policy)
        elif self.desired_configuration:
            spec = self.desired_configuration["LaunchTemplate"]
            self.group._set_launch_configuration(None, {"LaunchTemplateId": self.target.template.id, "Version": spec.get("Version")}, None)
        self._finish(at, "Successful", None)

    def _fail(self, at, reason):
        if self.auto_rollback and self.rollback_refusal is None:
            self._start_rollback(at, reason)
        else:
            self._finish(at, "Failed", reason)

    def _finish(self, at, status, reason):
        self.status = status
        self.status_reason = reason
        self.end_time = at
        self.next_at = None
        self.waiting_for = None

    def cancel(self):
        with _lock:
            self.status = "Cancelling"
            if self.waiting_for != "batch":
                self.next_at = self.now()
            self.waiting_for = "cancel"

    # ----- rolling back -----

    def rollback(self, reason):
        with _lock:
            if self.rollback_refusal is not None:
                raise IrreversibleInstanceRefreshError(
                    "The request failed because a desired configuration was not found or an incompatible launch template "
                    "(uses a Systems Manager parameter instead of an AMI ID) or launch template version ($Latest or $Default) "
                    "is present on the Auto Scaling group. (%s)" % self.rollback_refusal
                )
            self._start_rollback(self.now(), reason)

    def _start_rollback(self, at, reason):
        present = set(state.instance.id for state in self.group.instance_states)
        self.status = "RollbackInProgress"
        self.status_reason = reason
        self.rollback_to_replace = [instance_id for instance_id in self.launched if instance_id in present]
        self.rollback_details = {
            "RollbackReason": reason,
            "RollbackStartTime": at,
            "PercentageCompleteOnRollback": 0,
            "InstancesToUpdateOnRollback": len(self.rollback_to_replace),
        }
        self._start_rollback_batch(at)

    def _start_rollback_batch(self, at):
        if not self.rollback_to_replace:
            self.rollback_details["PercentageCompleteOnRollback"] = 100
            self._finish(at, "RollbackSuccessful", self.status_reason)
            return
        self.batch = self.rollback_to_replace[: self.batch_size]
        self.rollback_to_replace = self.rollback_to_replace[len(self.batch):]
        self._replace(self.batch, LaunchSource.of_group(self.group))
        self.waiting_for = "rollback batch"
        self.next_at = at + timedelta(seconds=emulator_config.instance_refresh_batch_seconds)

    def _rollback_batch_done(self, at):
        total = self.rollback_details["InstancesToUpdateOnRollback"]
        done = total - len(self.rollback_to_replace)
        self.rollback_details["PercentageCompleteOnRollback"] = int(100 * done / total) if total else 100
        self.batch = []
        self._start_rollback_batch(at)

    def as_dict(self):
        described = {
            "AutoScalingGroupName": self.group.name,
            "InstanceRefreshId": self.id,
            "Status": self.status,
            "StartTime": self.start_time,
            "PercentageComplete": self.percentage_complete if self.status != "Pending" else 0,
            "InstancesToUpdate": len(self.to_replace) + len(self.batch) if self.status in ACTIVE_STATUSES else len(self.to_replace),
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


def validate_preferences(group, preferences, desired_configuration):
    minimum, maximum = preferences.get("MinHealthyPercentage"), preferences.get("MaxHealthyPercentage")
    if maximum is not None and minimum is None:
        raise ValidationError("If you specify MaxHealthyPercentage, you must also specify MinHealthyPercentage.")
    policy = maintenance_policy_of(group) or {}
    minimum = int(minimum if minimum is not None else policy.get("MinHealthyPercentage", DEFAULT_MIN_HEALTHY_PERCENTAGE))
    maximum = int(maximum if maximum is not None else policy.get("MaxHealthyPercentage", DEFAULT_MAX_HEALTHY_PERCENTAGE))
    if not 0 <= minimum <= 100 or not 100 <= maximum <= 200 or maximum - minimum > 100:
        raise ValidationError("MinHealthyPercentage must be 0-100, MaxHealthyPercentage 100-200, and their difference at most 100.")
    checkpoints = [int(p) for p in preferences.get("CheckpointPercentages") or []]
    if "CheckpointDelay" in preferences and not checkpoints:
        raise ValidationError("CheckpointDelay can only be given together with CheckpointPercentages.")
    if checkpoints and (checkpoints != sorted(set(checkpoints)) or any(not 1 <= p <= 100 for p in checkpoints)):
        raise ValidationError("CheckpointPercentages must be unique values from 1 to 100 in ascending order.")
    for name in ("CheckpointDelay", "BakeTime"):
        if name in preferences and not 0 <= int(preferences[name]) <= MAX_DELAY_SECONDS:
            raise ValidationError(f"{name} must be 0 to {MAX_DELAY_SECONDS} seconds.")
    if preferences.get("StandbyInstances", "Wait") not in STANDBY_CHOICES:
        raise ValidationError(f"StandbyInstances must be one of {', '.join(STANDBY_CHOICES)}.")
    if preferences.get("ScaleInProtectedInstances", "Wait") not in SCALE_IN_PROTECTED_CHOICES:
        raise ValidationError(f"ScaleInProtectedInstances must be one of {', '.join(SCALE_IN_PROTECTED_CHOICES)}.")
    alarms = (preferences.get("AlarmSpecification") or {}).get("Alarms") or []
    if len(alarms) > MAX_ALARMS:
        raise ValidationError(f"AlarmSpecification.Alarms takes up to {MAX_ALARMS} alarms, got {len(alarms)}.")
    known = _alarm_backend(group).alarms
    missing = [name for name in alarms if name not in known]
    if missing:
        raise ValidationError(f"CloudWatch alarm(s) {', '.join(missing)} not found.")
    if preferences.get("AutoRollback"):
        refusal = rollback_refusal(group, desired_configuration)
        if refusal == "There is no desired configuration specified for the instance refresh.":
            raise ValidationError(
                "The request isn't valid. The AutoRollback parameter cannot be set to true when the DesiredConfiguration "
                "parameter is empty. Set AutoRollback to false or specify a desired configuration and try again."
            )
        if refusal is not None:
            raise ValidationError(f"The request isn't valid. The AutoRollback parameter cannot be set to true: a rollback is not supported. {refusal}")


def start_instance_refresh(self) -> ActionResult:
    with _lock:
        group = _group(self, self._get_param("AutoScalingGroupName"))
        if _active(group):
            raise InstanceRefreshInProgressError("An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.")
        preferences = self._get_param("Preferences") or {}
        desired_configuration = self._get_param("DesiredConfiguration")
        validate_preferences(group, preferences, desired_configuration)
        refresh = InstanceRefresh(group, preferences, desired_configuration, self._get_param("Strategy"))
        _refreshes(group).insert(0, refresh)
        return ActionResult({"InstanceRefreshId": refresh.id})


def describe_instance_refreshes(self) -> ActionResult:
    with _lock:
        group = _group(self, self._get_param("AutoScalingGroupName"))
        _active(group)
        wanted = self._get_param("InstanceRefreshIds") or []
        refreshes = [refresh.as_dict() for refresh in _refreshes(group) if not wanted or refresh.id in wanted]
        return ActionResult({"InstanceRefreshes": refreshes[: int(self._get_param("MaxRecords") or 50)]})


def _only_active(group):
    active = _active(group)
    if not active:
        raise ActiveInstanceRefreshNotFoundError(f"No in progress or pending Instance Refresh found for Auto Scaling group {group.name}")
    return active[0]


def cancel_instance_refresh(self) -> ActionResult:
    with _lock:
        refresh = _only_active(_group(self, self._get_param("AutoScalingGroupName")))
        refresh.cancel()
        return ActionResult({"InstanceRefreshId": refresh.id})


def rollback_instance_refresh(self) -> ActionResult:
    with _lock:
        refresh = _only_active(_group(self, self._get_param("AutoScalingGroupName")))
        refresh.rollback("Rollback started by RollbackInstanceRefresh.")
        return ActionResult({"InstanceRefreshId": refresh.id})


def _catching_up(describe_groups):
    """DescribeAutoScalingGroups shows the instances as the refreshes left them by now (AWS works in the background)."""

    @functools.wraps(describe_groups)
    def describe_auto_scaling_groups(self):
        with _lock:
            for group in list(self.autoscaling_backend.autoscaling_groups.values()):
                _active(group)
            return describe_groups(self)

    return describe_auto_scaling_groups


def install() -> None:
    AutoScalingResponse.start_instance_refresh = start_instance_refresh
    AutoScalingResponse.describe_instance_refreshes = describe_instance_refreshes
    AutoScalingResponse.cancel_instance_refresh = cancel_instance_refresh
    AutoScalingResponse.rollback_instance_refresh = rollback_instance_refresh
    AutoScalingResponse.describe_auto_scaling_groups = _catching_up(AutoScalingResponse.describe_auto_scaling_groups)
