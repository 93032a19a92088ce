"""DescribeInstanceInformation: a podman-backed instance whose SSM agent runs, and whose instance profile lets the agent
register, is a managed node, Online.

AWS (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeInstanceInformation.html):
"Provides information about one or more of your managed nodes ... This operation does not return information for
nodes that are either Stopped or Terminated. If you specify one or more node IDs, the operation returns information
for those managed nodes ... If you specify a node ID that isn't valid or a node that you don't own, you receive an
error." That error is InvalidInstanceId: "SSM Agent isn't running. Verify that SSM Agent is running. SSM Agent isn't
registered with the SSM endpoint." PingStatus is Online or ConnectionLost ("The status Inactive has been deprecated").
The agent registers with the instance profile's credentials: "By default, AWS Systems Manager doesn't have
permission to perform actions on your instances ... attach the AWS managed policy AmazonSSMManagedInstanceCore"
(https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html), which grants
ssm:UpdateInstanceInformation.

moto implements no DescribeInstanceInformation. Emulated: an instance registers the first time it is running and
podman-backed, `systemctl is-active amazon-ssm-agent` answers `active` in its container, and the role of its instance
profile is allowed ssm:UpdateInstanceInformation (Allow statements of its attached and inline policies, Deny
winning; conditions and resources are not evaluated). A registered node is Online while all three hold, else
ConnectionLost; stopped and terminated nodes are not returned. Instances without a container (plain moto instances)
never register: they have no agent. Default Host Management Configuration is not emulated (an instance without an
instance profile never registers: stricter than AWS).

Filters: only the keys InstanceIds and PingStatus; the other documented keys (AgentVersion, tag:..., ...) answer
InvalidFilterKey, as an unknown key does (chosen by us: the emulator does not filter by them). InstanceInformationFilterList
(the older filter form) likewise answers InvalidFilterKey (chosen by us). An InstanceIds filter naming an instance that
is not a returned node answers InvalidInstanceId. MaxResults must be 5 to 50 (ValidationException otherwise, as the
request model's range is enforced by AWS).
"""

from __future__ import annotations

import fnmatch
import json
from datetime import datetime, timezone

from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.iam.models import iam_backends
from moto.ssm.exceptions import SSMException
from moto.ssm.responses import SimpleSystemManagerResponse

from ..podman_runtime import PodmanError
from .podman_instances import runtime

AGENT_SERVICE = "amazon-ssm-agent"
REGISTRATION_ACTION = "ssm:UpdateInstanceInformation"
SUPPORTED_FILTER_KEYS = ("InstanceIds", "PingStatus")
ONLINE = "Online"
CONNECTION_LOST = "ConnectionLost"


class ManagedInstanceError(SSMException):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


def _nodes(ssm_backend) -> dict:
    """instance id -> registration record, kept on moto's SSM backend (a reset clears it)."""
    if "_bakery_managed_nodes" not in ssm_backend.__dict__:
        ssm_backend._bakery_managed_nodes = {}
    return ssm_backend._bakery_managed_nodes


def _policy_documents(role) -> list[dict]:
    documents = []
    for policy in role.managed_policies.values():
        default = [version for version in policy.versions if version.is_default]
        text = default[0].document if default else getattr(policy, "document", "")
        documents.append(json.loads(text) if isinstance(text, str) and text else (text or {}))
    for text in role.policies.values():
        documents.append(json.loads(text) if isinstance(text, str) else text)
    return documents


def _matches(patterns, action: str) -> bool:
    patterns = [patterns] if isinstance(patterns, str) else (patterns or [])
    return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in patterns)


def role_allows(role, action: str) -> bool:
    allowed = False
    for document in _policy_documents(role):
        statements = document.get("Statement", [])
        for statement in [statements] if isinstance(statements, dict) else statements:
            if not _matches(statement.get("Action"), action):
                continue
            if statement.get("Effect") == "Deny":
                return False
            allowed = allowed or statement.get("Effect") == "Allow"
    return allowed


def instance_role(account_id: str, region: str, instance_id: str):
    """The role of the instance's instance profile, as IAM holds it now (None without one)."""
    ec2 = ec2_backends[account_id][region]
    association = ec2.iam_instance_profile_associations.get(instance_id)
    if association is None:
        return None
    profile_arn = association.iam_instance_profile.arn
    for partition_backends in iam_backends[account_id].values():
        for profile in partition_backends.instance_profiles.values():
            if profile.arn == profile_arn and profile.roles:
                return profile.roles[0]
    return None


def agent_is_running(container: str) -> bool:
    try:
        return runtime.execute(container, "systemctl", "is-active", AGENT_SERVICE) == "active"
    except PodmanError:
        return False


def _os_release(container: str) -> dict:
    try:
        text = runtime.execute(container, "cat", "/etc/os-release")
    except PodmanError:
        return {}
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))


def _agent_version(container: str) -> str:
    try:
        return runtime.execute(container, "dpkg-query", "--show", "--showformat=${Version}", AGENT_SERVICE)
    except PodmanError:
        return ""


def _instances(account_id: str, region: str) -> list:
    ec2 = ec2_backends[account_id][region]
    return [instance for reservation in ec2.reservations.values() for instance in reservation.instances]


def node_status(account_id: str, region: str, ssm_backend, instance) -> str | None:
    """Online, ConnectionLost, or None when the instance is not a (returned) managed node."""
    if instance.state not in ("pending", "running"):
        return None
    container = instance.__dict__.get("_podman_container")
    nodes = _nodes(ssm_backend)
    role = instance_role(account_id, region, instance.id)
    can_register = bool(container) and instance.state == "running" and role is not None and role_allows(role, REGISTRATION_ACTION)
    is_up = can_register and agent_is_running(container)
    if instance.id not in nodes:
        if not is_up:
            return None
        release = _os_release(container)
        nodes[instance.id] = {
            "RegistrationDate": datetime.now(timezone.utc),
            "PlatformName": release.get("NAME", "").strip('"'),
            "PlatformVersion": release.get("VERSION_ID", "").strip('"'),
            "AgentVersion": _agent_version(container),
        }
    record = nodes[instance.id]
    if is_up:
        record["LastPingDateTime"] = datetime.now(timezone.utc)
        record["IamRole"] = role.name
    return ONLINE if is_up else CONNECTION_LOST


def _describe(instance, status: str, record: dict) -> dict:
    return {
        "InstanceId": instance.id,
        "PingStatus": status,
        "LastPingDateTime": record.get("LastPingDateTime", record["RegistrationDate"]),
        "AgentVersion": record["AgentVersion"],
        "IsLatestVersion": False,
        "PlatformType": "Linux",
        "PlatformName": record["PlatformName"],
        "PlatformVersion": record["PlatformVersion"],
        "ResourceType": "EC2Instance",
        "IPAddress": instance.private_ip,
        "ComputerName": instance.id,
        "IamRole": record.get("IamRole", ""),
        "SourceId": instance.id,
        "SourceType": "AWS::EC2::Instance",
    }


def describe_instance_information(self):
    if self._get_param("InstanceInformationFilterList"):
        raise ManagedInstanceError("InvalidFilterKey", "the emulator takes Filters (InstanceIds, PingStatus), not InstanceInformationFilterList")
    filters = self._get_param("Filters") or []
    for entry in filters:
        if entry.get("Key") not in SUPPORTED_FILTER_KEYS:
            raise ManagedInstanceError("InvalidFilterKey", "the emulator filters managed nodes by %s only, not %r"
                                       % (" and ".join(SUPPORTED_FILTER_KEYS), entry.get("Key")))
    max_results = self._get_param("MaxResults")
    if max_results is not None and not 5 <= int(max_results) <= 50:
        raise ManagedInstanceError("ValidationException", "MaxResults must be between 5 and 50")
    wanted_ids = [value for entry in filters if entry["Key"] == "InstanceIds" for value in entry.get("Values", [])]
    wanted_status = [value for entry in filters if entry["Key"] == "PingStatus" for value in entry.get("Values", [])]
    nodes = _nodes(self.ssm_backend)
    found = []
    for instance in _instances(self.current_account, self.region):
        if wanted_ids and instance.id not in wanted_ids:
            continue
        status = node_status(self.current_account, self.region, self.ssm_backend, instance)
        if status is None:
            continue
        found.append((instance, status))
    missing = sorted(set(wanted_ids) - set(instance.id for instance, _ in found))
    if missing:
        raise ManagedInstanceError("InvalidInstanceId", "Instances %s not in a valid state for account %s" % (missing, self.current_account))
    found = [(instance, status) for instance, status in found if not wanted_status or status in wanted_status]
    found.sort(key=lambda item: item[0].id)
    start = int(self._get_param("NextToken") or 0)
    page_size = int(max_results or 50)
    page = found[start:start + page_size]
    result = {"InstanceInformationList": [_describe(instance, status, nodes[instance.id]) for instance, status in page]}
    if start + page_size < len(found):
        result["NextToken"] = str(start + page_size)
    return ActionResult(result)


def install() -> None:
    SimpleSystemManagerResponse.describe_instance_information = describe_instance_information
