# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Starting an instance refresh, finding an active one, and waiting for one to end.

https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html. botocore has no
waiter for instance refreshes, so waiting uses the collection's one polling loop.

StartInstanceRefresh takes no idempotency token. When its answer is lost (a dropped connection, a 500 after the
refresh started), botocore's retry meets ``InstanceRefreshInProgress``: the refresh then in progress is ours when it
carries our desired configuration and every preference we sent, and it is adopted instead of failing the rollout.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff, poll_until
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code

ACTIVE_STATUSES = ("Pending", "InProgress", "Baking", "Cancelling", "RollbackInProgress")
SUCCESS_STATUS = "Successful"
IN_PROGRESS = "InstanceRefreshInProgress"
# Refreshes take minutes per batch: start polling soon, settle at every 15 s.
REFRESH_BACKOFF = Backoff(initial_delay=1.0, max_delay=15.0, factor=1.5)


def refresh_record(refresh, started_by_this_run):
    """The snake_case ``refresh`` entry of a group result."""
    record = {
        "instance_refresh_id": refresh.get("InstanceRefreshId"),
        "status": refresh.get("Status"),
        "status_reason": refresh.get("StatusReason"),
        "percentage_complete": refresh.get("PercentageComplete"),
        "instances_to_update": refresh.get("InstancesToUpdate"),
        "started_by_this_run": started_by_this_run,
    }
    rollback = refresh.get("RollbackDetails")
    if rollback:
        record["rollback_reason"] = rollback.get("RollbackReason")
    return record


def active_refresh(autoscaling_api, group_name):
    """The group's Pending/InProgress/... refresh, or None. Newest first, so one record tells."""
    refreshes = autoscaling_api.call("describe_instance_refreshes", AutoScalingGroupName=group_name, MaxRecords=1)["InstanceRefreshes"]
    if refreshes and refreshes[0].get("Status") in ACTIVE_STATUSES:
        return refreshes[0]
    return None


def start_refresh(autoscaling_api, group_name, preferences, desired_configuration=None):
    """Start a rolling refresh; ``desired_configuration`` is ``{"LaunchTemplate": ...}`` or ``{"MixedInstancesPolicy": ...}``.

    Returns the refresh id: a new one, or the one a lost earlier attempt of this very request started."""
    request = {"AutoScalingGroupName": group_name, "Strategy": "Rolling", "Preferences": preferences}
    if desired_configuration:
        request["DesiredConfiguration"] = desired_configuration
    try:
        return autoscaling_api.call("start_instance_refresh", **request)["InstanceRefreshId"]
    except BakeryError as error:
        if error_code(error) != IN_PROGRESS:
            raise
        refresh = active_refresh(autoscaling_api, group_name)
        if refresh is None or not is_started_by(refresh, preferences, desired_configuration):
            raise
        return refresh["InstanceRefreshId"]


def is_started_by(refresh, preferences, desired_configuration):
    """Whether ``refresh`` is what StartInstanceRefresh with these preferences and desired configuration started.
    AWS may describe preferences it filled in itself, so only the ones sent are compared."""
    described = refresh.get("Preferences") or {}
    if any(described.get(name) != value for name, value in preferences.items()):
        return False
    return _template_of(refresh.get("DesiredConfiguration")) == _template_of(desired_configuration)


def _template_of(desired_configuration):
    desired_configuration = desired_configuration or {}
    specification = desired_configuration.get("LaunchTemplate")
    if specification is None:
        policy = desired_configuration.get("MixedInstancesPolicy") or {}
        specification = (policy.get("LaunchTemplate") or {}).get("LaunchTemplateSpecification")
    if not specification:
        return None
    return (specification.get("LaunchTemplateId") or specification.get("LaunchTemplateName"), str(specification.get("Version")))


def wait_for_refresh(autoscaling_api, group_name, refresh_id, timeout, backoff=None, progress=None):
    """Poll until the refresh ends; return its last description. ``progress`` collects each percentage seen."""

    def probe():
        refreshes = autoscaling_api.call("describe_instance_refreshes", AutoScalingGroupName=group_name, InstanceRefreshIds=[refresh_id])["InstanceRefreshes"]
        refresh = refreshes[0] if refreshes else {"Status": "Pending"}
        if progress is not None:
            progress.append(refresh.get("PercentageComplete", 0))
        return refresh.get("Status") not in ACTIVE_STATUSES, refresh

    return poll_until(probe, "instance refresh %s of group %s" % (refresh_id, group_name), timeout, backoff or REFRESH_BACKOFF)
