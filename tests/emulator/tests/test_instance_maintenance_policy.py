"""An Auto Scaling group's instance maintenance policy (extensions/instance_maintenance_policy.py); its effect on
instance refreshes is tested in test_instance_refresh.py."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.autoscaling_arrangements import IMAGE_A, describe_group, launch_template_group

LAUNCH_BEFORE_TERMINATE = {"MinHealthyPercentage": 100, "MaxHealthyPercentage": 110}


@pytest.fixture
def autoscaling(aws):
    return aws.client("autoscaling")


def test_a_group_created_with_a_policy_reports_it(autoscaling, ec2):
    template_id = ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"ImageId": IMAGE_A, "InstanceType": "t3.micro"})["LaunchTemplate"]["LaunchTemplateId"]
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web", LaunchTemplate={"LaunchTemplateId": template_id, "Version": "1"}, MinSize=0, MaxSize=2,
        AvailabilityZones=["us-east-1a"], InstanceMaintenancePolicy=LAUNCH_BEFORE_TERMINATE,
    )
    assert describe_group(autoscaling, "web")["InstanceMaintenancePolicy"] == LAUNCH_BEFORE_TERMINATE


def test_an_update_sets_the_policy_and_minus_one_clears_it(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", InstanceMaintenancePolicy=LAUNCH_BEFORE_TERMINATE)
    assert describe_group(autoscaling, "web")["InstanceMaintenancePolicy"] == LAUNCH_BEFORE_TERMINATE

    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", InstanceMaintenancePolicy={"MinHealthyPercentage": -1, "MaxHealthyPercentage": -1})

    assert "InstanceMaintenancePolicy" not in describe_group(autoscaling, "web")


def test_an_update_without_a_policy_keeps_the_one_set(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", InstanceMaintenancePolicy=LAUNCH_BEFORE_TERMINATE)
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", MaxSize=4)
    assert describe_group(autoscaling, "web")["InstanceMaintenancePolicy"] == LAUNCH_BEFORE_TERMINATE


@pytest.mark.parametrize(
    "policy",
    [{"MinHealthyPercentage": 90}, {"MinHealthyPercentage": 50, "MaxHealthyPercentage": 160}, {"MinHealthyPercentage": 90, "MaxHealthyPercentage": 90}],
    ids=["one-bound-only", "more-than-100-apart", "max-below-100"],
)
def test_a_policy_that_breaks_the_rules_is_refused_and_the_group_keeps_none(autoscaling, ec2, policy):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    with pytest.raises(ClientError) as raised:
        autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", InstanceMaintenancePolicy=policy)
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert "InstanceMaintenancePolicy" not in describe_group(autoscaling, "web")
