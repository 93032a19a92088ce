"""Request shapes asg_rollout sends that the emulator would accept anyway: botocore Stubber pins them."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.group_rollout import GroupRollout
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.launch_template_version import client_token, new_version_request
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.instance_refresh import start_refresh
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.request import RolloutRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError
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


def request(**params):
    params.setdefault("groups", ["web"])
    params.setdefault("image_id", NEW_IMAGE)
    params.setdefault("region", "us-east-1")
    return RolloutRequest.from_params(module_params("asg_rollout", **params))


def template_group(version="$Latest"):
    return {"AutoScalingGroupName": "web", "LaunchTemplate": {"LaunchTemplateId": TEMPLATE_ID, "LaunchTemplateName": "web", "Version": version}}


def version(number, image_id, default=False):
    return {"LaunchTemplateId": TEMPLATE_ID, "LaunchTemplateName": "web", "VersionNumber": number, "DefaultVersion": default,
            "LaunchTemplateData": {"ImageId": image_id, "InstanceType": "t3.micro"}}


def expect_versions(ec2_stub, wanted):
    ec2_stub.add_response(
        "describe_launch_template_versions",
        {"LaunchTemplateVersions": [version(3, OLD_IMAGE, default=True)]},
        {"LaunchTemplateId": TEMPLATE_ID, "Versions": wanted},
    )


def expect_no_active_refresh(autoscaling_stub):
    autoscaling_stub.add_response("describe_instance_refreshes", {"InstanceRefreshes": []}, {"AutoScalingGroupName": "web", "MaxRecords": 1})


def expect_new_version(ec2_stub):
    ec2_stub.add_response(
        "create_launch_template_version",
        {"LaunchTemplateVersion": dict(version(4, NEW_IMAGE), VersionDescription="x")},
        {
            "LaunchTemplateId": TEMPLATE_ID,
            "SourceVersion": "3",
            "VersionDescription": "bakery.ami rollout of %s" % NEW_IMAGE,
            "LaunchTemplateData": {"ImageId": NEW_IMAGE},
            # The same request on every run (a re-run after a lost answer gets the version the first one made).
            "ClientToken": client_token("launch-template-version", TEMPLATE_ID, 3, NEW_IMAGE, 3),
        },
    )


def test_the_version_token_is_the_same_for_the_same_request_and_new_once_a_later_version_exists():
    first = new_version_request(TEMPLATE_ID, 3, NEW_IMAGE, 3)["ClientToken"]
    assert new_version_request(TEMPLATE_ID, 3, NEW_IMAGE, 3)["ClientToken"] == first
    assert new_version_request(TEMPLATE_ID, 3, NEW_IMAGE, 4)["ClientToken"] != first
    assert new_version_request(TEMPLATE_ID, 3, OLD_IMAGE, 3)["ClientToken"] != first
    assert len(first) <= 64


def test_new_version_is_based_on_the_group_version_and_the_group_pinned_to_its_number(region):
    with Stubber(region.ec2_client) as ec2_stub, Stubber(region.autoscaling_client) as autoscaling_stub:
        expect_versions(ec2_stub, ["$Latest", "$Default"])
        expect_no_active_refresh(autoscaling_stub)
        expect_new_version(ec2_stub)
        autoscaling_stub.add_response(
            "update_auto_scaling_group", {},
            {"AutoScalingGroupName": "web", "LaunchTemplate": {"LaunchTemplateId": TEMPLATE_ID, "Version": "4"}},
        )
        rollout = GroupRollout(region, request())
        plan = rollout.plan(template_group("$Latest"))
        rollout.apply(plan)
        ec2_stub.assert_no_pending_responses()
        autoscaling_stub.assert_no_pending_responses()
    assert plan.after["launch_template"]["version"] == "4"


def test_refresh_carries_the_pinned_version_as_desired_configuration_and_the_preferences(region):
    refresh = {"enabled": True, "min_healthy_percentage": 50, "max_healthy_percentage": 150, "instance_warmup": 60,
               "skip_matching": True, "checkpoint_percentages": [25, 100], "checkpoint_delay": 120, "auto_rollback": True, "wait": False}
    with Stubber(region.ec2_client) as ec2_stub, Stubber(region.autoscaling_client) as autoscaling_stub:
        expect_versions(ec2_stub, ["3", "$Latest", "$Default"])
        expect_no_active_refresh(autoscaling_stub)
        expect_new_version(ec2_stub)
        autoscaling_stub.add_response(
            "start_instance_refresh", {"InstanceRefreshId": "refresh-1"},
            {
                "AutoScalingGroupName": "web",
                "Strategy": "Rolling",
                "DesiredConfiguration": {"LaunchTemplate": {"LaunchTemplateId": TEMPLATE_ID, "Version": "4"}},
                "Preferences": {
                    "MinHealthyPercentage": 50, "MaxHealthyPercentage": 150, "InstanceWarmup": 60, "SkipMatching": True,
                    "CheckpointPercentages": [25, 100], "CheckpointDelay": 120, "AutoRollback": True,
                },
            },
        )
        rollout = GroupRollout(region, request(instance_refresh=refresh))
        record = rollout.apply(rollout.plan(template_group("3")))
        autoscaling_stub.assert_no_pending_responses()
    assert record["instance_refresh_id"] == "refresh-1" and record["started_by_this_run"]


def test_launch_configuration_group_refresh_has_no_desired_configuration_nor_auto_rollback(region):
    launch_configuration = {"LaunchConfigurationName": "web-lc", "ImageId": OLD_IMAGE, "InstanceType": "t3.micro"}

    class Region(StubbedRegion):
        def launch_configuration(self, name, refresh=False):
            return launch_configuration

        def launch_configurations(self, refresh=False):
            return {"web-lc": launch_configuration}

    lc_region = Region()
    with Stubber(lc_region.autoscaling_client) as autoscaling_stub:
        expect_no_active_refresh(autoscaling_stub)
        autoscaling_stub.add_response(
            "create_launch_configuration", {},
            {"LaunchConfigurationName": "web-%s" % NEW_IMAGE, "ImageId": NEW_IMAGE, "InstanceType": "t3.micro"},
        )
        autoscaling_stub.add_response("update_auto_scaling_group", {}, {"AutoScalingGroupName": "web", "LaunchConfigurationName": "web-%s" % NEW_IMAGE})
        autoscaling_stub.add_response(
            "start_instance_refresh", {"InstanceRefreshId": "refresh-2"},
            {"AutoScalingGroupName": "web", "Strategy": "Rolling",
             "Preferences": {"MinHealthyPercentage": 90, "MaxHealthyPercentage": 100, "SkipMatching": False, "AutoRollback": False}},
        )
        rollout = GroupRollout(lc_region, request(instance_refresh={"enabled": True, "auto_rollback": True, "wait": False}))
        plan = rollout.plan({"AutoScalingGroupName": "web", "LaunchConfigurationName": "web-lc"})
        rollout.apply(plan)
        autoscaling_stub.assert_no_pending_responses()
    assert "auto_rollback" in plan.warnings[0]


def _start_refresh_lost_then(autoscaling_stub, active):
    """StartInstanceRefresh whose first answer was lost: botocore's retry meets the refresh the first attempt started."""
    autoscaling_stub.add_client_error("start_instance_refresh", "InstanceRefreshInProgress", http_status_code=400)
    autoscaling_stub.add_response("describe_instance_refreshes", {"InstanceRefreshes": [active]}, {"AutoScalingGroupName": "web", "MaxRecords": 1})


def test_a_start_whose_answer_was_lost_adopts_the_refresh_with_its_desired_configuration(region):
    desired = {"LaunchTemplate": {"LaunchTemplateId": TEMPLATE_ID, "Version": "4"}}
    active = {"InstanceRefreshId": "refresh-1", "AutoScalingGroupName": "web", "Status": "Pending", "DesiredConfiguration": desired}
    with Stubber(region.autoscaling_client) as autoscaling_stub:
        _start_refresh_lost_then(autoscaling_stub, active)
        assert start_refresh(region.autoscaling, "web", {"MinHealthyPercentage": 90}, desired) == "refresh-1"


def test_an_active_refresh_of_another_configuration_is_not_adopted(region):
    desired = {"LaunchTemplate": {"LaunchTemplateId": TEMPLATE_ID, "Version": "4"}}
    other = {"InstanceRefreshId": "refresh-0", "AutoScalingGroupName": "web", "Status": "InProgress",
             "DesiredConfiguration": {"LaunchTemplate": {"LaunchTemplateId": TEMPLATE_ID, "Version": "2"}}}
    with Stubber(region.autoscaling_client) as autoscaling_stub:
        _start_refresh_lost_then(autoscaling_stub, other)
        with pytest.raises(BakeryError, match="InstanceRefreshInProgress"):
            start_refresh(region.autoscaling, "web", {"MinHealthyPercentage": 90}, desired)
