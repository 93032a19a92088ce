from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import describe_image

DEPRECATED_DEBIAN_11 = "ami-0de11a0d640000001"


def test_enable_sets_deprecation_time_rounded_to_the_minute(ec2, instance_id):
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    ec2.enable_image_deprecation(ImageId=image_id, DeprecateAt=datetime(2031, 1, 31, 10, 20, 40, tzinfo=timezone.utc))
    assert describe_image(ec2, image_id)["DeprecationTime"] == "2031-01-31T10:21:00.000Z"


def test_disable_removes_deprecation_time(ec2, instance_id):
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    ec2.enable_image_deprecation(ImageId=image_id, DeprecateAt=datetime.now(timezone.utc) + timedelta(days=1))
    ec2.disable_image_deprecation(ImageId=image_id)
    assert "DeprecationTime" not in describe_image(ec2, image_id)


def test_deprecate_at_in_the_past_is_refused(ec2, instance_id):
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    with pytest.raises(ClientError) as error:
        ec2.enable_image_deprecation(ImageId=image_id, DeprecateAt=datetime(2020, 1, 1, tzinfo=timezone.utc))
    assert error.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_deprecated_images_of_others_are_hidden_by_default(ec2):
    listed = [image["ImageId"] for image in ec2.describe_images()["Images"]]
    assert DEPRECATED_DEBIAN_11 not in listed


def test_include_deprecated_shows_them(ec2):
    listed = [image["ImageId"] for image in ec2.describe_images(IncludeDeprecated=True)["Images"]]
    assert DEPRECATED_DEBIAN_11 in listed


def test_asking_by_image_id_shows_a_deprecated_image(ec2):
    assert describe_image(ec2, DEPRECATED_DEBIAN_11)["DeprecationTime"] == "2024-08-15T00:00:00.000Z"


def test_owner_always_sees_own_deprecated_images(ec2, instance_id):
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    image = ec2.describe_images(ImageIds=[image_id])["Images"][0]
    ec2.enable_image_deprecation(ImageId=image_id, DeprecateAt=datetime.now(timezone.utc) + timedelta(minutes=2))
    # Force the deprecation time into the past, as time passing would.
    # (The server runs in this process, so its moto model can be reached directly.)
    from moto.ec2.models import ec2_backends

    ec2_backends["123456789012"]["us-east-1"].amis[image["ImageId"]].deprecation_time = "2024-01-01T00:00:00.000Z"
    listed = [i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]]
    assert listed == [image_id]
