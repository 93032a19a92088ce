"""Request shapes asg_rollout sends that the emulator would accept anyway: botocore Stubber pins them."""

import boto3
import pytest
from botocore.stub import ANY, Stubber

from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.auto_rollback import AutoRollbackRefusedError
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.group_rollout import GroupRollout
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.launch_template_version import new_version_request
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.request import RolloutRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import RegionalApi
from tests.unit.module_params import module_params

OLD_IMAGE = "ami-0aaaaaaaaaaaaaaaa"
NEW_IMAGE = "ami-0bbbbbbbbbbbbbbbb"
TEMPLATE_ID = "lt-0123456789abcdef0"


class StubbedRegion:
    def __init__(self):
        session = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
        self.region = "us-east-1"
        self.autoscaling_client = session.client("autoscaling")
        self.ec2_client = session.client("ec2")
        self.autoscaling = RegionalApi(self.autoscaling_client, self.region)
        self.ec2 = RegionalApi(self.ec2_client, self.region)


@pytest.fixture
def region():
    return StubbedRegion()


@pytest.fixture
def stubs(region):
    with Stubber(region.ec2_client) as ec2_stub, Stubber(region.autoscaling_client) as autoscaling_stub:
        yield ec2_stub, autoscaling_stub
        ec2_stub.assert_no_pending_responses()
        autoscaling_stub.assert_no_pending_responses()


def request(**params):
    params.setdefault("groups", ["web"])
    params.setdefault("image_id", NEW_IMAGE)
    params.setdefault("region", "us-east-1")
    return RolloutRequest.from_params(module_params("asg_rollout", **params))


def template_group(version="$Latest", instance_version="3"):
    instances = [{"InstanceId": "i-0%016d" % n, "LifecycleState": "InService", "LaunchTemplate": {"LaunchTemplateId": TEMPLATE_ID, "Version": instance_version}}
                 for n in range(2)]
    return {"AutoScalingGroupName": "web", "LaunchTemplate": {"LaunchTemplateId": TEMPLATE_ID, "LaunchTemplateName": "web", "Version": version},
            "Instances": instances}


def version(number, image_id, default=False):
    return {"LaunchTemplateId": TEMPLATE_ID, "LaunchTemplateName": "web", "VersionNumber": number, "DefaultVersion": default,
            "LaunchTemplateData": {"ImageId": image_id, "InstanceType": "t3.micro"}}


def expect_versions(ec2_stub, wanted, versions=None):
    ec2_stub.add_response(
        "describe_launch_template_versions",
        {"LaunchTemplateVersions": versions or [version(3, OLD_IMAGE, default=True)]},
        {"LaunchTemplateId": TEMPLATE_ID, "Versions": wanted},
    )


def expect_no_active_refresh(autoscaling_stub):
    autoscaling_stub.add_response("describe_instance_refreshes", {"InstanceRefreshes": []}, {"AutoScalingGroupName": "web", "MaxRecords": 1})


def expect_new_version(ec2_stub, source="3", number=4):
    ec2_stub.add_response(
        "create_launch_template_version",
        {"LaunchTemplateVersion": dict(version(number, NEW_IMAGE), VersionDescription="x")},
        {
            "LaunchTemplateId": TEMPLATE_ID,
            "SourceVersion": source,
            "VersionDescription": "bakery.ami rollout of %s" % NEW_IMAGE,
            "LaunchTemplateData": {"ImageId": NEW_IMAGE},
            "ClientToken": ANY,
        },
    )


def expect_pin(autoscaling_stub, number):
    autoscaling_stub.add_response(
        "update_auto_scaling_group", {}, {"AutoScalingGroupName": "web", "LaunchTemplate": {"LaunchTemplateId": TEMPLATE_ID, "Version": number}}
    )


def expect_refresh(autoscaling_stub, preferences, desired_version="4"):
    autoscaling_stub.add_response(
        "start_instance_refresh", {"InstanceRefreshId": "refresh-1"},
        {
            "AutoScalingGroupName": "web",
            "Strategy": "Rolling",
            "DesiredConfiguration": {"LaunchTemplate": {"LaunchTemplateId": TEMPLATE_ID, "Version": desired_version}},
            "Preferences": preferences,
        },
    )


# ----- pinning -----


def test_a_group_on_latest_is_pinned_to_the_version_its_instances_run_before_the_new_version_exists(region, stubs):
    ec2_stub, autoscaling_stub = stubs
    expect_versions(ec2_stub, ["$Latest", "$Default"], [version(3, OLD_IMAGE, default=True)])
    expect_no_active_refresh(autoscaling_stub)
    expect_pin(autoscaling_stub, "3")
    expect_new_version(ec2_stub)
    expect_pin(autoscaling_stub, "4")
    rollout = GroupRollout(region, request())
    plan = rollout.plan(template_group("$Latest"))
    rollout.apply(plan)
    assert plan.after["launch_template"]["version"] == "4"


def test_the_pin_goes_to_the_version_the_instances_run_even_when_latest_has_moved_on(region, stubs):
    ec2_stub, autoscaling_stub = stubs
    expect_versions(ec2_stub, ["$Latest", "$Default"], [version(3, OLD_IMAGE, default=True), version(4, OLD_IMAGE)])
    expect_no_active_refresh(autoscaling_stub)
    expect_pin(autoscaling_stub, "3")
    expect_new_version(ec2_stub, source="4", number=5)
    expect_refresh(autoscaling_stub, {"SkipMatching": False, "AutoRollback": True}, desired_version="5")
    rollout = GroupRollout(region, request(instance_refresh={"enabled": True, "auto_rollback": True, "wait": False}))
    rollout.apply(rollout.plan(template_group("$Latest", instance_version="3")))


def test_keep_version_alias_leaves_a_latest_group_on_latest_and_refreshes_towards_it(region, stubs):
    ec2_stub, autoscaling_stub = stubs
    expect_versions(ec2_stub, ["$Latest", "$Default"])
    expect_no_active_refresh(autoscaling_stub)
    expect_new_version(ec2_stub)
    expect_refresh(autoscaling_stub, {"SkipMatching": False, "AutoRollback": False}, desired_version="$Latest")
    rollout = GroupRollout(region, request(keep_version_alias=True, instance_refresh={"enabled": True, "wait": False}))
    plan = rollout.plan(template_group("$Latest"))
    rollout.apply(plan)
    assert plan.after["launch_template"]["version"] == "$Latest"


def test_keep_version_alias_with_auto_rollback_is_refused_naming_the_rule(region, stubs):
    ec2_stub, autoscaling_stub = stubs
    expect_versions(ec2_stub, ["$Latest", "$Default"])
    rollout = GroupRollout(region, request(keep_version_alias=True, instance_refresh={"enabled": True, "auto_rollback": True}))
    with pytest.raises(AutoRollbackRefusedError) as refused:
        rollout.plan(template_group("$Latest"))
    assert "uses the launch template's $Latest or $Default version" in str(refused.value)


# ----- preferences -----


def test_refresh_carries_the_pinned_version_as_desired_configuration_and_the_preferences(region, stubs):
    ec2_stub, autoscaling_stub = stubs
    refresh = {"enabled": True, "min_healthy_percentage": 50, "max_healthy_percentage": 150, "instance_warmup": 60,
               "skip_matching": True, "checkpoint_percentages": [25, 100], "checkpoint_delay": 120, "auto_rollback": True, "wait": False,
               "bake_time": 300, "alarms": ["web-5xx"], "standby_instances": "ignore", "scale_in_protected_instances": "refresh"}
    expect_versions(ec2_stub, ["3", "$Latest", "$Default"])
    expect_no_active_refresh(autoscaling_stub)
    expect_new_version(ec2_stub)
    expect_refresh(autoscaling_stub, {
        "MinHealthyPercentage": 50, "MaxHealthyPercentage": 150, "InstanceWarmup": 60, "SkipMatching": True,
        "CheckpointPercentages": [25, 100], "CheckpointDelay": 120, "AutoRollback": True, "BakeTime": 300,
        "AlarmSpecification": {"Alarms": ["web-5xx"]}, "StandbyInstances": "Ignore", "ScaleInProtectedInstances": "Refresh",
    })
    rollout = GroupRollout(region, request(instance_refresh=refresh))
    record = rollout.apply(rollout.plan(template_group("3")))
    assert record["instance_refresh_id"] == "refresh-1" and record["started_by_this_run"]


def test_a_refresh_without_percentages_leaves_them_to_the_group(region, stubs):
    ec2_stub, autoscaling_stub = stubs
    expect_versions(ec2_stub, ["3", "$Latest", "$Default"])
    expect_no_active_refresh(autoscaling_stub)
    expect_new_version(ec2_stub)
    expect_refresh(autoscaling_stub, {"SkipMatching": False, "AutoRollback": False})
    rollout = GroupRollout(region, request(instance_refresh={"enabled": True, "wait": False}))
    rollout.apply(rollout.plan(template_group("3")))


def start_meets_a_refresh_in_progress(stubs, active):
    """A rollout whose StartInstanceRefresh answers InstanceRefreshInProgress (its first answer lost, or someone else's
    refresh) and then finds ``active`` in progress."""
    ec2_stub, autoscaling_stub = stubs
    expect_versions(ec2_stub, ["3", "$Latest", "$Default"])
    expect_no_active_refresh(autoscaling_stub)
    expect_new_version(ec2_stub)
    autoscaling_stub.add_client_error("start_instance_refresh", service_error_code="InstanceRefreshInProgress", http_status_code=400)
    autoscaling_stub.add_response("describe_instance_refreshes", {"InstanceRefreshes": [active]}, {"AutoScalingGroupName": "web", "MaxRecords": 1})


def test_a_lost_answer_to_start_instance_refresh_adopts_the_refresh_it_started(region, stubs):
    start_meets_a_refresh_in_progress(stubs, {
        "InstanceRefreshId": "refresh-1", "Status": "InProgress", "AutoScalingGroupName": "web",
        "Preferences": {"SkipMatching": False, "AutoRollback": True, "InstanceWarmup": 300},
        "DesiredConfiguration": {"LaunchTemplate": {"LaunchTemplateId": TEMPLATE_ID, "LaunchTemplateName": "web", "Version": "4"}},
    })
    rollout = GroupRollout(region, request(instance_refresh={"enabled": True, "auto_rollback": True, "wait": False}))
    record = rollout.apply(rollout.plan(template_group("3")))
    assert record["instance_refresh_id"] == "refresh-1"


def test_a_refresh_in_progress_that_another_request_started_is_not_adopted(region, stubs):
    start_meets_a_refresh_in_progress(stubs, {
        "InstanceRefreshId": "someone-else", "Status": "InProgress", "AutoScalingGroupName": "web", "Preferences": {"MinHealthyPercentage": 100},
    })
    rollout = GroupRollout(region, request(instance_refresh={"enabled": True, "wait": False}))
    plan = rollout.plan(template_group("3"))
    with pytest.raises(AwsCallError) as failed:
        rollout.apply(plan)
    assert failed.value.code == "InstanceRefreshInProgress"


def test_the_new_version_token_is_the_same_for_the_same_request_and_another_for_another_image():
    first = new_version_request(TEMPLATE_ID, 3, NEW_IMAGE, 3)["ClientToken"]
    assert first == new_version_request(TEMPLATE_ID, 3, NEW_IMAGE, 3)["ClientToken"]
    assert first != new_version_request(TEMPLATE_ID, 3, OLD_IMAGE, 3)["ClientToken"]
    assert first != new_version_request(TEMPLATE_ID, 3, NEW_IMAGE, 4)["ClientToken"]
    assert len(first) <= 64


# ----- launch configurations -----


class LaunchConfigurationRegion(StubbedRegion):
    configuration = {"LaunchConfigurationName": "web-lc", "ImageId": OLD_IMAGE, "InstanceType": "t3.micro"}

    def launch_configuration(self, name, refresh=False):
        return self.configuration

    def launch_configurations(self, refresh=False):
        return {"web-lc": self.configuration}


def test_launch_configuration_group_refresh_has_no_desired_configuration_nor_percentages():
    lc_region = LaunchConfigurationRegion()
    with Stubber(lc_region.autoscaling_client) as autoscaling_stub:
        expect_no_active_refresh(autoscaling_stub)
        autoscaling_stub.add_response(
            "create_launch_configuration", {},
            {"LaunchConfigurationName": "web-%s" % NEW_IMAGE, "ImageId": NEW_IMAGE, "InstanceType": "t3.micro"},
        )
        autoscaling_stub.add_response("update_auto_scaling_group", {}, {"AutoScalingGroupName": "web", "LaunchConfigurationName": "web-%s" % NEW_IMAGE})
        autoscaling_stub.add_response(
            "start_instance_refresh", {"InstanceRefreshId": "refresh-2"},
            {"AutoScalingGroupName": "web", "Strategy": "Rolling", "Preferences": {"SkipMatching": False, "AutoRollback": False}},
        )
        rollout = GroupRollout(lc_region, request(instance_refresh={"enabled": True, "wait": False}))
        rollout.apply(rollout.plan({"AutoScalingGroupName": "web", "LaunchConfigurationName": "web-lc"}))
        autoscaling_stub.assert_no_pending_responses()


def test_auto_rollback_for_a_launch_configuration_group_is_refused_before_any_call():
    lc_region = LaunchConfigurationRegion()
    with Stubber(lc_region.autoscaling_client):
        rollout = GroupRollout(lc_region, request(instance_refresh={"enabled": True, "auto_rollback": True}))
        with pytest.raises(AutoRollbackRefusedError) as refused:
            rollout.plan({"AutoScalingGroupName": "web", "LaunchConfigurationName": "web-lc"})
    assert "there is no desired configuration specified for the instance refresh" in str(refused.value)


def test_a_latest_group_whose_version_already_names_the_image_is_only_pinned(region, stubs):
    ec2_stub, autoscaling_stub = stubs
    expect_versions(ec2_stub, ["$Latest", "$Default"], [version(3, NEW_IMAGE, default=True)])
    expect_no_active_refresh(autoscaling_stub)
    expect_pin(autoscaling_stub, "3")
    rollout = GroupRollout(region, request(instance_refresh={"enabled": True, "auto_rollback": True}))
    plan = rollout.plan(template_group("$Latest", instance_version="3"))
    rollout.apply(plan)
    assert plan.descriptions() == ["pin group to launch template version"] and plan.after["launch_template"]["version"] == "3"
