"""Instance refresh in the emulator: one step per DescribeInstanceRefreshes call (see the extension)."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.autoscaling_arrangements import (
    IMAGE_A,
    describe_group,
    instance_images,
    launch_configuration_group,
    launch_template_group,
    mixed_instances_group,
    own_image,
)


@pytest.fixture
def autoscaling(aws):
    return aws.client("autoscaling")


@pytest.fixture
def new_image(ec2):
    return own_image(ec2, "web-server-003")


def poll_until_done(autoscaling, group, limit=30):
    for _ in range(limit):
        refresh = autoscaling.describe_instance_refreshes(AutoScalingGroupName=group)["InstanceRefreshes"][0]
        if refresh["Status"] not in ("Pending", "InProgress", "Cancelling", "RollbackInProgress"):
            return refresh
    raise AssertionError("refresh did not end: %r" % refresh)


def new_version(ec2, template_id, image_id):
    return str(ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion="1", LaunchTemplateData={"ImageId": image_id})["LaunchTemplateVersion"]["VersionNumber"])


def test_refresh_replaces_every_instance_with_the_switched_launch_configuration(autoscaling, ec2, new_image):
    launch_configuration_group(autoscaling, ec2, "web", IMAGE_A, capacity=3)
    autoscaling.create_launch_configuration(LaunchConfigurationName="web-new", ImageId=new_image, InstanceType="t3.micro")
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", LaunchConfigurationName="web-new")
    autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    assert poll_until_done(autoscaling, "web")["Status"] == "Successful"
    assert instance_images(autoscaling, ec2, "web") == [new_image] * 3
    assert {i["LaunchConfigurationName"] for i in describe_group(autoscaling, "web")["Instances"]} == {"web-new"}


def test_min_healthy_percentage_sets_how_many_instances_one_step_replaces(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=10)
    version = new_version(ec2, template_id, new_image)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateId": template_id, "Version": version}},
        Preferences={"MinHealthyPercentage": 80},
    )
    first = autoscaling.describe_instance_refreshes(AutoScalingGroupName="web")["InstanceRefreshes"][0]
    assert (first["Status"], first["PercentageComplete"]) == ("InProgress", 20)
    assert instance_images(autoscaling, ec2, "web").count(new_image) == 2


def test_desired_configuration_becomes_the_group_launch_template_on_success(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    version = new_version(ec2, template_id, new_image)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web", DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateId": template_id, "Version": version}}
    )
    assert describe_group(autoscaling, "web")["LaunchTemplate"]["Version"] == "1"
    poll_until_done(autoscaling, "web")
    assert describe_group(autoscaling, "web")["LaunchTemplate"]["Version"] == version
    assert instance_images(autoscaling, ec2, "web") == [new_image, new_image]


def test_a_desired_mixed_instances_policy_becomes_the_group_policy_on_success(autoscaling, ec2, new_image):
    template_id = mixed_instances_group(autoscaling, ec2, "spot", IMAGE_A)
    version = new_version(ec2, template_id, new_image)
    policy = describe_group(autoscaling, "spot")["MixedInstancesPolicy"]
    policy["LaunchTemplate"]["LaunchTemplateSpecification"] = {"LaunchTemplateId": template_id, "Version": version}

    autoscaling.start_instance_refresh(AutoScalingGroupName="spot", DesiredConfiguration={"MixedInstancesPolicy": policy}, Preferences={"AutoRollback": True})

    assert describe_group(autoscaling, "spot")["MixedInstancesPolicy"]["LaunchTemplate"]["LaunchTemplateSpecification"]["Version"] == "1"
    assert poll_until_done(autoscaling, "spot")["Status"] == "Successful"
    after = describe_group(autoscaling, "spot")["MixedInstancesPolicy"]
    assert after["LaunchTemplate"]["LaunchTemplateSpecification"]["Version"] == version
    assert after["LaunchTemplate"]["Overrides"] == policy["LaunchTemplate"]["Overrides"]
    assert after["InstancesDistribution"]["OnDemandBaseCapacity"] == 1
    assert instance_images(autoscaling, ec2, "spot") == [new_image, new_image]


def test_skip_matching_leaves_instances_already_on_the_desired_version(autoscaling, ec2):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateId": template_id, "Version": "1"}},
        Preferences={"SkipMatching": True},
    )
    before = {i["InstanceId"] for i in describe_group(autoscaling, "web")["Instances"]}
    refresh = poll_until_done(autoscaling, "web")
    assert (refresh["Status"], refresh["InstancesToUpdate"]) == ("Successful", 0)
    assert {i["InstanceId"] for i in describe_group(autoscaling, "web")["Instances"]} == before


def test_second_refresh_while_one_is_active_is_refused(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    with pytest.raises(ClientError) as raised:
        autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    assert raised.value.response["Error"]["Code"] == "InstanceRefreshInProgress"


def test_failing_group_refresh_ends_failed_with_the_group_unchanged(aws, autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    version = new_version(ec2, template_id, new_image)
    aws.control.configure(instance_refresh_failing_groups=["web"])
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateId": template_id, "Version": version}},
        Preferences={"MinHealthyPercentage": 50},
    )
    refresh = poll_until_done(autoscaling, "web")
    assert refresh["Status"] == "Failed"
    assert describe_group(autoscaling, "web")["LaunchTemplate"]["Version"] == "1"
    assert instance_images(autoscaling, ec2, "web").count(new_image) == 2


def test_auto_rollback_puts_the_previous_image_back(aws, autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    version = new_version(ec2, template_id, new_image)
    aws.control.configure(instance_refresh_failing_groups=["web"])
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateId": template_id, "Version": version}},
        Preferences={"MinHealthyPercentage": 50, "AutoRollback": True},
    )
    refresh = poll_until_done(autoscaling, "web")
    assert refresh["Status"] == "RollbackSuccessful"
    assert refresh["RollbackDetails"]["InstancesToUpdateOnRollback"] == 2
    assert instance_images(autoscaling, ec2, "web") == [IMAGE_A] * 4


def test_auto_rollback_needs_a_pinned_desired_version(autoscaling, ec2):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    with pytest.raises(ClientError) as raised:
        autoscaling.start_instance_refresh(
            AutoScalingGroupName="web",
            DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateId": template_id, "Version": "$Latest"}},
            Preferences={"AutoRollback": True},
        )
    assert raised.value.response["Error"]["Code"] == "IrreversibleInstanceRefresh"


def test_manual_rollback_of_an_active_refresh(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    version = new_version(ec2, template_id, new_image)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration={"LaunchTemplate": {"LaunchTemplateId": template_id, "Version": version}},
        Preferences={"MinHealthyPercentage": 50},
    )
    autoscaling.describe_instance_refreshes(AutoScalingGroupName="web")
    autoscaling.rollback_instance_refresh(AutoScalingGroupName="web")
    assert poll_until_done(autoscaling, "web")["Status"] == "RollbackSuccessful"
    assert instance_images(autoscaling, ec2, "web") == [IMAGE_A] * 4


def test_cancelled_refresh_ends_cancelled(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", Preferences={"MinHealthyPercentage": 50})
    autoscaling.cancel_instance_refresh(AutoScalingGroupName="web")
    assert poll_until_done(autoscaling, "web")["Status"] == "Cancelled"


def test_cancel_without_an_active_refresh_is_refused(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    with pytest.raises(ClientError) as raised:
        autoscaling.cancel_instance_refresh(AutoScalingGroupName="web")
    assert raised.value.response["Error"]["Code"] == "ActiveInstanceRefreshNotFound"


def test_checkpoint_pauses_the_refresh_for_one_step(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=2)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web", Preferences={"MinHealthyPercentage": 50, "CheckpointPercentages": [50, 100]}
    )
    statuses = [autoscaling.describe_instance_refreshes(AutoScalingGroupName="web")["InstanceRefreshes"][0] for _ in range(3)]
    assert [(s["Status"], s["PercentageComplete"]) for s in statuses] == [("InProgress", 50), ("InProgress", 50), ("Successful", 100)]
    assert "checkpoint" in statuses[1]["StatusReason"]


def test_switching_a_group_to_a_launch_template_drops_its_launch_configuration(autoscaling, ec2):
    launch_configuration_group(autoscaling, ec2, "web", IMAGE_A)
    template_id = ec2.create_launch_template(LaunchTemplateName="web-lt", LaunchTemplateData={"ImageId": IMAGE_A, "InstanceType": "t3.micro"})["LaunchTemplate"]["LaunchTemplateId"]
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", LaunchTemplate={"LaunchTemplateId": template_id, "Version": "1"})
    group = describe_group(autoscaling, "web")
    assert "LaunchConfigurationName" not in group
    assert group["LaunchTemplate"]["LaunchTemplateId"] == template_id


def test_instances_report_the_launch_configuration_they_were_launched_from(autoscaling, ec2):
    launch_configuration_group(autoscaling, ec2, "web", IMAGE_A)
    autoscaling.create_launch_configuration(LaunchConfigurationName="web-new", ImageId=IMAGE_A, InstanceType="t3.micro")
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", LaunchConfigurationName="web-new")
    assert {i["LaunchConfigurationName"] for i in describe_group(autoscaling, "web")["Instances"]} == {"web-lc"}
