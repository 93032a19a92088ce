"""Podman-backed instances run their #! user data once, as root, at first boot (extensions/podman_instance_user_data.py)."""

import time

import botocore.exceptions
import pytest

from tests.emulator.extensions.podman_instances import runtime
from tests.emulator.tests.conftest import error_code
from tests.emulator.tests.managed_node_arrangements import launch, needs_podman

pytestmark = needs_podman
SCRIPT = "#!/bin/sh\necho \"ran as $(id -un)\" > /root/user-data-ran\necho to-the-log\n"


@pytest.fixture
def podman_aws(aws):
    aws.control.configure(podman_instances=True)
    yield aws
    aws.control.reset()


def wait_for_file(instance_id, path, attempts=120):
    for _ in range(attempts):
        if runtime.execute(instance_id, "sh", "-c", "test -e %s && echo yes || echo no" % path) == "yes":
            return
        time.sleep(1)
    raise AssertionError("%s never appeared in %s" % (path, instance_id))


def test_a_script_runs_as_root_and_logs_to_the_cloud_init_output_log(podman_aws):
    instance_id = launch(podman_aws.client("ec2"), UserData=SCRIPT)

    wait_for_file(instance_id, "/var/lib/cloud/instance/boot-finished")

    assert runtime.execute(instance_id, "cat", "/root/user-data-ran") == "ran as root"
    assert "to-the-log" in runtime.execute(instance_id, "cat", "/var/log/cloud-init-output.log")


def test_the_script_does_not_run_again_when_the_instance_is_started_again(podman_aws):
    ec2 = podman_aws.client("ec2")
    instance_id = launch(ec2, UserData="#!/bin/sh\necho once >> /root/runs\n")
    wait_for_file(instance_id, "/var/lib/cloud/instance/boot-finished")
    ec2.stop_instances(InstanceIds=[instance_id])
    ec2.start_instances(InstanceIds=[instance_id])
    runtime.wait_for_boot(instance_id)

    assert runtime.execute(instance_id, "cat", "/root/runs") == "once"


def test_user_data_that_is_not_a_script_is_not_run(podman_aws):
    instance_id = launch(podman_aws.client("ec2"), UserData="#cloud-config\nruncmd:\n  - touch /root/ran\n")
    runtime.wait_for_boot(instance_id)

    assert runtime.execute(instance_id, "sh", "-c", "test -e /var/lib/cloud/instance/scripts/part-001 || test -e /root/ran || echo none") == "none"


def test_user_data_over_16_kb_is_refused_and_nothing_is_launched(podman_aws):
    ec2 = podman_aws.client("ec2")
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        launch(ec2, UserData="#!/bin/sh\n" + "#" * 16384)
    assert error_code(raised) == "InvalidParameterValue"
    assert [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]] == []
