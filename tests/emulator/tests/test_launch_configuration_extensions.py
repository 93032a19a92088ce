"""Launch configuration behaviour moto lacks, one extension module each: duplicate names
(launch_configuration_duplicate_name), retirement for new accounts (launch_configuration_retirement),
deletion while attached (launch_configuration_in_use), PlacementTenancy (launch_configuration_tenancy)."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.autoscaling_arrangements import IMAGE_A, launch_configuration_group


@pytest.fixture
def autoscaling(aws):
    return aws.client("autoscaling")


def error_of(raised):
    return raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_second_launch_configuration_with_the_same_name_is_refused(autoscaling):
    autoscaling.create_launch_configuration(LaunchConfigurationName="web-1", ImageId=IMAGE_A, InstanceType="t3.micro")
    with pytest.raises(ClientError) as raised:
        autoscaling.create_launch_configuration(LaunchConfigurationName="web-1", ImageId="ami-0123456789abcdef0", InstanceType="t3.large")
    assert error_of(raised) == ("AlreadyExists", 400)
    kept = autoscaling.describe_launch_configurations(LaunchConfigurationNames=["web-1"])["LaunchConfigurations"][0]
    assert (kept["ImageId"], kept["InstanceType"]) == (IMAGE_A, "t3.micro")


def test_account_without_launch_configurations_gets_unsupported_operation(aws, autoscaling):
    aws.control.configure(launch_configurations_unavailable=True)
    with pytest.raises(ClientError) as raised:
        autoscaling.create_launch_configuration(LaunchConfigurationName="web-1", ImageId=IMAGE_A, InstanceType="t3.micro")
    assert error_of(raised) == ("UnsupportedOperation", 400)
    assert "not available in your account" in raised.value.response["Error"]["Message"]
    assert autoscaling.describe_launch_configurations()["LaunchConfigurations"] == []


def test_reset_makes_launch_configurations_available_again(aws, autoscaling):
    aws.control.configure(launch_configurations_unavailable=True)
    aws.control.reset()
    autoscaling.create_launch_configuration(LaunchConfigurationName="web-1", ImageId=IMAGE_A, InstanceType="t3.micro")
    assert len(autoscaling.describe_launch_configurations()["LaunchConfigurations"]) == 1


def test_launch_configuration_attached_to_a_group_cannot_be_deleted(aws, autoscaling):
    name = launch_configuration_group(autoscaling, aws.client("ec2"), "web", IMAGE_A)
    with pytest.raises(ClientError) as raised:
        autoscaling.delete_launch_configuration(LaunchConfigurationName=name)
    assert error_of(raised) == ("ResourceInUse", 400)
    assert [lc["LaunchConfigurationName"] for lc in autoscaling.describe_launch_configurations()["LaunchConfigurations"]] == [name]


def test_unattached_launch_configuration_is_deleted(autoscaling):
    autoscaling.create_launch_configuration(LaunchConfigurationName="old", ImageId=IMAGE_A, InstanceType="t3.micro")
    autoscaling.delete_launch_configuration(LaunchConfigurationName="old")
    assert autoscaling.describe_launch_configurations()["LaunchConfigurations"] == []


def test_placement_tenancy_is_kept(autoscaling):
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="dedicated", ImageId=IMAGE_A, InstanceType="t3.micro", PlacementTenancy="dedicated"
    )
    described = autoscaling.describe_launch_configurations()["LaunchConfigurations"][0]
    assert described["PlacementTenancy"] == "dedicated"
