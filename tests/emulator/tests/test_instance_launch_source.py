"""Each Auto Scaling instance reports the launch source it was launched from (extensions/instance_launch_source.py)."""

import pytest

from tests.emulator.tests.autoscaling_arrangements import IMAGE_A, describe_group, launch_template_group


@pytest.fixture
def autoscaling(aws):
    return aws.client("autoscaling")


def test_instances_keep_the_template_version_they_were_launched_from(autoscaling, ec2):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=1)
    ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion="1", LaunchTemplateData={"InstanceType": "t3.small"})
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", LaunchTemplate={"LaunchTemplateId": template_id, "Version": "2"})
    autoscaling.set_desired_capacity(AutoScalingGroupName="web", DesiredCapacity=2)
    versions = sorted(instance["LaunchTemplate"]["Version"] for instance in describe_group(autoscaling, "web")["Instances"])
    assert versions == ["1", "2"]


def test_an_instance_reports_the_explicit_version_behind_default(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=1, version="$Default")
    (instance,) = describe_group(autoscaling, "web")["Instances"]
    assert instance["LaunchTemplate"]["Version"] == "1"
