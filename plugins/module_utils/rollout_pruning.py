# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Delete what a rollout superseded, beyond ``keep_previous``, never what a group still uses.

Runs after every group of the region has been switched, from a fresh read of the region's groups,
so a launch configuration or template version in use by any group (selected or not) is kept.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils.aws_api import error_code
from ansible_collections.bakery.ami.plugins.module_utils.errors import BakeryError
from ansible_collections.bakery.ami.plugins.module_utils.group_selection import RegionGroups
from ansible_collections.bakery.ami.plugins.module_utils.launch_template_version import (
    MAX_VERSIONS_PER_DELETE,
    all_versions,
    versions_to_prune,
)


def prune_region(region_state, request, group_results):
    """Prune for the groups rolled out in this region; fills each result's ``pruned``."""
    changed = [result for result in group_results if result["changed"]]
    if not changed or not request.prune:
        return
    groups_now = RegionGroups(region_state.autoscaling)
    in_use = groups_now.launch_configurations_in_use()
    configurations = region_state.launch_configurations(refresh=True) if any(r["after"].get("launch_configuration_name") for r in changed) else {}
    for result in changed:
        after = result["after"]
        if after.get("launch_configuration_name"):
            result["pruned"]["launch_configurations"] = _prune_launch_configurations(region_state, request, result, configurations, in_use)
        elif after.get("launch_template") and str(after["launch_template"].get("version", "")).isdigit():
            template_id = after["launch_template"]["launch_template_id"]
            result["pruned"]["launch_template_versions"] = _prune_versions(
                region_state.ec2, template_id, after["launch_template"]["version"], groups_now.template_versions_in_use(template_id), request.keep_previous
            )


def _prune_launch_configurations(region_state, request, result, configurations, in_use):
    current = result["after"]["launch_configuration_name"]
    pattern = request.launch_configuration_name.pattern(result["name"], result["region"])
    superseded = [
        configuration
        for name, configuration in configurations.items()
        # Only copies named by our template: the group's original launch configuration may belong to
        # CloudFormation or Terraform, and deleting it would leave their state wrong.
        if name != current and pattern.match(name)
    ]
    superseded.sort(key=lambda configuration: str(configuration.get("CreatedTime")), reverse=True)
    deleted = []
    for configuration in superseded[request.keep_previous:]:
        name = configuration["LaunchConfigurationName"]
        if name in in_use:
            continue
        try:
            region_state.autoscaling.call("delete_launch_configuration", LaunchConfigurationName=name)
        except BakeryError as error:
            # A group took it up since we looked: it stays.
            if error_code(error) == "ResourceInUse":
                continue
            raise
        deleted.append(name)
    return deleted


def _prune_versions(ec2_api, template_id, kept_version, references, keep_previous):
    numbers = versions_to_prune(all_versions(ec2_api, template_id), kept_version, references, keep_previous)
    deleted = []
    for start in range(0, len(numbers), MAX_VERSIONS_PER_DELETE):
        batch = [str(number) for number in numbers[start:start + MAX_VERSIONS_PER_DELETE]]
        response = ec2_api.call("delete_launch_template_versions", LaunchTemplateId=template_id, Versions=batch)
        deleted.extend(item["VersionNumber"] for item in response.get("SuccessfullyDeletedLaunchTemplateVersions", []))
    return sorted(deleted)
