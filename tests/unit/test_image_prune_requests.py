"""Request shapes image_prune sends, checked with botocore's Stubber (the emulator ignores some of these fields)."""

from datetime import datetime, timezone

import boto3
import pytest
from botocore.stub import ANY, Stubber

from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import RegionalApi
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.pruner import prune_images
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.request import PruneRequest
from tests.unit.module_params import module_params

NOW = datetime(2026, 11, 26, 12, 0, 20, tzinfo=timezone.utc)
OLD = {"ImageId": "ami-0000000000000000a", "Name": "web-a", "CreationDate": "2026-01-01T00:00:00.000Z", "State": "available"}
NEW = {"ImageId": "ami-0000000000000000b", "Name": "web-b", "CreationDate": "2026-11-01T00:00:00.000Z", "State": "available"}


class StubbedClients:
    """A client factory handing out stubbed EC2 and Auto Scaling clients for one region."""

    def __init__(self):
        session = boto3.session.Session(aws_access_key_id="t", aws_secret_access_key="t", region_name="us-east-1")
        self.ec2 = session.client("ec2")
        self.autoscaling = session.client("autoscaling")
        self.ec2_stub = Stubber(self.ec2)
        self.autoscaling_stub = Stubber(self.autoscaling)

    def api(self, service, region=None):
        return RegionalApi(self.ec2 if service == "ec2" else self.autoscaling, "us-east-1")


@pytest.fixture
def clients():
    stubbed = StubbedClients()
    with stubbed.ec2_stub, stubbed.autoscaling_stub:
        yield stubbed
    stubbed.ec2_stub.assert_no_pending_responses()
    stubbed.autoscaling_stub.assert_no_pending_responses()


def expect_family(clients):
    clients.ec2_stub.add_response(
        "describe_images",
        {"Images": [OLD, NEW]},
        {
            "Owners": ["self"],
            "Filters": [{"Name": "name", "Values": ["web-*"]}, {"Name": "state", "Values": ["available", "pending", "disabled"]}],
            "IncludeDeprecated": True,
            "IncludeDisabled": True,
        },
    )


def request(action, **extra):
    return PruneRequest.from_params(
        module_params("image_prune", **dict({"name": "web-", "regions": ["us-east-1"], "keep": 1, "older_than_days": 0, "action": action, "exclude_in_use": False}, **extra))
    )


def expect_neither_shared_nor_launched(clients, image_id=OLD["ImageId"]):
    clients.ec2_stub.add_response(
        "describe_image_attribute", {"ImageId": image_id, "LaunchPermissions": []}, {"ImageId": image_id, "Attribute": "launchPermission"}
    )
    clients.ec2_stub.add_response(
        "describe_image_attribute", {"ImageId": image_id, "LastLaunchedTime": {}}, {"ImageId": image_id, "Attribute": "lastLaunchedTime"}
    )


def test_deregister_asks_aws_to_delete_the_associated_snapshots(clients):
    expect_family(clients)
    expect_neither_shared_nor_launched(clients)
    clients.ec2_stub.add_response(
        "deregister_image",
        {"Return": True, "DeleteSnapshotResults": [{"SnapshotId": "snap-0000000000000000a", "ReturnCode": "success"}]},
        {"ImageId": OLD["ImageId"], "DeleteAssociatedSnapshots": True},
    )
    result = prune_images(clients, request("deregister"), check_mode=False, now=NOW)
    assert result["pruned"][0]["deleted_snapshot_ids"] == ["snap-0000000000000000a"]


def test_deregister_keeps_snapshots_when_delete_snapshots_is_false(clients):
    expect_family(clients)
    expect_neither_shared_nor_launched(clients)
    clients.ec2_stub.add_response("deregister_image", {"Return": True}, {"ImageId": OLD["ImageId"], "DeleteAssociatedSnapshots": False})
    prune_images(clients, request("deregister", delete_snapshots=False), check_mode=False, now=NOW)


def test_disable_sends_disable_image_for_the_expired_image_only(clients):
    expect_family(clients)
    expect_neither_shared_nor_launched(clients)
    clients.ec2_stub.add_response("disable_image", {"Return": True}, {"ImageId": OLD["ImageId"]})
    prune_images(clients, request("disable"), check_mode=False, now=NOW)


def test_deprecate_sets_the_next_whole_minute(clients):
    expect_family(clients)
    clients.ec2_stub.add_response("enable_image_deprecation", {"Return": True}, {"ImageId": OLD["ImageId"], "DeprecateAt": "2026-11-26T12:01:00Z"})
    prune_images(clients, request("deprecate"), check_mode=False, now=NOW)


def test_in_use_detection_uses_one_filtered_call_per_kind(clients):
    expect_family(clients)
    clients.ec2_stub.add_response(
        "describe_instances",
        {"Reservations": []},
        {"Filters": [{"Name": "image-id", "Values": [OLD["ImageId"]]}, {"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]}]},
    )
    clients.autoscaling_stub.add_response("describe_launch_configurations", {"LaunchConfigurations": []}, {})
    clients.ec2_stub.add_response("describe_launch_template_versions", {"LaunchTemplateVersions": []}, {"Versions": ["$Default", "$Latest"]})
    clients.autoscaling_stub.add_response("describe_auto_scaling_groups", {"AutoScalingGroups": []}, {})
    clients.ec2_stub.add_response(
        "describe_image_references",
        {"ImageReferences": []},
        {
            "ImageIds": [OLD["ImageId"]],
            "ResourceTypes": [{"ResourceType": "ssm:Parameter"}, {"ResourceType": "imagebuilder:ImageRecipe"}, {"ResourceType": "imagebuilder:ContainerRecipe"}],
        },
    )
    clients.ec2_stub.add_response("enable_image_deprecation", {"Return": True}, {"ImageId": OLD["ImageId"], "DeprecateAt": ANY})
    prune_images(clients, request("deprecate", exclude_in_use=True), check_mode=False, now=NOW)


def test_deprecating_asks_nothing_about_shares_or_launches(clients):
    expect_family(clients)
    clients.ec2_stub.add_response("enable_image_deprecation", {"Return": True}, {"ImageId": OLD["ImageId"], "DeprecateAt": ANY})
    prune_images(clients, request("deprecate"), check_mode=False, now=NOW)


def test_a_public_image_is_kept_without_reading_its_launch_permissions(clients):
    clients.ec2_stub.add_response("describe_images", {"Images": [dict(OLD, Public=True), NEW]}, None)
    result = prune_images(clients, request("deregister"), check_mode=False, now=NOW)
    assert [(entry["image_id"], entry["shared_with"]) for entry in result["kept"] if "shared_with" in entry] == [(OLD["ImageId"], ["public"])]


def test_include_shared_reads_no_launch_permissions(clients):
    expect_family(clients)
    clients.ec2_stub.add_response(
        "describe_image_attribute", {"ImageId": OLD["ImageId"], "LastLaunchedTime": {}}, {"ImageId": OLD["ImageId"], "Attribute": "lastLaunchedTime"}
    )
    clients.ec2_stub.add_response("disable_image", {"Return": True}, {"ImageId": OLD["ImageId"]})
    prune_images(clients, request("disable", include_shared=True), check_mode=False, now=NOW)


def test_launched_within_days_zero_reads_no_last_launch(clients):
    expect_family(clients)
    clients.ec2_stub.add_response(
        "describe_image_attribute", {"ImageId": OLD["ImageId"], "LaunchPermissions": []}, {"ImageId": OLD["ImageId"], "Attribute": "launchPermission"}
    )
    clients.ec2_stub.add_response("disable_image", {"Return": True}, {"ImageId": OLD["ImageId"]})
    prune_images(clients, request("disable", launched_within_days=0), check_mode=False, now=NOW)


def test_a_launch_reported_within_the_period_keeps_the_image_and_one_before_it_does_not(clients):
    expect_family(clients)
    clients.ec2_stub.add_response(
        "describe_image_attribute", {"ImageId": OLD["ImageId"], "LaunchPermissions": []}, {"ImageId": OLD["ImageId"], "Attribute": "launchPermission"}
    )
    clients.ec2_stub.add_response(
        "describe_image_attribute",
        {"ImageId": OLD["ImageId"], "LastLaunchedTime": {"Value": "2026-11-20T12:00:21Z"}},
        {"ImageId": OLD["ImageId"], "Attribute": "lastLaunchedTime"},
    )
    result = prune_images(clients, request("deregister", launched_within_days=6), check_mode=False, now=NOW)
    assert result["pruned"] == [] and result["kept"][-1]["last_launched_time"] == "2026-11-20T12:00:21Z"


def test_a_deregister_whose_answer_was_lost_counts_the_image_and_its_gone_snapshots_as_pruned(clients):
    mapped = dict(OLD, BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": "snap-0000000000000000a"}}])
    clients.ec2_stub.add_response("describe_images", {"Images": [mapped, NEW]}, None)
    expect_neither_shared_nor_launched(clients)
    clients.ec2_stub.add_client_error("deregister_image", service_error_code="InvalidAMIID.Unavailable", http_status_code=400)
    clients.ec2_stub.add_response(
        "describe_snapshots", {"Snapshots": []}, {"Filters": [{"Name": "snapshot-id", "Values": ["snap-0000000000000000a"]}]}
    )
    result = prune_images(clients, request("deregister"), check_mode=False, now=NOW)
    assert [(entry["image_id"], entry["deleted_snapshot_ids"]) for entry in result["pruned"]] == [(OLD["ImageId"], ["snap-0000000000000000a"])]
