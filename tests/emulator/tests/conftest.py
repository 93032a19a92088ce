import pytest

from tests.emulator.pytest_plugin import aws, emulator  # noqa: F401  (fixtures)

DEBIAN_12_AMD64 = "ami-0de12a0d640000002"


@pytest.fixture
def ec2(aws):
    return aws.client("ec2")


@pytest.fixture
def instance_id(ec2):
    """A running builder instance launched from the newest Debian 12 amd64 fixture image."""
    return ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]


@pytest.fixture
def snapshot_id(ec2):
    volume = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a")
    return ec2.create_snapshot(VolumeId=volume["VolumeId"])["SnapshotId"]


def describe_image(ec2, image_id: str) -> dict:
    return ec2.describe_images(ImageIds=[image_id])["Images"][0]
