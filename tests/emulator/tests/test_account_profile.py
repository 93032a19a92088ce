"""config.account_profile: "existing" (default) or "new" (an account created on or after 2024-10-01): image block
public access on by default (extensions/image_block_public_access.py), no launch configurations
(extensions/launch_configuration_retirement.py)."""

import urllib.error

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import OTHER_ACCOUNT, client_as, error_code

LAUNCH_CONFIGURATION = {"LaunchConfigurationName": "web-lc", "ImageId": "ami-0de12a0d640000002", "InstanceType": "t3.micro"}


def state(ec2):
    return ec2.get_image_block_public_access_state()["ImageBlockPublicAccessState"]


def test_existing_is_the_default_with_public_sharing_and_launch_configurations_allowed(aws, ec2):
    assert aws.control.config()["account_profile"] == "existing"
    assert state(ec2) == "unblocked"
    aws.client("autoscaling").create_launch_configuration(**LAUNCH_CONFIGURATION)


def test_a_new_account_blocks_public_sharing_in_every_region_and_account(aws, ec2, instance_id):
    aws.control.configure(account_profile="new")

    assert state(ec2) == "block-new-sharing"
    assert state(aws.client("ec2", region="eu-west-1")) == "block-new-sharing"
    assert state(client_as(aws, OTHER_ACCOUNT)) == "block-new-sharing"
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    with pytest.raises(ClientError) as caught:
        ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"Group": "all"}]})
    assert error_code(caught) == "OperationNotPermitted"
    assert "block public access for AMIs is enabled" in caught.value.response["Error"]["Message"]


def test_a_new_account_can_disable_the_block_then_share_publicly(aws, ec2, instance_id):
    aws.control.configure(account_profile="new")
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]

    assert ec2.disable_image_block_public_access()["ImageBlockPublicAccessState"] == "unblocked"
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"Group": "all"}]})

    assert state(ec2) == "unblocked"
    assert state(aws.client("ec2", region="eu-west-1")) == "block-new-sharing"


def test_a_new_account_cannot_create_launch_configurations(aws):
    aws.control.configure(account_profile="new")
    with pytest.raises(ClientError) as caught:
        aws.client("autoscaling").create_launch_configuration(**LAUNCH_CONFIGURATION)
    assert error_code(caught) == "UnsupportedOperation"


def test_reset_returns_to_existing(aws, ec2):
    aws.control.configure(account_profile="new")
    aws.control.reset()
    assert aws.control.config()["account_profile"] == "existing"
    assert state(ec2) == "unblocked"


def test_an_unknown_profile_is_refused(aws):
    with pytest.raises(urllib.error.HTTPError) as caught:
        aws.control.configure(account_profile="ancient")
    assert caught.value.code == 400
    assert aws.control.config()["account_profile"] == "existing"
