import urllib.error

import pytest

from tests.emulator.tests.conftest import describe_image


def test_created_image_is_available_at_once_by_default(ec2, instance_id):
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    assert describe_image(ec2, image_id)["State"] == "available"


def test_created_image_is_pending_for_the_configured_time(aws, ec2, instance_id):
    # A minute: however slow the machine, the image cannot become available before it is described.
    aws.control.configure(pending_seconds=60)
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    assert describe_image(ec2, image_id)["State"] == "pending"


def test_a_pending_image_becomes_available_once_its_time_has_passed(aws, ec2, instance_id):
    aws.control.configure(pending_seconds=1)
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image_id], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    assert describe_image(ec2, image_id)["State"] == "available"


def test_copied_and_registered_images_are_pending_too(aws, ec2, snapshot_id):
    aws.control.configure(pending_seconds=30)
    copied = aws.client("ec2", region="eu-west-1").copy_image(
        SourceImageId="ami-0de12a0d640000002", SourceRegion="us-east-1", Name="debian-copy"
    )["ImageId"]
    registered = ec2.register_image(
        Name="registered", RootDeviceName="/dev/xvda", Architecture="x86_64", VirtualizationType="hvm",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id}}],
    )["ImageId"]
    assert describe_image(aws.client("ec2", region="eu-west-1"), copied)["State"] == "pending"
    assert describe_image(ec2, registered)["State"] == "pending"


def test_pending_images_match_the_state_filter(aws, ec2, instance_id):
    aws.control.configure(pending_seconds=30)
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    pending = ec2.describe_images(Owners=["self"], Filters=[{"Name": "state", "Values": ["pending"]}])["Images"]
    assert [image["ImageId"] for image in pending] == [image_id]


def test_fixture_images_are_never_pending(aws, ec2):
    aws.control.configure(pending_seconds=30)
    assert describe_image(ec2, "ami-0de12a0d640000002")["State"] == "available"


def test_each_action_can_have_its_own_pending_time(aws, ec2, instance_id):
    # Creation at once, copies for a minute: the benchmark's "image creation 20 s, copies 60 s" in small.
    aws.control.configure(pending_seconds=0, image_pending_seconds={"CopyImage": 60})
    created = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    europe = aws.client("ec2", region="eu-west-1")
    copied = europe.copy_image(SourceImageId=created, SourceRegion="us-east-1", Name="web-server-000")["ImageId"]
    assert describe_image(ec2, created)["State"] == "available"
    assert describe_image(europe, copied)["State"] == "pending"


def test_an_unknown_action_in_the_per_action_pending_times_is_refused(aws):
    with pytest.raises(urllib.error.HTTPError) as error:
        aws.control.configure(image_pending_seconds={"CreateSnapshot": 5})
    assert error.value.code == 400
    assert "CreateSnapshot" in error.value.read().decode()
