"""A podman-backed launch that cannot start its container fails as AWS fails a launch it cannot place
(extensions/podman_instances.py). No podman needed: the emulator runs in this process, so its runtime
is made to fail the way `podman run` does."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.extensions import podman_instances
from tests.emulator.podman_runtime import PodmanError
from tests.emulator.tests.conftest import DEBIAN_12_AMD64


@pytest.fixture
def failing_podman(aws, monkeypatch):
    def refuse_to_start(name, image, volumes=()):
        raise PodmanError(f"podman run {name} failed (125): no space left on device")

    monkeypatch.setattr(podman_instances.runtime, "run", refuse_to_start)
    aws.control.configure(podman_instances=True)
    yield aws
    aws.control.reset()


def test_a_container_that_cannot_start_answers_insufficient_instance_capacity_with_http_500(failing_podman):
    ec2 = failing_podman.client("ec2", retries={"mode": "standard", "total_max_attempts": 1})
    with pytest.raises(ClientError) as raised:
        ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1)
    assert raised.value.response["Error"]["Code"] == "InsufficientInstanceCapacity"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_a_launch_that_could_not_be_placed_leaves_no_live_instance(failing_podman):
    ec2 = failing_podman.client("ec2", retries={"mode": "standard", "total_max_attempts": 1})
    with pytest.raises(ClientError):
        ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1)
    states = [instance["State"]["Name"] for reservation in ec2.describe_instances()["Reservations"] for instance in reservation["Instances"]]
    assert all(state in ("shutting-down", "terminated") for state in states)


def test_botocore_retries_the_capacity_error_as_a_server_error(failing_podman):
    ec2 = failing_podman.client("ec2", retries={"mode": "standard", "total_max_attempts": 3})
    with pytest.raises(ClientError):
        ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1)
    assert failing_podman.control.counts()["ec2:RunInstances"] == 3
