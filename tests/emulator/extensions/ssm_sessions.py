"""Session Manager sessions to podman-backed managed nodes: StartSession, TerminateSession, DescribeSessions.

AWS (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_StartSession.html): "Initiates a connection
to a target (for example, a managed node) for a Session Manager session. Returns a URL and token that can be used to
open a WebSocket connection for sending input and receiving outputs." StreamUrl's format is
"wss://ssmmessages.region.amazonaws.com/v1/data-channel/session-id?stream=(input|output)". Its errors: InvalidDocument
("The specified SSM document doesn't exist.") and TargetNotConnected ("The specified target managed node for the
session isn't fully configured for use with Session Manager."). TerminateSession: "Permanently ends a session and
closes the data connection between the Session Manager client and SSM Agent on the managed node. A terminated session
can't be resumed." DescribeSessions: "Retrieves a list of all active sessions (both connected and disconnected) or
terminated sessions from the past 30 days", State Active or History, filter keys InvokedAfter, InvokedBefore, Target,
Owner, Status, SessionId. On the node, the agent runs the session as ssm-user: "By default, sessions are launched using
the credentials of a system-generated ssm-user account that is created on a managed node" and "ssm-user is added to
the /etc/sudoers.d directory" (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-getting-started-ssm-user-permissions.html).

moto implements none of these. Emulated:
- StartSession to a node DescribeInstanceInformation reports Online (extensions/ssm_managed_instances.py) whose role
  is also allowed ssmmessages:OpenDataChannel (part of AmazonSSMManagedInstanceCore); otherwise TargetNotConnected.
  DocumentName may be omitted or SSM-SessionManagerRunShell (the default shell session); any other answers
  InvalidDocument (other documents are not emulated: chosen by us). As the agent does on a first session, ssm-user is
  created in the container (home directory, /etc/sudoers.d/ssm-agent-users granting passwordless sudo). The session is
  Connected at once (no Connecting phase); SessionId is "<caller>-<17 hex digits>", TokenValue random.
- The data channel itself is not the emulator's: the test stand-in for session-manager-plugin
  (tests/session_manager/session-manager-plugin) checks the session with DescribeSessions and carries it into the
  container (`podman exec` of a shell as ssm-user in a terminal).
- TerminateSession marks the session Terminated (again: the same answer); an unknown SessionId answers
  DoesNotExistException (chosen by us: AWS documents no error for it). TerminateInstances terminates the
  instance's sessions.
- DescribeSessions: State Active (Connected) or History (Terminated), the six documented filter keys (an unknown key:
  InvalidFilterKey), MaxResults 1 to 200, NextToken; a State other than the two, or MaxResults out of its range, is a
  ValidationException (the request model's constraints, which AWS enforces).
"""

from __future__ import annotations

import base64
import functools
import os
import secrets
from datetime import datetime, timezone

from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.ec2.models.instances import InstanceBackend
from moto.ssm.models import ssm_backends
from moto.ssm.responses import SimpleSystemManagerResponse

from ..podman_runtime import PodmanError
from .podman_instances import runtime
from .ssm_managed_instances import ONLINE, ManagedInstanceError, instance_role, node_status, role_allows

DEFAULT_DOCUMENT = "SSM-SessionManagerRunShell"
DATA_CHANNEL_ACTION = "ssmmessages:OpenDataChannel"
ACTIVE_STATUSES = ("Connected", "Connecting", "Disconnected")
FILTER_KEYS = ("InvokedAfter", "InvokedBefore", "Target", "Owner", "Status", "SessionId")
SESSION_USER = "ssm-user"
CREATE_SESSION_USER = (
    f"id {SESSION_USER} >/dev/null 2>&1 || {{ useradd --create-home --shell /bin/sh {SESSION_USER} && "
    f"printf '%s ALL=(ALL) NOPASSWD:ALL\\n' {SESSION_USER} > /etc/sudoers.d/ssm-agent-users && "
    f"chmod 0440 /etc/sudoers.d/ssm-agent-users; }}"
)


def _sessions(ssm_backend) -> dict:
    if "_bakery_sessions" not in ssm_backend.__dict__:
        ssm_backend._bakery_sessions = {}
    return ssm_backend._bakery_sessions


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _caller_name(self) -> str:
    return (self.get_access_key() or "emulator").lower()


def start_session(self):
    target = self._get_param("Target")
    document = self._get_param("DocumentName")
    if document not in (None, DEFAULT_DOCUMENT):
        raise ManagedInstanceError("InvalidDocument",
                                   "The specified SSM document doesn't exist: %s (the emulator carries only %s)" % (document, DEFAULT_DOCUMENT))
    ec2 = ec2_backends[self.current_account][self.region]
    instance = next((candidate for reservation in ec2.reservations.values() for candidate in reservation.instances if candidate.id == target), None)
    status = node_status(self.current_account, self.region, self.ssm_backend, instance) if instance is not None else None
    role = instance_role(self.current_account, self.region, target) if instance is not None else None
    if status != ONLINE or role is None or not role_allows(role, DATA_CHANNEL_ACTION):
        raise ManagedInstanceError("TargetNotConnected", "%s is not connected." % target)
    try:
        runtime.execute(instance.__dict__["_podman_container"], "/bin/sh", "-c", CREATE_SESSION_USER)
    except PodmanError as error:
        raise ManagedInstanceError("TargetNotConnected", "%s is not connected (the session user could not be made: %s)." % (target, error))
    session_id = "%s-%s" % (_caller_name(self), secrets.token_hex(9)[:17])
    _sessions(self.ssm_backend)[session_id] = {
        "SessionId": session_id,
        "Target": target,
        "Status": "Connected",
        "StartDate": _now(),
        "DocumentName": document or DEFAULT_DOCUMENT,
        "Owner": "arn:aws:iam::%s:user/%s" % (self.current_account, _caller_name(self)),
        "Reason": self._get_param("Reason") or "",
    }
    return ActionResult({
        "SessionId": session_id,
        "TokenValue": base64.b64encode(os.urandom(96)).decode(),
        "StreamUrl": "wss://ssmmessages.%s.amazonaws.com/v1/data-channel/%s?role=publish_subscribe" % (self.region, session_id),
    })


def _end(session: dict) -> None:
    if session["Status"] in ACTIVE_STATUSES:
        session["Status"] = "Terminated"
        session["EndDate"] = _now()


def terminate_session(self):
    session_id = self._get_param("SessionId")
    session = _sessions(self.ssm_backend).get(session_id)
    if session is None:
        raise ManagedInstanceError("DoesNotExistException", "Session %s does not exist" % session_id)
    _end(session)
    return ActionResult({"SessionId": session_id})


def _filtered(session: dict, key: str, value: str) -> bool:
    if key == "InvokedAfter":
        return session["StartDate"] >= datetime.fromisoformat(value.replace("Z", "+00:00"))
    if key == "InvokedBefore":
        return session["StartDate"] < datetime.fromisoformat(value.replace("Z", "+00:00"))
    field = {"Target": "Target", "Owner": "Owner", "Status": "Status", "SessionId": "SessionId"}[key]
    return session[field] == value


def describe_sessions(self):
    state = self._get_param("State")
    if state not in ("Active", "History"):
        raise ManagedInstanceError("ValidationException", "State must be Active or History")
    filters = self._get_param("Filters") or []
    for entry in filters:
        if entry.get("key") not in FILTER_KEYS:
            raise ManagedInstanceError("InvalidFilterKey", "The specified key isn't valid: %r" % entry.get("key"))
    max_results = int(self._get_param("MaxResults") or 200)
    if not 1 <= max_results <= 200:
        raise ManagedInstanceError("ValidationException", "MaxResults must be between 1 and 200")
    found = []
    for session in _sessions(self.ssm_backend).values():
        is_active = session["Status"] in ACTIVE_STATUSES
        if is_active != (state == "Active"):
            continue
        if all(_filtered(session, entry["key"], entry["value"]) for entry in filters):
            found.append(dict(session))
    found.sort(key=lambda session: session["StartDate"], reverse=True)
    start = int(self._get_param("NextToken") or 0)
    result = {"Sessions": found[start:start + max_results]}
    if start + max_results < len(found):
        result["NextToken"] = str(start + max_results)
    return ActionResult(result)


def _ending_sessions_of_terminated(original):
    @functools.wraps(original)
    def terminate_instances(self, instance_ids, *args, **kwargs):
        result = original(self, instance_ids, *args, **kwargs)
        for session in _sessions(ssm_backends[self.account_id][self.region_name]).values():
            if session["Target"] in instance_ids:
                _end(session)
        return result

    return terminate_instances


def install() -> None:
    SimpleSystemManagerResponse.start_session = start_session
    SimpleSystemManagerResponse.terminate_session = terminate_session
    SimpleSystemManagerResponse.describe_sessions = describe_sessions
    InstanceBackend.terminate_instances = _ending_sessions_of_terminated(InstanceBackend.terminate_instances)
