import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import describe_image


@pytest.fixture
def image_id(ec2, instance_id):
    return ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]


def test_block_public_access_is_off_by_default(ec2):
    assert ec2.get_image_block_public_access_state()["ImageBlockPublicAccessState"] == "unblocked"


def test_enable_and_disable_change_the_state_of_that_region_only(aws, ec2):
    assert ec2.enable_image_block_public_access(ImageBlockPublicAccessState="block-new-sharing")["ImageBlockPublicAccessState"] == "block-new-sharing"
    assert ec2.get_image_block_public_access_state()["ImageBlockPublicAccessState"] == "block-new-sharing"
    assert aws.client("ec2", region="eu-west-1").get_image_block_public_access_state()["ImageBlockPublicAccessState"] == "unblocked"
    assert ec2.disable_image_block_public_access()["ImageBlockPublicAccessState"] == "unblocked"
    assert ec2.get_image_block_public_access_state()["ImageBlockPublicAccessState"] == "unblocked"


def test_making_an_image_public_is_refused_while_blocked(ec2, image_id):
    ec2.enable_image_block_public_access(ImageBlockPublicAccessState="block-new-sharing")
    with pytest.raises(ClientError) as error:
        ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"Group": "all"}]})
    assert error.value.response["Error"]["Code"] == "OperationNotPermitted"
    assert describe_image(ec2, image_id)["Public"] is False


def test_sharing_with_accounts_is_allowed_while_blocked(ec2, image_id):
    ec2.enable_image_block_public_access(ImageBlockPublicAccessState="block-new-sharing")
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": "111122223333"}]})
    permissions = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]
    assert permissions == [{"UserId": "111122223333"}]


def test_already_public_image_stays_public_when_blocking_is_enabled(ec2, image_id):
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"Group": "all"}]})
    ec2.enable_image_block_public_access(ImageBlockPublicAccessState="block-new-sharing")
    assert describe_image(ec2, image_id)["Public"] is True
