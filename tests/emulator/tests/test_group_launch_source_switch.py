"""An Auto Scaling group has one launch source (extensions/group_launch_source_switch.py)."""

import pytest

from tests.emulator.tests.autoscaling_arrangements import IMAGE_A, describe_group, launch_template_group


@pytest.fixture
def autoscaling(aws):
    return aws.client("autoscaling")


def test_switching_a_launch_template_group_to_a_launch_configuration_drops_the_template(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    autoscaling.create_launch_configuration(LaunchConfigurationName="web-lc", ImageId=IMAGE_A, InstanceType="t3.micro")
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", LaunchConfigurationName="web-lc")
    group = describe_group(autoscaling, "web")
    assert group["LaunchConfigurationName"] == "web-lc"
    assert "LaunchTemplate" not in group


def test_a_group_that_never_had_a_launch_configuration_reports_none(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    assert "LaunchConfigurationName" not in describe_group(autoscaling, "web")
