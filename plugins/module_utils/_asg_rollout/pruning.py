# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Delete what a rollout superseded, beyond ``keep_previous``, never what a group still uses.

Runs after every group of the region has been switched, from a fresh read of the region's groups,
so a launch configuration or template version in use by any group (selected or not) is kept.
In check mode the same rules run on the planned state and delete nothing.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.group_selection import (
    RegionGroups,
    launch_configurations_in_use,
    template_versions_in_use,
)
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.launch_template_version import (
    MAX_VERSIONS_PER_DELETE,
    MOVING_VERSIONS,
    all_versions,
    versions_to_prune,
)
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code

# What a check-mode plan calls the launch template (version) it would create.
NEW = "(new)"
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ResponseError.html (LaunchTemplateErrorCode)
VERSION_GONE = "launchTemplateVersionDoesNotExist"


def prune_region(region_state, request, group_results, check_mode=False):
    """Prune for the groups rolled out in this region; fills each result's ``pruned``.

    In check mode nothing is deleted: the groups as read before the rollout, with each changed group
    moved to its planned launch source, decide what would go, and ``pruned`` lists it.
    """
    changed = [result for result in group_results if result["changed"]]
    if not changed or not request.prune:
        return
    if check_mode:
        groups_after = _as_planned(region_state.groups.groups, changed, request)
    else:
        groups_after = RegionGroups(region_state.autoscaling).groups
    in_use = launch_configurations_in_use(groups_after)
    configurations = region_state.launch_configurations(refresh=not check_mode) if any(r["after"].get("launch_configuration_name") for r in changed) else {}
    for result in changed:
        after = result["after"]
        if after.get("launch_configuration_name"):
            result["pruned"]["launch_configurations"] = _prune_launch_configurations(region_state, request, result, configurations, in_use, check_mode)
        elif after.get("launch_template") and _is_version(after["launch_template"].get("version"), check_mode):
            template_id = after["launch_template"]["launch_template_id"]
            if template_id == NEW:
                continue  # a template this run would create has nothing to prune
            result["pruned"]["launch_template_versions"] = _prune_versions(
                region_state.ec2, template_id, after["launch_template"]["version"], template_versions_in_use(groups_after, template_id),
                request.keep_previous, check_mode,
            )


def _is_version(version, check_mode):
    return str(version or "").isdigit() or version in MOVING_VERSIONS or (check_mode and version == NEW)


def _as_planned(groups, changed, request):
    """The groups as they will be once every changed group runs its planned launch source."""
    planned = dict((result["name"], result["after"]) for result in changed)
    # A launch template group on a refresh is switched by the refresh when it ends (its desired configuration):
    # not waited for, it keeps its version for now. A launch configuration group is switched before its refresh.
    template_switch_waits = request.refresh.enabled and not request.refresh.wait
    moved = []
    for group in groups:
        after = planned.get(group["AutoScalingGroupName"])
        if after is None or (template_switch_waits and not after.get("launch_configuration_name")):
            moved.append(group)
            continue
        group = dict((key, value) for key, value in group.items() if key not in ("LaunchConfigurationName", "LaunchTemplate"))
        if after.get("launch_configuration_name"):
            group["LaunchConfigurationName"] = after["launch_configuration_name"]
        elif after.get("launch_template"):
            group["LaunchTemplate"] = {"LaunchTemplateId": after["launch_template"]["launch_template_id"], "Version": str(after["launch_template"]["version"])}
        moved.append(group)
    return moved


def _prune_launch_configurations(region_state, request, result, configurations, in_use, check_mode):
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
        if check_mode:
            deleted.append(name)
            continue
        try:
            region_state.autoscaling.call("delete_launch_configuration", LaunchConfigurationName=name)
        except BakeryError as error:
            # A group took it up since we looked: it stays.
            if error_code(error) == "ResourceInUse":
                continue
            # Gone already: an earlier attempt of this very call whose answer was lost deleted it
            # ("Launch configuration name not found", answered as ValidationError).
            if not (error_code(error) == "ValidationError" and "not found" in str(error)):
                raise
        deleted.append(name)
    return deleted


def _prune_versions(ec2_api, template_id, kept_version, references, keep_previous, check_mode):
    versions = all_versions(ec2_api, template_id)
    if kept_version in MOVING_VERSIONS:
        # A group left on its alias (keep_version_alias): the rollout's version is what the alias names now.
        if check_mode:
            kept_version = NEW
        elif kept_version == "$Latest":
            kept_version = max(version["VersionNumber"] for version in versions)
        else:
            kept_version = [version["VersionNumber"] for version in versions if version.get("DefaultVersion")][0]
    if kept_version == NEW:
        # The version the rollout would create: the template's next number, and then its latest.
        kept_version = max(version["VersionNumber"] for version in versions) + 1
        versions = versions + [{"VersionNumber": kept_version}]
        references = set(str(kept_version) if reference == NEW else reference for reference in references)
    numbers = versions_to_prune(versions, kept_version, references, keep_previous)
    if check_mode:
        return numbers
    deleted = []
    for start in range(0, len(numbers), MAX_VERSIONS_PER_DELETE):
        batch = [str(number) for number in numbers[start:start + MAX_VERSIONS_PER_DELETE]]
        response = ec2_api.call("delete_launch_template_versions", LaunchTemplateId=template_id, Versions=batch)
        deleted.extend(item["VersionNumber"] for item in response.get("SuccessfullyDeletedLaunchTemplateVersions", []))
        # Listed a moment ago and gone now: deleted by an earlier attempt of this call whose answer was lost.
        deleted.extend(
            item["VersionNumber"]
            for item in response.get("UnsuccessfullyDeletedLaunchTemplateVersions", [])
            if (item.get("ResponseError") or {}).get("Code") == VERSION_GONE
        )
    return sorted(deleted)
