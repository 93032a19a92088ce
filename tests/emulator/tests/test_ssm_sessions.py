"""Session Manager sessions to podman-backed managed nodes (extensions/ssm_sessions.py), and the test stand-in for
session-manager-plugin that carries them into the container (tests/session_manager/session-manager-plugin)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import botocore.exceptions
import pytest

from tests.emulator.extensions.podman_instances import runtime
from tests.emulator.tests.conftest import error_code
from tests.emulator.tests.managed_node_arrangements import instance_profile, launch, managed_node, needs_podman

pytestmark = needs_podman
PLUGIN = Path(__file__).resolve().parents[2] / "session_manager" / "session-manager-plugin"


@pytest.fixture
def podman_aws(aws):
    aws.control.configure(podman_instances=True)
    yield aws
    aws.control.reset()


def test_a_session_to_an_online_node_is_connected_and_runs_as_ssm_user_with_sudo(podman_aws):
    instance_id = managed_node(podman_aws)
    ssm = podman_aws.client("ssm")

    started = ssm.start_session(Target=instance_id)

    assert started["StreamUrl"].startswith("wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/%s" % started["SessionId"])
    assert started["TokenValue"]
    session = ssm.describe_sessions(State="Active", Filters=[{"key": "SessionId", "value": started["SessionId"]}])["Sessions"][0]
    assert session["Target"] == instance_id and session["Status"] == "Connected"
    assert runtime.execute(instance_id, "cat", "/etc/sudoers.d/ssm-agent-users") == "ssm-user ALL=(ALL) NOPASSWD:ALL"
    assert runtime.execute(instance_id, "id", "-un", "ssm-user") == "ssm-user"


def test_a_session_to_an_instance_that_is_not_a_managed_node_is_refused(podman_aws):
    instance_id = launch(podman_aws.client("ec2"), instance_profile(podman_aws.client("iam")))
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        podman_aws.client("ssm").start_session(Target=instance_id)
    assert error_code(raised) == "TargetNotConnected"


def test_a_document_other_than_the_shell_session_is_refused(podman_aws):
    instance_id = managed_node(podman_aws)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        podman_aws.client("ssm").start_session(Target=instance_id, DocumentName="AWS-StartPortForwardingSession")
    assert error_code(raised) == "InvalidDocument"


def test_a_terminated_session_moves_to_the_history(podman_aws):
    ssm = podman_aws.client("ssm")
    session_id = ssm.start_session(Target=managed_node(podman_aws))["SessionId"]

    assert ssm.terminate_session(SessionId=session_id)["SessionId"] == session_id

    assert ssm.describe_sessions(State="Active")["Sessions"] == []
    assert [session["Status"] for session in ssm.describe_sessions(State="History")["Sessions"]] == ["Terminated"]


def test_terminating_an_unknown_session_is_refused(aws):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        aws.client("ssm").terminate_session(SessionId="nobody-0123456789abcdef0")
    assert error_code(raised) == "DoesNotExistException"


def test_terminating_the_instance_ends_its_sessions(podman_aws):
    instance_id = managed_node(podman_aws)
    ssm = podman_aws.client("ssm")
    ssm.start_session(Target=instance_id)

    podman_aws.client("ec2").terminate_instances(InstanceIds=[instance_id])

    assert ssm.describe_sessions(State="Active")["Sessions"] == []


def test_an_unknown_session_filter_key_is_refused(aws):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        aws.client("ssm").describe_sessions(State="Active", Filters=[{"key": "InstanceId", "value": "i-0"}])
    assert error_code(raised) == "InvalidFilterKey"


def run_plugin(aws, response, target, commands):
    env = dict(os.environ, **aws.env, PATH=os.path.dirname(sys.executable) + ":" + os.environ.get("PATH", ""))
    return subprocess.run([str(PLUGIN), json.dumps(response), "us-east-1", "StartSession", "", json.dumps({"Target": target}), aws.endpoint_url],
                          input=commands, capture_output=True, env=env, timeout=120, check=False)


def test_the_plugin_stand_in_carries_the_session_into_the_instance_as_ssm_user(podman_aws):
    instance_id = managed_node(podman_aws)
    response = podman_aws.client("ssm").start_session(Target=instance_id)
    response.pop("ResponseMetadata")

    # All input is typed ahead (the connection plugin waits for each command's markers instead): only commands that
    # read no terminal input, or they would take the rest of it.
    carried = run_plugin(podman_aws, response, instance_id, b"stty -echo\nid -un\nexit\n")

    assert carried.returncode == 0, carried.stderr
    output = carried.stdout.decode()
    assert "Starting session with SessionId: %s" % response["SessionId"] in output
    # Each line comes back as the agent's terminal writes it (CR LF), once the echo is off.
    assert "ssm-user\r\n" in output
    assert "Exiting session with sessionId: %s." % response["SessionId"] in output


def test_the_plugin_stand_in_refuses_a_session_that_is_not_active(podman_aws):
    instance_id = managed_node(podman_aws)
    ssm = podman_aws.client("ssm")
    response = ssm.start_session(Target=instance_id)
    response.pop("ResponseMetadata")
    ssm.terminate_session(SessionId=response["SessionId"])

    carried = run_plugin(podman_aws, response, instance_id, b"id\nexit\n")

    assert carried.returncode == 1 and b"is not active" in carried.stderr
