"""extensions/image_disable_permissions.py: DisableImage removes every launch permission (the AMI becomes
private, the accounts it was shared with lose it); EnableImage does not bring them back; a disabled AMI cannot be
shared."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import OTHER_ACCOUNT, describe_image, error_code

ORGANIZATION = "arn:aws:organizations::123456789012:organization/o-abcdefghij"


@pytest.fixture
def image_id(ec2, instance_id):
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    ec2.modify_image_attribute(
        ImageId=image_id, LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}, {"OrganizationArn": ORGANIZATION}, {"Group": "all"}]}
    )
    return image_id


def launch_permissions(ec2, image_id):
    return ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]


def test_disabling_makes_the_image_private(ec2, image_id):
    ec2.disable_image(ImageId=image_id)

    assert launch_permissions(ec2, image_id) == []
    assert ec2.describe_images(ImageIds=[image_id], IncludeDisabled=True)["Images"][0]["Public"] is False


def test_accounts_it_was_shared_with_lose_it(ec2, other_ec2, image_id):
    assert describe_image(other_ec2, image_id)["State"] == "available"

    ec2.disable_image(ImageId=image_id)

    with pytest.raises(ClientError) as caught:
        other_ec2.describe_images(ImageIds=[image_id], IncludeDisabled=True)
    assert error_code(caught) == "InvalidAMIID.NotFound"


def test_enabling_does_not_restore_the_permissions(ec2, other_ec2, image_id):
    ec2.disable_image(ImageId=image_id)
    ec2.enable_image(ImageId=image_id)

    image = describe_image(ec2, image_id)
    assert (image["State"], image["Public"]) == ("available", False)
    assert launch_permissions(ec2, image_id) == []
    assert other_ec2.describe_images(ExecutableUsers=["self"])["Images"] == []


def test_once_enabled_it_can_be_shared_again(ec2, other_ec2, image_id):
    ec2.disable_image(ImageId=image_id)
    ec2.enable_image(ImageId=image_id)

    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}]})

    assert [image["ImageId"] for image in other_ec2.describe_images(ExecutableUsers=["self"])["Images"]] == [image_id]


def test_a_disabled_image_cannot_be_shared(ec2, image_id):
    ec2.disable_image(ImageId=image_id)

    with pytest.raises(ClientError) as caught:
        ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}]})

    assert error_code(caught) == "OperationNotPermitted"
    assert launch_permissions(ec2, image_id) == []
