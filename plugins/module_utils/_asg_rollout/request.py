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
REFRESH_DEFAULTS = {
    "enabled": False,
    "min_healthy_percentage": 90,
    "max_healthy_percentage": 100,
    "instance_warmup": None,
    "skip_matching": False,
    "checkpoint_percentages": None,
    "checkpoint_delay": None,
    "auto_rollback": False,
    "wait": True,
    "wait_timeout": 3600,
}


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
    """The ``instance_refresh`` option, defaults filled in."""

    def __init__(self, options):
        settings = dict(REFRESH_DEFAULTS)
        settings.update(dict((key, value) for key, value in (options or {}).items() if value is not None))
        self.enabled = bool(settings["enabled"])
        self.min_healthy_percentage = settings["min_healthy_percentage"]
        self.max_healthy_percentage = settings["max_healthy_percentage"]
        self.instance_warmup = settings["instance_warmup"]
        self.skip_matching = bool(settings["skip_matching"])
        self.checkpoint_percentages = settings["checkpoint_percentages"]
        self.checkpoint_delay = settings["checkpoint_delay"]
        self.auto_rollback = bool(settings["auto_rollback"])
        self.wait = bool(settings["wait"])
        self.wait_timeout = settings["wait_timeout"]

    def validate(self):
        option = "instance_refresh"
        if not 0 <= self.min_healthy_percentage <= 100:
            raise InvalidInputError(option + ".min_healthy_percentage", "must be 0 to 100, got %r" % self.min_healthy_percentage)
        if not 100 <= self.max_healthy_percentage <= 200:
            raise InvalidInputError(option + ".max_healthy_percentage", "must be 100 to 200, got %r" % self.max_healthy_percentage)
        if self.max_healthy_percentage - self.min_healthy_percentage > 100:
            raise InvalidInputError(
                option + ".max_healthy_percentage",
                "may be at most 100 above min_healthy_percentage (AWS limit), got %r and %r"
                % (self.max_healthy_percentage, self.min_healthy_percentage),
            )
        if self.instance_warmup is not None and self.instance_warmup < 0:
            raise InvalidInputError(option + ".instance_warmup", "must be a number of seconds >= 0, got %r" % self.instance_warmup)
        if self.checkpoint_percentages is not None:
            checkpoints = list(self.checkpoint_percentages)
            if not checkpoints or any(not 1 <= p <= 100 for p in checkpoints) or checkpoints != sorted(set(checkpoints)):
                raise InvalidInputError(
                    option + ".checkpoint_percentages", "must be increasing whole percentages from 1 to 100, got %r" % (checkpoints,)
                )
        if self.wait_timeout <= 0:
            raise InvalidInputError(option + ".wait_timeout", "must be a positive number of seconds, got %r" % self.wait_timeout)

    def preferences(self, has_desired_configuration):
        """``Preferences`` for StartInstanceRefresh. Skip matching and auto rollback need a desired
        configuration (a pinned launch template version); AWS refuses them otherwise."""
        preferences = {
            "MinHealthyPercentage": self.min_healthy_percentage,
            "MaxHealthyPercentage": self.max_healthy_percentage,
            "SkipMatching": self.skip_matching and has_desired_configuration,
            "AutoRollback": self.auto_rollback and has_desired_configuration,
        }
        if self.instance_warmup is not None:
            preferences["InstanceWarmup"] = self.instance_warmup
        if self.checkpoint_percentages:
            preferences["CheckpointPercentages"] = list(self.checkpoint_percentages)
            if self.checkpoint_delay is not None:
                preferences["CheckpointDelay"] = self.checkpoint_delay
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
