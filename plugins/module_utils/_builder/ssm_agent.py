# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Session Manager builder is up when its SSM agent is registered and ``Online``: a running instance whose agent is
still being installed (user data), or cannot reach the SSM endpoints, or lacks the instance profile's permissions,
cannot take a session.

DescribeInstanceInformation answers InvalidInstanceId for an instance whose agent has not registered yet ("SSM Agent
isn't registered with the SSM endpoint", https://docs.aws.amazon.com/systems-manager/latest/APIReference/
API_DescribeInstanceInformation.html): that is "not yet", not a failure.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError, BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff, WaitTimeoutError, poll_until
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code

ONLINE = "Online"


def agent_status(ssm, instance_id):
    """The agent's PingStatus, or None while it has not registered."""
    try:
        found = ssm.call("describe_instance_information", Filters=[{"Key": "InstanceIds", "Values": [instance_id]}]).get("InstanceInformationList", [])
    except AwsCallError as error:
        if error_code(error) == "InvalidInstanceId":
            return None
        raise
    return found[0].get("PingStatus") if found else None


def wait_until_online(ssm, instance_id, build_id, timeout):
    def probe():
        status = agent_status(ssm, instance_id)
        return status == ONLINE, status or "not registered"

    try:
        return poll_until(probe, "the SSM agent of builder %s to be Online" % instance_id, timeout, Backoff(initial_delay=2, max_delay=10))
    except WaitTimeoutError as error:
        raise BakeryError(
            "%s (build %s). The builder runs but its SSM agent did not register: check that the base image has the agent or the "
            "user data installs it (the instance's console output shows the user data's log), that the subnet reaches the "
            "ssm, ssmmessages and ec2messages endpoints (NAT or VPC endpoints), and that the instance profile grants "
            "AmazonSSMManagedInstanceCore." % (error, build_id)
        )
