"""playbooks/rollout.yml against the emulator: manifest input, canary first, variables checked up front."""

import json

import pytest

from tests.emulator.tests.autoscaling_arrangements import IMAGE_A, describe_group, instance_images, launch_template_group, own_image
from tests.integration.playbook_runner import REPO_ROOT, run_playbook

PLAYBOOK = REPO_ROOT / "playbooks" / "rollout.yml"
# The canary's pauses, shortened: the playbook's defaults watch for minutes.
QUICK_CANARY = {"rollout_canary_checkpoint_delay": 1, "rollout_canary_bake_time": 1}
CANARY_TASK = "Roll out to the canary group and wait for its instance refresh, checkpoints and alarms"


@pytest.fixture
def ec2(aws):
    return aws.client("ec2")


@pytest.fixture
def autoscaling(aws):
    return aws.client("autoscaling")


@pytest.fixture
def manifest(tmp_path, ec2):
    image_id = own_image(ec2, "web-server-003")
    path = tmp_path / "manifest.json"
    # The shape playbooks/bake.yml writes.
    path.write_text(json.dumps({"layers": {"web-server-003": {"us-east-1": image_id}}, "builds": [], "finished_at": "2026-11-26T00:00:00+00:00"}))
    return path, image_id


def test_canary_is_refreshed_first_then_the_rest_roll_out(aws, autoscaling, ec2, manifest):
    path, image_id = manifest
    for name in ("web-canary", "web-1"):
        launch_template_group(autoscaling, ec2, name, IMAGE_A, capacity=2)
    run = run_playbook(PLAYBOOK, aws.env, extra_vars=dict(QUICK_CANARY, **{
        "rollout_manifest": str(path), "rollout_layer": "web-server-003",
        "rollout_groups": ["web-canary", "web-1"], "rollout_canary_group": "web-canary",
        "rollout_instance_refresh": {"min_healthy_percentage": 50},
    }))
    assert run.succeeded, run.stdout[-3000:] + run.stderr[-2000:]
    canary = run.task(CANARY_TASK)["groups"][0]
    assert canary["refresh"]["status"] == "Successful"
    rest = {group["name"]: group["changed"] for group in run.task("Roll out to the groups")["groups"]}
    assert rest == {"web-canary": False, "web-1": True}
    assert instance_images(autoscaling, ec2, "web-canary") == [image_id] * 2
    assert instance_images(autoscaling, ec2, "web-1") == [image_id] * 2


def test_failed_canary_stops_the_rollout(aws, autoscaling, ec2, manifest):
    path, image_id = manifest
    for name in ("web-canary", "web-1"):
        launch_template_group(autoscaling, ec2, name, IMAGE_A, capacity=2)
    aws.control.configure(instance_refresh_failing_groups=["web-canary"])
    run = run_playbook(PLAYBOOK, aws.env, extra_vars=dict(QUICK_CANARY, **{
        "rollout_manifest": str(path), "rollout_layer": "web-server-003",
        "rollout_groups": ["web-canary", "web-1"], "rollout_canary_group": "web-canary",
        "rollout_instance_refresh": {"min_healthy_percentage": 50},
    }))
    assert not run.succeeded
    assert describe_group(autoscaling, "web-1")["LaunchTemplate"]["Version"] == "1"
    assert instance_images(autoscaling, ec2, "web-1") == [IMAGE_A] * 2


def test_variable_of_the_wrong_type_fails_before_any_aws_call(aws):
    aws.control.clear_calls()
    run = run_playbook(PLAYBOOK, aws.env, extra_vars={"rollout_groups": ["web"], "rollout_image_ids": "ami-0123456789abcdef0"})
    assert not run.succeeded
    assert run.task("Validate the rollout variables").failed
    assert aws.control.calls() == []


def test_groups_and_group_tags_together_fail_before_any_aws_call(aws):
    aws.control.clear_calls()
    run = run_playbook(PLAYBOOK, aws.env, extra_vars={
        "rollout_groups": ["web"], "rollout_group_tags": {"role": "web"}, "rollout_image_ids": {"us-east-1": "ami-0123456789abcdef0"},
    })
    assert not run.succeeded
    assert run.task("Check the rollout variables fit together").failed
    assert aws.control.calls() == []


def test_manifest_given_as_a_variable_rolls_its_layer_out(aws, autoscaling, ec2, manifest):
    """bake_manifest: the manifest as data, as an AWX workflow hands it over from the bake job (set_stats)."""
    path, image_id = manifest
    launch_template_group(autoscaling, ec2, "web-1", IMAGE_A, capacity=2)
    run = run_playbook(PLAYBOOK, aws.env, extra_vars={
        "bake_manifest": json.loads(path.read_text()), "rollout_layer": "web-server-003", "rollout_groups": ["web-1"],
    })
    assert run.succeeded, run.stdout[-3000:] + run.stderr[-2000:]
    assert instance_images(autoscaling, ec2, "web-1") == [image_id] * 2


def test_layer_missing_from_the_manifest_variable_fails_naming_it_before_any_aws_call(aws):
    aws.control.clear_calls()
    run = run_playbook(PLAYBOOK, aws.env, extra_vars={
        "bake_manifest": {"layers": {"web-server-000": {"us-east-1": "ami-0123456789abcdef0"}}},
        "rollout_layer": "web-server-003", "rollout_groups": ["web"],
    })
    assert not run.succeeded
    message = run.task("Check the manifest has the layer")["msg"]
    assert "rollout_layer 'web-server-003' is not in bake_manifest (its layers: web-server-000)" in message
    assert aws.control.calls() == []


def test_manifest_file_and_manifest_variable_together_fail_before_any_aws_call(aws, manifest):
    path, image_id = manifest
    aws.control.clear_calls()
    run = run_playbook(PLAYBOOK, aws.env, extra_vars={
        "rollout_manifest": str(path), "bake_manifest": json.loads(path.read_text()),
        "rollout_layer": "web-server-003", "rollout_groups": ["web"],
    })
    assert not run.succeeded
    assert "got rollout_manifest and bake_manifest" in run.task("Check the rollout variables fit together")["msg"]
    assert aws.control.calls() == []


def alarm(aws, name="web-5xx"):
    aws.client("cloudwatch").put_metric_alarm(
        AlarmName=name, MetricName="HTTPCode_Target_5XX_Count", Namespace="AWS/ApplicationELB", Statistic="Sum",
        Period=60, EvaluationPeriods=1, Threshold=10, ComparisonOperator="GreaterThanThreshold",
    )
    return name


def test_the_canary_pauses_at_its_checkpoints_and_watches_the_alarms(aws, autoscaling, ec2, manifest):
    path, image_id = manifest
    for name in ("web-canary", "web-1"):
        launch_template_group(autoscaling, ec2, name, IMAGE_A, capacity=2)
    name = alarm(aws)

    run = run_playbook(PLAYBOOK, aws.env, extra_vars=dict(QUICK_CANARY, **{
        "rollout_manifest": str(path), "rollout_layer": "web-server-003",
        "rollout_groups": ["web-canary", "web-1"], "rollout_canary_group": "web-canary", "rollout_alarms": [name],
    }))

    assert run.succeeded, run.stdout[-3000:] + run.stderr[-2000:]
    (canary,) = autoscaling.describe_instance_refreshes(AutoScalingGroupName="web-canary")["InstanceRefreshes"]
    assert canary["Status"] == "Successful"
    preferences = canary["Preferences"]
    assert (preferences["CheckpointPercentages"], preferences["CheckpointDelay"], preferences["BakeTime"]) == ([50, 100], 1, 1)
    assert preferences["AlarmSpecification"] == {"Alarms": [name]} and preferences["AutoRollback"] is True
    assert "MinHealthyPercentage" not in preferences
    (rest,) = autoscaling.describe_instance_refreshes(AutoScalingGroupName="web-1")["InstanceRefreshes"]
    assert rest["Preferences"]["AlarmSpecification"] == {"Alarms": [name]} and "CheckpointPercentages" not in rest["Preferences"]
    assert instance_images(autoscaling, ec2, "web-1") == [image_id] * 2


def test_an_alarm_going_off_rolls_the_canary_back_and_stops_the_rollout(aws, autoscaling, ec2, manifest):
    path, image_id = manifest
    for name in ("web-canary", "web-1"):
        launch_template_group(autoscaling, ec2, name, IMAGE_A, capacity=2)
    name = alarm(aws)
    aws.client("cloudwatch").set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="5xx")

    run = run_playbook(PLAYBOOK, aws.env, extra_vars=dict(QUICK_CANARY, **{
        "rollout_manifest": str(path), "rollout_layer": "web-server-003",
        "rollout_groups": ["web-canary", "web-1"], "rollout_canary_group": "web-canary", "rollout_alarms": [name],
    }))

    assert not run.succeeded
    assert run.task(CANARY_TASK)["groups"][0]["refresh"]["status"] == "RollbackSuccessful"
    assert instance_images(autoscaling, ec2, "web-canary") == [IMAGE_A] * 2
    assert describe_group(autoscaling, "web-1")["LaunchTemplate"]["Version"] == "1"
    assert autoscaling.describe_instance_refreshes(AutoScalingGroupName="web-1")["InstanceRefreshes"] == []


def test_an_image_parameter_is_published_and_its_groups_refreshed_without_a_new_template_version(aws, autoscaling, ec2, manifest):
    path, image_id = manifest
    ssm = aws.client("ssm")
    ssm.put_parameter(Name="/bakery/web/latest", Value=IMAGE_A, Type="String", DataType="aws:ec2:image")
    template_id = launch_template_group(autoscaling, ec2, "web-1", "resolve:ssm:/bakery/web/latest", capacity=2)

    run = run_playbook(PLAYBOOK, aws.env, extra_vars={
        "rollout_manifest": str(path), "rollout_layer": "web-server-003", "rollout_groups": ["web-1"],
        "rollout_image_parameter": "/bakery/web/latest", "rollout_instance_refresh": {"auto_rollback": False},
    })

    assert run.succeeded, run.stdout[-3000:] + run.stderr[-2000:]
    assert ssm.get_parameter(Name="/bakery/web/latest")["Parameter"]["Value"] == image_id
    versions = ec2.describe_launch_template_versions(LaunchTemplateId=template_id)["LaunchTemplateVersions"]
    assert [version["VersionNumber"] for version in versions] == [1]
    assert instance_images(autoscaling, ec2, "web-1") == [image_id] * 2
