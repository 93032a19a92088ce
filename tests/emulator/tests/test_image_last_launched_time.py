"""lastLaunchedTime (extensions/image_last_launched_time.py): every launch counts, reported after the delay."""

from datetime import datetime, timedelta

import pytest
from botocore.exceptions import ClientError
from moto.core.utils import utcnow

from tests.emulator.extensions._accounts import find_image
from tests.emulator.extensions.image_last_launched_time import record_launch
from tests.emulator.tests.autoscaling_arrangements import launch_template_group, own_image
from tests.emulator.tests.conftest import ACCOUNT, OTHER_ACCOUNT, client_as


def last_launched(ec2, image_id):
    return ec2.describe_image_attribute(ImageId=image_id, Attribute="lastLaunchedTime")["LastLaunchedTime"].get("Value")


def launch(ec2, image_id):
    return ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]


@pytest.fixture
def image_id(ec2):
    return own_image(ec2, "web-server-003")


def test_a_launch_is_not_reported_before_a_day_has_passed(ec2, image_id):
    launch(ec2, image_id)
    assert last_launched(ec2, image_id) is None


def test_an_image_never_launched_reports_no_time(ec2, image_id):
    assert ec2.describe_image_attribute(ImageId=image_id, Attribute="lastLaunchedTime")["LastLaunchedTime"] == {}


def test_a_launch_is_reported_once_the_configured_delay_has_passed(aws, ec2, image_id):
    aws.control.configure(image_last_launched_delay_seconds=0)
    before = utcnow().replace(microsecond=0)
    launch(ec2, image_id)
    reported = last_launched(ec2, image_id)
    assert reported.endswith("Z") and reported >= before.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_latest_reported_launch_is_the_one_answered(ec2, image_id):
    image = find_image(ACCOUNT, "us-east-1", image_id)
    record_launch(image, utcnow() - timedelta(days=10))
    record_launch(image, utcnow() - timedelta(days=3))
    record_launch(image, utcnow() - timedelta(hours=2))  # not reported yet
    reported = datetime.strptime(last_launched(ec2, image_id), "%Y-%m-%dT%H:%M:%SZ")
    assert utcnow() - timedelta(days=3, minutes=1) <= reported <= utcnow() - timedelta(days=3) + timedelta(seconds=1)


def test_an_auto_scaling_group_launching_the_image_sets_it(aws, ec2, image_id):
    aws.control.configure(image_last_launched_delay_seconds=0)
    launch_template_group(aws.client("autoscaling"), ec2, "web", image_id, capacity=1)
    assert last_launched(ec2, image_id) is not None


def test_a_launch_in_an_account_the_image_is_shared_with_counts_for_the_owner(aws, ec2, image_id):
    aws.control.configure(image_last_launched_delay_seconds=0)
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}]})
    launch(client_as(aws, OTHER_ACCOUNT), image_id)
    assert last_launched(ec2, image_id) is not None


def test_an_unknown_image_is_not_found(ec2):
    with pytest.raises(ClientError) as raised:
        last_launched(ec2, "ami-0123456789abcdef0")
    assert raised.value.response["Error"]["Code"] == "InvalidAMIID.NotFound"
