import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def image_id(aws):
    ec2 = aws.client("ec2")
    base = ec2.describe_images(Owners=["136693071363"])["Images"][0]["ImageId"]
    instance_id = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    return ec2.create_image(InstanceId=instance_id, Name="described", Description="before")["ImageId"]


def test_description_value_replaces_the_description(aws, image_id):
    ec2 = aws.client("ec2")
    ec2.modify_image_attribute(ImageId=image_id, Description={"Value": "after"})
    assert ec2.describe_images(ImageIds=[image_id])["Images"][0]["Description"] == "after"
    assert ec2.describe_image_attribute(ImageId=image_id, Attribute="description")["Description"]["Value"] == "after"


def test_attribute_and_value_form_is_accepted(aws, image_id):
    ec2 = aws.client("ec2")
    ec2.modify_image_attribute(ImageId=image_id, Attribute="description", Value="via value")
    assert ec2.describe_images(ImageIds=[image_id])["Images"][0]["Description"] == "via value"


def test_too_long_description_is_refused(aws, image_id):
    ec2 = aws.client("ec2")
    with pytest.raises(ClientError) as error:
        ec2.modify_image_attribute(ImageId=image_id, Description={"Value": "x" * 256})
    assert error.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_launch_permissions_still_work(aws, image_id):
    ec2 = aws.client("ec2")
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": "111122223333"}]})
    permissions = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]
    assert {"UserId": "111122223333"} in permissions
