"""resolve:ssm: image references resolve at launch (extensions/launch_ssm_image_resolution.py)."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.autoscaling_arrangements import IMAGE_A, instance_images, launch_template_group, own_image

PARAMETER = "/bakery/web/latest"


@pytest.fixture
def ssm(aws):
    return aws.client("ssm")


def image_of(ec2, instance_id):
    return ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["ImageId"]


def test_run_instances_launches_the_image_the_parameter_holds(ec2, ssm):
    ssm.put_parameter(Name=PARAMETER, Value=IMAGE_A, Type="String", DataType="aws:ec2:image")
    instance_id = ec2.run_instances(ImageId="resolve:ssm:%s" % PARAMETER, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    assert image_of(ec2, instance_id) == IMAGE_A


def test_a_group_launches_what_the_parameter_holds_when_it_launches(aws, ec2, ssm):
    new_image = own_image(ec2, "web-server-003")
    ssm.put_parameter(Name=PARAMETER, Value=IMAGE_A, Type="String", DataType="aws:ec2:image")
    autoscaling = aws.client("autoscaling")
    launch_template_group(autoscaling, ec2, "web", "resolve:ssm:%s" % PARAMETER, capacity=1)
    ssm.put_parameter(Name=PARAMETER, Value=new_image, Type="String", DataType="aws:ec2:image", Overwrite=True)

    autoscaling.set_desired_capacity(AutoScalingGroupName="web", DesiredCapacity=2)

    assert instance_images(autoscaling, ec2, "web") == sorted([IMAGE_A, new_image])


def test_a_version_selector_launches_that_version(ec2, ssm):
    new_image = own_image(ec2, "web-server-003")
    ssm.put_parameter(Name=PARAMETER, Value=IMAGE_A, Type="String", DataType="aws:ec2:image")
    ssm.put_parameter(Name=PARAMETER, Value=new_image, Type="String", DataType="aws:ec2:image", Overwrite=True)
    instance_id = ec2.run_instances(ImageId="resolve:ssm:%s:1" % PARAMETER, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    assert image_of(ec2, instance_id) == IMAGE_A


def test_a_missing_parameter_fails_the_launch(ec2):
    with pytest.raises(ClientError) as raised:
        ec2.run_instances(ImageId="resolve:ssm:/bakery/no-such", MinCount=1, MaxCount=1)
    assert raised.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert ec2.describe_instances()["Reservations"] == []
