# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Roll images out to Auto Scaling groups in many regions at once.

Per region, the groups and launch configurations are read once; then every selected group is
planned, concurrently. A group whose plan fails (a refused auto_rollback, a parameter that does not
hold the image, ...) fails the whole rollout before any group is changed. Then (unless in check mode)
the plans are applied concurrently, refreshes waited for side by side; then the region is pruned.
Planning makes only read calls, so check mode makes no mutating call.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.group_rollout import GroupRollout
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.instance_refresh import SUCCESS_STATUS, refresh_record
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.pruning import prune_region
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.region_state import RegionState
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError, InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.region_fanout import fan_out


class RolloutFailedError(BakeryError):
    def __init__(self, message, result):
        super().__init__(message)
        self.result = result

    def result_fields(self):
        return dict((key, value) for key, value in self.result.items() if key not in ("msg", "failed", "diff"))


def rollout(client_factory, request, check_mode, backoff=None):
    """The module result (``diff`` included; the module drops it unless in diff mode)."""
    regions = fan_out(request.regions, lambda region: RegionState(client_factory, region), request.max_concurrency)
    if regions.failed:
        regions.raise_first_error()
    selected = []
    for region in request.regions:
        for group in regions.results[region].groups.select(request.group_names, request.group_tags):
            selected.append((region, group["AutoScalingGroupName"], group))
    if not selected:
        raise InvalidInputError("group_tags", "%r select no Auto Scaling group in %s" % (request.group_tags, ", ".join(request.regions)))
    groups_by_key = dict(((region, name), group) for region, name, group in selected)
    rollouts = dict((key, GroupRollout(regions.results[key[0]], request, backoff)) for key in groups_by_key)

    planned = fan_out(list(groups_by_key), lambda key: rollouts[key].plan(groups_by_key[key]), request.max_concurrency)
    if planned.errors:
        invalid = [error for error in planned.errors.values() if isinstance(error, InvalidInputError)]
        if invalid:
            raise invalid[0]
        failures = ["%s/%s: %s" % (region, name, error) for (region, name), error in planned.errors.items()]
        raise RolloutFailedError(
            "rollout refused before any change, for %d group(s): %s" % (len(failures), "; ".join(failures)),
            {"changed": False, "groups": [], "failed_groups": failures},
        )
    plans = planned.results

    def roll_out_group(key):
        plan = plans[key]
        refresh = refresh_record(plan.active_refresh, False) if plan.active_refresh else None
        if plan.changed and not check_mode:
            refresh = rollouts[key].apply(plan)
        return _group_result(plan, refresh)

    outcome = fan_out(list(groups_by_key), roll_out_group, request.max_concurrency)
    results = [outcome.results[key] for key in groups_by_key if key in outcome.results]
    pruning = fan_out(
        request.regions,
        lambda region: prune_region(regions.results[region], request, [r for r in results if r["region"] == region], check_mode),
        request.max_concurrency,
    )
    for region, error in pruning.errors.items():
        outcome.errors[(region, "(pruning)")] = error
    result = {
        "changed": any(group["changed"] for group in results),
        "groups": results,
        "warnings": [warning for group in results for warning in group.pop("warnings")],
        "diff": {
            "before": dict(("%s/%s" % (g["region"], g["name"]), g["before"]) for g in results),
            "after": dict(("%s/%s" % (g["region"], g["name"]), g["after"]) for g in results),
        },
    }
    failures = ["%s/%s: %s" % (region, name, error) for (region, name), error in outcome.errors.items()]
    failures += [
        "%s/%s: instance refresh ended %s%s"
        % (g["region"], g["name"], g["refresh"]["status"], " (%s)" % g["refresh"]["status_reason"] if g["refresh"].get("status_reason") else "")
        for g in results
        if g["refresh"] and g["refresh"]["started_by_this_run"] and request.refresh.wait and g["refresh"]["status"] != SUCCESS_STATUS
    ]
    if failures:
        result["failed_groups"] = failures
        raise RolloutFailedError("rollout failed for %d group(s): %s" % (len(failures), "; ".join(failures)), result)
    return result


def _group_result(plan, refresh):
    return {
        "name": plan.name,
        "region": plan.region,
        "kind": plan.kind,
        "image_id": plan.image_id,
        "changed": plan.changed,
        "actions": plan.descriptions(),
        "before": plan.before,
        "after": plan.after,
        "refresh": refresh,
        "pruned": {"launch_configurations": [], "launch_template_versions": []},
        "warnings": plan.warnings,
    }
