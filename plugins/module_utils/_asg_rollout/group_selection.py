# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Auto Scaling groups of one region, and which of them a rollout selects (by name or by tags)."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import tag_list_to_dict


class RegionGroups:
    """Every group of a region, read once: selection, and what launch configurations and template
    versions are in use (pruning must never delete those), come from the same snapshot."""

    def __init__(self, autoscaling_api):
        self.api = autoscaling_api
        self.region = autoscaling_api.region
        self.groups = autoscaling_api.paginate("describe_auto_scaling_groups", "AutoScalingGroups")

    def select(self, names=None, tags=None):
        if names:
            by_name = dict((group["AutoScalingGroupName"], group) for group in self.groups)
            missing = [name for name in names if name not in by_name]
            if missing:
                raise InvalidInputError("groups", "%s not found in %s" % (", ".join(repr(name) for name in missing), self.region))
            return [by_name[name] for name in dict.fromkeys(names)]
        return [group for group in self.groups if _has_tags(group, tags)]


def launch_configurations_in_use(groups):
    return set(group["LaunchConfigurationName"] for group in groups if group.get("LaunchConfigurationName"))


def template_versions_in_use(groups, template_id):
    """Version references (numbers as strings, ``$Latest``, ``$Default``) of the groups using ``template_id``."""
    references = set()
    for group in groups:
        spec = launch_template_of(group)
        if spec and spec.get("LaunchTemplateId") == template_id:
            references.add(str(spec.get("Version") or "$Default"))
    return references


def launch_template_of(group):
    """The group's launch template spec, directly or through its mixed instances policy (or None)."""
    if group.get("LaunchTemplate"):
        return group["LaunchTemplate"]
    policy = group.get("MixedInstancesPolicy") or {}
    return (policy.get("LaunchTemplate") or {}).get("LaunchTemplateSpecification")


def _has_tags(group, tags):
    group_tags = tag_list_to_dict(group.get("Tags"))
    return all(group_tags.get(key) == value for key, value in (tags or {}).items())
