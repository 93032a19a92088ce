"""Instance refresh in the emulator (extensions/instance_refresh.py): a refresh runs on a clock, which these tests
move with fast_forward() instead of sleeping; every batch takes BATCH seconds of it."""

import pytest
from botocore.exceptions import ClientError
from moto.autoscaling.models import autoscaling_backends

from tests.emulator.extensions.instance_refresh import fast_forward
from tests.emulator.tests.autoscaling_arrangements import (
    IMAGE_A,
    describe_group,
    instance_images,
    launch_configuration_group,
    launch_template_group,
    mixed_instances_group,
    own_image,
)
from tests.emulator.tests.conftest import ACCOUNT

BATCH = 60
ACTIVE = ("Pending", "InProgress", "Baking", "Cancelling", "RollbackInProgress")


@pytest.fixture(autouse=True)
def batch_time(aws):
    # Long enough that real time never moves a refresh during a test: only fast_forward() does.
    aws.control.configure(instance_refresh_batch_seconds=BATCH)


@pytest.fixture
def autoscaling(aws):
    return aws.client("autoscaling")


@pytest.fixture
def cloudwatch(aws):
    return aws.client("cloudwatch")


@pytest.fixture
def new_image(ec2):
    return own_image(ec2, "web-server-003")


def group_model(name):
    return autoscaling_backends[ACCOUNT]["us-east-1"].autoscaling_groups[name]


def latest(autoscaling, group):
    return autoscaling.describe_instance_refreshes(AutoScalingGroupName=group)["InstanceRefreshes"][0]


def after(autoscaling, group, seconds):
    fast_forward(group_model(group), seconds)
    return latest(autoscaling, group)


def run_to_end(autoscaling, group, step=BATCH, limit=200):
    for _ in range(limit):
        refresh = after(autoscaling, group, step)
        if refresh["Status"] not in ACTIVE:
            return refresh
    raise AssertionError("refresh did not end: %r" % refresh)


def new_version(ec2, template_id, image_id, source="1"):
    created = ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion=source, LaunchTemplateData={"ImageId": image_id})
    return str(created["LaunchTemplateVersion"]["VersionNumber"])


def desired(template_id, version):
    return {"LaunchTemplate": {"LaunchTemplateId": template_id, "Version": version}}


def refused(call, **request):
    with pytest.raises(ClientError) as raised:
        call(**request)
    return raised.value.response["Error"]


# ----- time -----


def test_describing_a_refresh_again_and_again_does_not_move_it(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)))

    seen = [latest(autoscaling, "web") for _ in range(5)]

    assert [(r["Status"], r["PercentageComplete"]) for r in seen] == [("InProgress", 0)] * 5
    assert instance_images(autoscaling, ec2, "web").count(new_image) == 1  # the first batch is being launched


def test_each_batch_takes_the_configured_time(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)), Preferences={"MinHealthyPercentage": 50}
    )

    assert after(autoscaling, "web", BATCH - 1)["PercentageComplete"] == 0
    assert after(autoscaling, "web", 1)["PercentageComplete"] == 50
    assert after(autoscaling, "web", BATCH)["Status"] == "Successful"


def test_describing_the_group_shows_the_instances_as_the_refresh_left_them_by_now(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=2)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)), Preferences={"MinHealthyPercentage": 0}
    )
    fast_forward(group_model("web"), 10 * BATCH)

    assert describe_group(autoscaling, "web")["LaunchTemplate"]["Version"] == "2"
    assert instance_images(autoscaling, ec2, "web") == [new_image, new_image]


# ----- what replaces and what is replaced -----


def test_refresh_replaces_every_instance_with_the_switched_launch_configuration(autoscaling, ec2, new_image):
    launch_configuration_group(autoscaling, ec2, "web", IMAGE_A, capacity=3)
    autoscaling.create_launch_configuration(LaunchConfigurationName="web-new", ImageId=new_image, InstanceType="t3.micro")
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", LaunchConfigurationName="web-new")
    autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    assert run_to_end(autoscaling, "web")["Status"] == "Successful"
    assert instance_images(autoscaling, ec2, "web") == [new_image] * 3
    assert {i["LaunchConfigurationName"] for i in describe_group(autoscaling, "web")["Instances"]} == {"web-new"}


def test_min_healthy_percentage_sets_how_many_instances_one_batch_replaces(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=10)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)), Preferences={"MinHealthyPercentage": 80}
    )
    first = after(autoscaling, "web", BATCH)
    assert (first["Status"], first["PercentageComplete"]) == ("InProgress", 20)
    assert instance_images(autoscaling, ec2, "web").count(new_image) == 4  # two done, two more launching


def test_desired_configuration_becomes_the_group_launch_template_on_success(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    version = new_version(ec2, template_id, new_image)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, version))
    assert describe_group(autoscaling, "web")["LaunchTemplate"]["Version"] == "1"
    run_to_end(autoscaling, "web")
    assert describe_group(autoscaling, "web")["LaunchTemplate"]["Version"] == version
    assert instance_images(autoscaling, ec2, "web") == [new_image, new_image]


def test_a_desired_mixed_instances_policy_becomes_the_group_policy_on_success(autoscaling, ec2, new_image):
    template_id = mixed_instances_group(autoscaling, ec2, "spot", IMAGE_A)
    version = new_version(ec2, template_id, new_image)
    policy = describe_group(autoscaling, "spot")["MixedInstancesPolicy"]
    policy["LaunchTemplate"]["LaunchTemplateSpecification"] = {"LaunchTemplateId": template_id, "Version": version}

    autoscaling.start_instance_refresh(AutoScalingGroupName="spot", DesiredConfiguration={"MixedInstancesPolicy": policy}, Preferences={"AutoRollback": True})

    assert describe_group(autoscaling, "spot")["MixedInstancesPolicy"]["LaunchTemplate"]["LaunchTemplateSpecification"]["Version"] == "1"
    assert run_to_end(autoscaling, "spot")["Status"] == "Successful"
    after_refresh = describe_group(autoscaling, "spot")["MixedInstancesPolicy"]
    assert after_refresh["LaunchTemplate"]["LaunchTemplateSpecification"]["Version"] == version
    assert after_refresh["LaunchTemplate"]["Overrides"] == policy["LaunchTemplate"]["Overrides"]
    assert after_refresh["InstancesDistribution"]["OnDemandBaseCapacity"] == 1
    assert instance_images(autoscaling, ec2, "spot") == [new_image, new_image]


def test_skip_matching_leaves_instances_already_on_the_desired_version(autoscaling, ec2):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, "1"), Preferences={"SkipMatching": True})
    before = {i["InstanceId"] for i in describe_group(autoscaling, "web")["Instances"]}
    refresh = run_to_end(autoscaling, "web")
    assert (refresh["Status"], refresh["InstancesToUpdate"]) == ("Successful", 0)
    assert {i["InstanceId"] for i in describe_group(autoscaling, "web")["Instances"]} == before


def test_second_refresh_while_one_is_active_is_refused(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    assert refused(autoscaling.start_instance_refresh, AutoScalingGroupName="web")["Code"] == "InstanceRefreshInProgress"


def test_a_refresh_that_ended_by_now_does_not_block_the_next(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", Preferences={"MinHealthyPercentage": 0})
    fast_forward(group_model("web"), 10 * BATCH)
    assert autoscaling.start_instance_refresh(AutoScalingGroupName="web")["InstanceRefreshId"]


# ----- healthy percentages and the instance maintenance policy -----


def test_the_group_maintenance_policy_sets_the_batch_when_no_percentages_are_given(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", InstanceMaintenancePolicy={"MinHealthyPercentage": 50, "MaxHealthyPercentage": 100})
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)))

    assert after(autoscaling, "web", BATCH)["PercentageComplete"] == 50  # 90 % would replace one at a time: 25


def test_given_percentages_override_the_maintenance_policy(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", InstanceMaintenancePolicy={"MinHealthyPercentage": 50, "MaxHealthyPercentage": 100})
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)),
        Preferences={"MinHealthyPercentage": 75, "MaxHealthyPercentage": 100},
    )

    assert after(autoscaling, "web", BATCH)["PercentageComplete"] == 25


def test_without_a_policy_or_percentages_ninety_percent_stays_in_service(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)))

    assert after(autoscaling, "web", BATCH)["PercentageComplete"] == 25


def test_max_healthy_percentage_without_min_is_refused(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    error = refused(autoscaling.start_instance_refresh, AutoScalingGroupName="web", Preferences={"MaxHealthyPercentage": 110})
    assert error["Code"] == "ValidationError"


# ----- checkpoints and bake time -----


def test_checkpoint_delay_defaults_to_an_hour_when_checkpoints_are_given(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=2)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)),
        Preferences={"MinHealthyPercentage": 50, "CheckpointPercentages": [50, 100]},
    )

    at_checkpoint = after(autoscaling, "web", BATCH)
    assert (at_checkpoint["Status"], at_checkpoint["PercentageComplete"]) == ("InProgress", 50)
    assert "checkpoint" in at_checkpoint["StatusReason"]
    assert after(autoscaling, "web", 3599)["PercentageComplete"] == 50
    assert after(autoscaling, "web", 1 + BATCH)["Status"] == "Successful"


def test_a_given_checkpoint_delay_is_waited_at_each_checkpoint(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)),
        Preferences={"MinHealthyPercentage": 0, "CheckpointPercentages": [25, 100], "CheckpointDelay": 300},
    )

    assert after(autoscaling, "web", BATCH)["PercentageComplete"] == 25  # the batch stops at the checkpoint
    assert after(autoscaling, "web", 299)["PercentageComplete"] == 25
    assert after(autoscaling, "web", 1 + BATCH)["Status"] == "Successful"


def test_checkpoint_delay_without_checkpoints_is_refused(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    assert refused(autoscaling.start_instance_refresh, AutoScalingGroupName="web", Preferences={"CheckpointDelay": 60})["Code"] == "ValidationError"


def test_checkpoints_out_of_order_are_refused(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    error = refused(autoscaling.start_instance_refresh, AutoScalingGroupName="web", Preferences={"CheckpointPercentages": [50, 20, 100]})
    assert error["Code"] == "ValidationError"


def test_bake_time_keeps_the_refresh_baking_before_it_succeeds(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=2)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)),
        Preferences={"MinHealthyPercentage": 0, "BakeTime": 600},
    )

    assert after(autoscaling, "web", BATCH)["Status"] == "Baking"
    assert describe_group(autoscaling, "web")["LaunchTemplate"]["Version"] == "1"
    assert after(autoscaling, "web", 599)["Status"] == "Baking"
    assert after(autoscaling, "web", 1)["Status"] == "Successful"


# ----- alarms -----


def alarm(cloudwatch, name="web-5xx"):
    cloudwatch.put_metric_alarm(
        AlarmName=name, MetricName="HTTPCode_Target_5XX_Count", Namespace="AWS/ApplicationELB", Statistic="Sum",
        Period=60, EvaluationPeriods=1, Threshold=10, ComparisonOperator="GreaterThanThreshold",
    )
    return name


def test_an_alarm_going_off_rolls_the_refresh_back(autoscaling, ec2, cloudwatch, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    name = alarm(cloudwatch)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)),
        Preferences={"MinHealthyPercentage": 50, "AutoRollback": True, "AlarmSpecification": {"Alarms": [name]}},
    )
    assert after(autoscaling, "web", BATCH)["PercentageComplete"] == 50

    cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="5xx")

    assert latest(autoscaling, "web")["Status"] == "RollbackInProgress"
    refresh = run_to_end(autoscaling, "web")
    assert refresh["Status"] == "RollbackSuccessful" and name in refresh["RollbackDetails"]["RollbackReason"]
    assert instance_images(autoscaling, ec2, "web") == [IMAGE_A] * 4
    assert describe_group(autoscaling, "web")["LaunchTemplate"]["Version"] == "1"


def test_an_alarm_going_off_without_auto_rollback_fails_the_refresh(autoscaling, ec2, cloudwatch):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    name = alarm(cloudwatch)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", Preferences={"AlarmSpecification": {"Alarms": [name]}})

    cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="5xx")

    assert latest(autoscaling, "web")["Status"] == "Failed"


def test_an_alarm_that_does_not_exist_is_refused(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    error = refused(autoscaling.start_instance_refresh, AutoScalingGroupName="web", Preferences={"AlarmSpecification": {"Alarms": ["no-such-alarm"]}})
    assert error["Code"] == "ValidationError"


# ----- standby and scale-in protected instances -----


def test_a_standby_instance_makes_the_refresh_wait_an_hour_and_fail_by_default(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=2)
    standby = describe_group(autoscaling, "web")["Instances"][0]["InstanceId"]
    autoscaling.enter_standby(AutoScalingGroupName="web", InstanceIds=[standby], ShouldDecrementDesiredCapacity=True)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", Preferences={"MinHealthyPercentage": 50})

    waiting = after(autoscaling, "web", BATCH)
    assert (waiting["Status"], waiting["PercentageComplete"]) == ("InProgress", 50) and "Standby" in waiting["StatusReason"]
    assert after(autoscaling, "web", 3599)["Status"] == "InProgress"
    assert after(autoscaling, "web", 1)["Status"] == "Failed"


def test_a_standby_instance_returned_to_service_within_the_hour_is_replaced(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=2)
    standby = describe_group(autoscaling, "web")["Instances"][0]["InstanceId"]
    autoscaling.enter_standby(AutoScalingGroupName="web", InstanceIds=[standby], ShouldDecrementDesiredCapacity=True)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", Preferences={"MinHealthyPercentage": 50})
    after(autoscaling, "web", BATCH)

    autoscaling.exit_standby(AutoScalingGroupName="web", InstanceIds=[standby])

    assert run_to_end(autoscaling, "web")["Status"] == "Successful"
    assert standby not in [i["InstanceId"] for i in describe_group(autoscaling, "web")["Instances"]]


def test_standby_instances_ignore_leaves_them_and_completes(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=2)
    standby = describe_group(autoscaling, "web")["Instances"][0]["InstanceId"]
    autoscaling.enter_standby(AutoScalingGroupName="web", InstanceIds=[standby], ShouldDecrementDesiredCapacity=True)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", Preferences={"MinHealthyPercentage": 50, "StandbyInstances": "Ignore"})

    assert run_to_end(autoscaling, "web")["Status"] == "Successful"
    assert standby in [i["InstanceId"] for i in describe_group(autoscaling, "web")["Instances"]]


def test_standby_instances_terminate_terminates_them(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=2)
    standby = describe_group(autoscaling, "web")["Instances"][0]["InstanceId"]
    autoscaling.enter_standby(AutoScalingGroupName="web", InstanceIds=[standby], ShouldDecrementDesiredCapacity=True)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", Preferences={"MinHealthyPercentage": 50, "StandbyInstances": "Terminate"})

    assert run_to_end(autoscaling, "web")["Status"] == "Successful"
    state = ec2.describe_instances(InstanceIds=[standby])["Reservations"][0]["Instances"][0]["State"]["Name"]
    assert state in ("shutting-down", "terminated")


def test_a_scale_in_protected_instance_waits_by_default_and_is_replaced_with_refresh(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=2)
    protected = describe_group(autoscaling, "web")["Instances"][0]["InstanceId"]
    autoscaling.set_instance_protection(AutoScalingGroupName="web", InstanceIds=[protected], ProtectedFromScaleIn=True)

    autoscaling.start_instance_refresh(AutoScalingGroupName="web", Preferences={"MinHealthyPercentage": 50})
    assert "protected from scale in" in after(autoscaling, "web", BATCH)["StatusReason"]
    assert after(autoscaling, "web", 3600)["Status"] == "Failed"

    autoscaling.start_instance_refresh(AutoScalingGroupName="web", Preferences={"MinHealthyPercentage": 50, "ScaleInProtectedInstances": "Refresh"})
    assert run_to_end(autoscaling, "web")["Status"] == "Successful"
    assert protected not in [i["InstanceId"] for i in describe_group(autoscaling, "web")["Instances"]]


def test_an_unknown_standby_behaviour_is_refused(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    error = refused(autoscaling.start_instance_refresh, AutoScalingGroupName="web", Preferences={"StandbyInstances": "Keep"})
    assert error["Code"] == "ValidationError"


# ----- failing and rolling back -----


def test_failing_group_refresh_ends_failed_with_the_group_unchanged(aws, autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    aws.control.configure(instance_refresh_failing_groups=["web"])
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)), Preferences={"MinHealthyPercentage": 50}
    )
    refresh = run_to_end(autoscaling, "web")
    assert refresh["Status"] == "Failed"
    assert describe_group(autoscaling, "web")["LaunchTemplate"]["Version"] == "1"
    assert instance_images(autoscaling, ec2, "web").count(new_image) == 2


def test_auto_rollback_puts_the_previous_image_back(aws, autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    aws.control.configure(instance_refresh_failing_groups=["web"])
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web",
        DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)),
        Preferences={"MinHealthyPercentage": 50, "AutoRollback": True},
    )
    refresh = run_to_end(autoscaling, "web")
    assert refresh["Status"] == "RollbackSuccessful"
    assert refresh["RollbackDetails"]["InstancesToUpdateOnRollback"] == 2
    assert instance_images(autoscaling, ec2, "web") == [IMAGE_A] * 4


def test_auto_rollback_without_a_desired_configuration_is_refused(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    error = refused(autoscaling.start_instance_refresh, AutoScalingGroupName="web", Preferences={"AutoRollback": True})
    assert error["Code"] == "ValidationError" and "DesiredConfiguration parameter is empty" in error["Message"]


@pytest.mark.parametrize("alias", ["$Latest", "$Default"])
def test_auto_rollback_of_a_group_on_a_version_alias_is_refused_even_towards_a_numbered_version(autoscaling, ec2, new_image, alias):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, version=alias)
    version = new_version(ec2, template_id, new_image)
    error = refused(autoscaling.start_instance_refresh, AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, version), Preferences={"AutoRollback": True})
    assert error["Code"] == "ValidationError" and alias in error["Message"]


def test_auto_rollback_towards_a_version_alias_is_refused(autoscaling, ec2):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    error = refused(autoscaling.start_instance_refresh, AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, "$Latest"), Preferences={"AutoRollback": True})
    assert error["Code"] == "ValidationError"


def test_auto_rollback_of_a_group_whose_template_names_its_image_through_ssm_is_refused(aws, autoscaling, ec2, new_image):
    aws.client("ssm").put_parameter(Name="/bakery/web/latest", Value=IMAGE_A, Type="String", DataType="aws:ec2:image")
    template_id = launch_template_group(autoscaling, ec2, "web", "resolve:ssm:/bakery/web/latest")
    version = new_version(ec2, template_id, new_image)
    error = refused(autoscaling.start_instance_refresh, AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, version), Preferences={"AutoRollback": True})
    assert error["Code"] == "ValidationError" and "Systems Manager parameter" in error["Message"]


def test_a_refresh_without_a_desired_configuration_cannot_be_rolled_back(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", Preferences={"MinHealthyPercentage": 50})
    assert refused(autoscaling.rollback_instance_refresh, AutoScalingGroupName="web")["Code"] == "IrreversibleInstanceRefresh"


def test_manual_rollback_of_an_active_refresh(autoscaling, ec2, new_image):
    template_id = launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    autoscaling.start_instance_refresh(
        AutoScalingGroupName="web", DesiredConfiguration=desired(template_id, new_version(ec2, template_id, new_image)), Preferences={"MinHealthyPercentage": 50}
    )
    after(autoscaling, "web", BATCH)
    autoscaling.rollback_instance_refresh(AutoScalingGroupName="web")
    assert run_to_end(autoscaling, "web")["Status"] == "RollbackSuccessful"
    assert instance_images(autoscaling, ec2, "web") == [IMAGE_A] * 4


def test_cancelled_refresh_ends_cancelled_once_its_batch_is_done(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A, capacity=4)
    autoscaling.start_instance_refresh(AutoScalingGroupName="web", Preferences={"MinHealthyPercentage": 50})
    autoscaling.cancel_instance_refresh(AutoScalingGroupName="web")
    assert latest(autoscaling, "web")["Status"] == "Cancelling"
    assert after(autoscaling, "web", BATCH)["Status"] == "Cancelled"


def test_cancel_without_an_active_refresh_is_refused(autoscaling, ec2):
    launch_template_group(autoscaling, ec2, "web", IMAGE_A)
    assert refused(autoscaling.cancel_instance_refresh, AutoScalingGroupName="web")["Code"] == "ActiveInstanceRefreshNotFound"


# ----- launch sources -----


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
