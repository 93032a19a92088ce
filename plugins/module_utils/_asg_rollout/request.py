# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``asg_rollout`` module's options, checked before any AWS call is made."""

from __future__ import annotations

import re
import string

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.module_request import ModuleRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import validate_tags
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import each_indexed, validate_region, validate_resource_id

NAME_PLACEHOLDERS = ("group", "image_id", "region")
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateLaunchConfiguration.html
MAX_LAUNCH_CONFIGURATION_NAME_LENGTH = 255
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html
LAUNCH_TEMPLATE_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9().\-/_]{3,128}$")
# https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
MAX_DELAY_SECONDS = 172800
MAX_ALARMS = 10
# "If you specify a value for CheckpointPercentages and not for CheckpointDelay, the CheckpointDelay defaults to 3600"
AWS_CHECKPOINT_DELAY = 3600
STANDBY_INSTANCES = {"terminate": "Terminate", "ignore": "Ignore", "wait": "Wait"}
SCALE_IN_PROTECTED_INSTANCES = {"refresh": "Refresh", "ignore": "Ignore", "wait": "Wait"}


class NameTemplate:
    """A name with ``{group}``, ``{image_id}`` and ``{region}`` placeholders."""

    def __init__(self, option, text):
        self.option = option
        self.text = text
        try:
            fields = [parsed[1] for parsed in string.Formatter().parse(text) if parsed[1] is not None]
        except ValueError as error:
            raise InvalidInputError(option, "%r is not a valid name template: %s" % (text, error))
        unknown = sorted(set(fields) - set(NAME_PLACEHOLDERS))
        if unknown:
            raise InvalidInputError(option, "uses unknown placeholder(s) %s; known: {group}, {image_id}, {region}" % unknown)
        self.fields = fields

    def render(self, group, image_id, region):
        return self.text.format(group=group, image_id=image_id, region=region)

    def pattern(self, group, region):
        """A regex matching every name this template gives ``group`` in ``region``, whatever the image."""
        parts = []
        for literal, field, _format_spec, _conversion in string.Formatter().parse(self.text):
            parts.append(re.escape(literal))
            if field == "image_id":
                parts.append(r"ami-[0-9a-f]+")
            elif field is not None:
                parts.append(re.escape({"group": group, "region": region}[field]))
        return re.compile("^%s$" % "".join(parts))


class RefreshSettings:
    """The ``instance_refresh`` option (its defaults come from the argument spec, ``apply_defaults``)."""

    def __init__(self, options):
        options = options or {}
        self.enabled = bool(options.get("enabled"))
        self.min_healthy_percentage = options.get("min_healthy_percentage")
        self.max_healthy_percentage = options.get("max_healthy_percentage")
        self.instance_warmup = options.get("instance_warmup")
        self.skip_matching = bool(options.get("skip_matching"))
        self.checkpoint_percentages = options.get("checkpoint_percentages")
        self.checkpoint_delay = options.get("checkpoint_delay")
        self.bake_time = options.get("bake_time")
        self.alarms = options.get("alarms")
        self.standby_instances = options.get("standby_instances")
        self.scale_in_protected_instances = options.get("scale_in_protected_instances")
        self.auto_rollback = bool(options.get("auto_rollback"))
        self.wait = bool(options.get("wait"))
        self.wait_timeout = options.get("wait_timeout")

    def validate(self):
        option = "instance_refresh"
        minimum, maximum = self.min_healthy_percentage, self.max_healthy_percentage
        if minimum is not None and not 0 <= minimum <= 100:
            raise InvalidInputError(option + ".min_healthy_percentage", "must be 0 to 100, got %r" % minimum)
        if maximum is not None:
            if not 100 <= maximum <= 200:
                raise InvalidInputError(option + ".max_healthy_percentage", "must be 100 to 200, got %r" % maximum)
            if minimum is None:
                raise InvalidInputError(
                    option + ".max_healthy_percentage",
                    "needs min_healthy_percentage as well (AWS: if you specify MaxHealthyPercentage, you must also specify "
                    "MinHealthyPercentage); give neither to leave the group's instance maintenance policy in charge",
                )
            if maximum - minimum > 100:
                raise InvalidInputError(
                    option + ".max_healthy_percentage",
                    "may be at most 100 above min_healthy_percentage (AWS limit), got %r and %r" % (maximum, minimum),
                )
        if self.instance_warmup is not None and self.instance_warmup < 0:
            raise InvalidInputError(option + ".instance_warmup", "must be a number of seconds >= 0, got %r" % self.instance_warmup)
        if self.checkpoint_percentages is not None:
            checkpoints = list(self.checkpoint_percentages)
            if not checkpoints or any(not 1 <= p <= 100 for p in checkpoints) or checkpoints != sorted(set(checkpoints)):
                raise InvalidInputError(
                    option + ".checkpoint_percentages", "must be increasing whole percentages from 1 to 100, got %r" % (checkpoints,)
                )
            if checkpoints[-1] != 100:
                raise InvalidInputError(
                    option + ".checkpoint_percentages",
                    "must end with 100, got %r: AWS replaces all instances only when the last checkpoint is 100, and the "
                    "rollout must replace them all" % (checkpoints,),
                )
        if self.checkpoint_delay is not None:
            if not self.checkpoint_percentages:
                raise InvalidInputError(option + ".checkpoint_delay", "is only valid with checkpoint_percentages (AWS)")
            if not 0 <= self.checkpoint_delay <= MAX_DELAY_SECONDS:
                raise InvalidInputError(option + ".checkpoint_delay", "must be 0 to %d seconds, got %r" % (MAX_DELAY_SECONDS, self.checkpoint_delay))
        if self.bake_time is not None and not 0 <= self.bake_time <= MAX_DELAY_SECONDS:
            raise InvalidInputError(option + ".bake_time", "must be 0 to %d seconds, got %r" % (MAX_DELAY_SECONDS, self.bake_time))
        if self.alarms is not None:
            if not 1 <= len(self.alarms) <= MAX_ALARMS or any(not isinstance(name, str) or not name for name in self.alarms):
                raise InvalidInputError(option + ".alarms", "must name 1 to %d CloudWatch alarms, got %r" % (MAX_ALARMS, self.alarms))
        if self.wait_timeout is None or isinstance(self.wait_timeout, bool) or self.wait_timeout <= 0:
            raise InvalidInputError(option + ".wait_timeout", "must be a positive number of seconds, got %r" % self.wait_timeout)

    @property
    def pauses_seconds(self):
        """How long the refresh itself stands still: a delay at each checkpoint below 100, then the bake time."""
        pauses = [p for p in self.checkpoint_percentages or [] if p < 100]
        delay = self.checkpoint_delay if self.checkpoint_delay is not None else AWS_CHECKPOINT_DELAY
        return len(pauses) * delay + (self.bake_time or 0)

    @property
    def wait_seconds(self):
        """How long to wait for a refresh: ``wait_timeout`` for replacing instances, plus its pauses."""
        return self.wait_timeout + self.pauses_seconds

    def preferences(self, has_desired_configuration):
        """``Preferences`` for StartInstanceRefresh, with only what was given: what is left out AWS decides (the
        group's instance maintenance policy for the healthy percentages, an hour per checkpoint, ...). Skip matching
        needs a desired configuration; auto rollback was refused earlier where AWS does not support it."""
        preferences = {
            "SkipMatching": self.skip_matching and has_desired_configuration,
            "AutoRollback": self.auto_rollback and has_desired_configuration,
        }
        given = (
            ("MinHealthyPercentage", self.min_healthy_percentage),
            ("MaxHealthyPercentage", self.max_healthy_percentage),
            ("InstanceWarmup", self.instance_warmup),
            ("CheckpointPercentages", list(self.checkpoint_percentages) if self.checkpoint_percentages else None),
            ("CheckpointDelay", self.checkpoint_delay),
            ("BakeTime", self.bake_time),
            ("AlarmSpecification", {"Alarms": list(self.alarms)} if self.alarms else None),
            ("StandbyInstances", STANDBY_INSTANCES.get(self.standby_instances)),
            ("ScaleInProtectedInstances", SCALE_IN_PROTECTED_INSTANCES.get(self.scale_in_protected_instances)),
        )
        preferences.update((name, value) for name, value in given if value is not None)
        return preferences


class RolloutRequest(ModuleRequest):
    """What the user asked of the rollout. Built only through ``from_params``, which validates everything."""

    def __init__(self, params):
        super().__init__(params)
        self.group_names = params.get("groups") or []
        self.group_tags = params.get("group_tags")
        self.image_ids = {}
        self.keep_previous = params["keep_previous"]
        self.prune = params["prune"]
        self.migrate_to_launch_template = params["migrate_to_launch_template"]
        self.require_imdsv2 = params["require_imdsv2"]
        self.make_default_version = params["make_default_version"]
        self.keep_version_alias = params["keep_version_alias"]
        self.keep_image_parameter = params["keep_image_parameter"]
        self.refresh = RefreshSettings(params.get("instance_refresh"))
        self.launch_configuration_name = NameTemplate("launch_configuration_name", params["launch_configuration_name"])
        self.launch_template_name = NameTemplate("launch_template_name", params["launch_template_name"])

    @property
    def regions(self):
        return sorted(self.image_ids)

    def validate(self):
        params = self.params
        if bool(self.group_names) == bool(self.group_tags):
            raise InvalidInputError("groups", "or group_tags is required (exactly one): name the groups or give tags that select them")
        for option, name in each_indexed("groups", self.group_names):
            if not isinstance(name, str) or not 1 <= len(name) <= 255:
                raise InvalidInputError(option, "%r is not an Auto Scaling group name (1 to 255 characters)" % (name,))
        self.group_tags = validate_tags("group_tags", self.group_tags)
        self.image_ids = _image_ids(params.get("image_id"), params.get("region"))
        if self.keep_previous < 0:
            raise InvalidInputError("keep_previous", "must be 0 or more, got %r" % self.keep_previous)
        self.max_concurrency = self.max_concurrency_option()
        if "image_id" not in self.launch_configuration_name.fields:
            raise InvalidInputError(
                "launch_configuration_name",
                "%r must contain {image_id}: launch configurations are immutable, each image needs its own name" % self.launch_configuration_name.text,
            )
        sample = self.launch_template_name.render("group", "ami-0123456789abcdef0", "us-east-1")
        if "group" not in self.launch_template_name.fields or not LAUNCH_TEMPLATE_NAME_PATTERN.match(sample):
            raise InvalidInputError(
                "launch_template_name",
                "%r must contain {group} and give 3 to 128 characters from letters, digits and ( ) . - / _" % self.launch_template_name.text,
            )
        self.refresh.validate()


def _image_ids(value, default_region):
    """``{region: image_id}`` from a single id (the module's region) or a map (e.g. one layer of a bake manifest)."""
    if value is None or value == "" or value == {}:
        raise InvalidInputError("image_id", "is required: an AMI id, or a {region: AMI id} map such as one layer of the bake manifest")
    if isinstance(value, str):
        if not default_region:
            raise InvalidInputError("image_id", "is a single id, so the region option (or AWS_REGION) must say which region it is in")
        return {validate_region("region", default_region): validate_resource_id("image_id", value.strip(), "image")}
    if not isinstance(value, dict):
        raise InvalidInputError("image_id", "must be an AMI id or a {region: AMI id} map, got %s" % type(value).__name__)
    image_ids = {}
    for region, image_id in sorted(value.items()):
        validate_region("image_id key", region)
        image_ids[region] = validate_resource_id("image_id[%s]" % region, str(image_id).strip(), "image")
    return image_ids
