"""Podman-backed instances (extensions/podman_instances.py): instances of mapped AMIs are containers."""

import pytest

from tests.emulator.extensions.podman_instances import DEBIAN12_IMAGE, runtime
from tests.emulator.tests.conftest import DEBIAN_12_AMD64

pytestmark = pytest.mark.skipif(
    not runtime.is_available() or not runtime.image_exists(DEBIAN12_IMAGE),
    reason=f"needs podman and {DEBIAN12_IMAGE} (tests/molecule/setup-host.sh)",
)


@pytest.fixture
def podman_aws(aws):
    aws.control.configure(podman_instances=True)
    yield aws
    aws.control.reset()


def launch(ec2, image_id=DEBIAN_12_AMD64):
    return ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]


def test_instances_are_plain_moto_instances_unless_switched_on(aws, ec2):
    instance_id = launch(ec2)
    assert not runtime.exists(instance_id)


def test_run_instances_starts_a_systemd_container_named_after_the_instance(podman_aws, ec2):
    instance_id = launch(ec2)
    assert runtime.is_running(instance_id)
    assert runtime.execute(instance_id, "cat", "/proc/1/comm") == "systemd"


def test_create_image_commits_the_container_and_its_instances_see_the_change(podman_aws, ec2):
    builder = launch(ec2)
    runtime.execute(builder, "sh", "-c", "echo baked > /etc/bakery-marker")
    image_id = ec2.create_image(InstanceId=builder, Name="marker-000")["ImageId"]

    child = launch(ec2, image_id)

    assert runtime.execute(child, "cat", "/etc/bakery-marker") == "baked"


def test_copy_image_carries_the_container_image_to_the_copy(podman_aws, aws, ec2):
    builder = launch(ec2)
    runtime.execute(builder, "sh", "-c", "echo copied > /etc/bakery-marker")
    image_id = ec2.create_image(InstanceId=builder, Name="marker-000")["ImageId"]
    west = aws.client("ec2", region="eu-west-1")
    copy_id = west.copy_image(SourceImageId=image_id, SourceRegion="us-east-1", Name="marker-000")["ImageId"]

    instance_in_west = launch(west, copy_id)

    assert runtime.execute(instance_in_west, "cat", "/etc/bakery-marker") == "copied"


def test_stop_and_start_act_on_the_container(podman_aws, ec2):
    instance_id = launch(ec2)
    ec2.stop_instances(InstanceIds=[instance_id])
    assert not runtime.is_running(instance_id)
    ec2.start_instances(InstanceIds=[instance_id])
    assert runtime.is_running(instance_id)


def test_terminate_removes_the_container(podman_aws, ec2):
    instance_id = launch(ec2)
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert not runtime.exists(instance_id)


def test_deregister_removes_the_committed_image_once_no_copy_maps_to_it(podman_aws, aws, ec2):
    builder = launch(ec2)
    image_id = ec2.create_image(InstanceId=builder, Name="marker-000")["ImageId"]
    container_image = f"localhost/bakery-emulator/{image_id}:latest"
    west = aws.client("ec2", region="eu-west-1")
    copy_id = west.copy_image(SourceImageId=image_id, SourceRegion="us-east-1", Name="marker-000")["ImageId"]

    ec2.deregister_image(ImageId=image_id)
    assert runtime.image_exists(container_image)
    west.deregister_image(ImageId=copy_id)
    assert not runtime.image_exists(container_image)
    assert runtime.image_exists(DEBIAN12_IMAGE)


def test_reset_removes_containers_and_committed_images(podman_aws, ec2):
    builder = launch(ec2)
    image_id = ec2.create_image(InstanceId=builder, Name="marker-000")["ImageId"]
    podman_aws.control.reset()
    assert not runtime.exists(builder)
    assert not runtime.image_exists(f"localhost/bakery-emulator/{image_id}:latest")


def test_unmapped_ami_launches_a_plain_instance(podman_aws, ec2):
    instance_id = launch(ec2, "ami-0c2204a0d64000001")
    assert not runtime.exists(instance_id)
