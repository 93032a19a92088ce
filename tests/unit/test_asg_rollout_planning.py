"""asg_rollout's pure parts: option checks, the launch configuration copy, which versions pruning deletes."""

import base64

import pytest

from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.launch_configuration_copy import copy_request, is_copy_of
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.launch_template_version import versions_to_prune
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.request import RolloutRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from tests.unit.module_params import module_params

IMAGE = "ami-0bbbbbbbbbbbbbbbb"


def request(**params):
    params.setdefault("groups", ["web"])
    params.setdefault("image_id", IMAGE)
    params.setdefault("region", "us-east-1")
    return RolloutRequest.from_params(module_params("asg_rollout", **params))


def test_single_image_id_is_for_the_module_region():
    assert request().image_ids == {"us-east-1": IMAGE}


def test_manifest_layer_map_gives_one_image_per_region():
    assert request(image_id={"eu-west-1": IMAGE, "us-east-1": IMAGE}).regions == ["eu-west-1", "us-east-1"]


@pytest.mark.parametrize("params, option", [
    ({"groups": None, "group_tags": None}, "groups"),
    ({"image_id": "ami-123"}, "image_id"),
    ({"image_id": {"moon-1": IMAGE}}, "image_id key"),
    ({"launch_configuration_name": "{group}-static"}, "launch_configuration_name"),
    ({"launch_configuration_name": "{group}-{ami}"}, "launch_configuration_name"),
    ({"keep_previous": -1}, "keep_previous"),
    ({"instance_refresh": {"min_healthy_percentage": 120}}, "instance_refresh.min_healthy_percentage"),
    ({"instance_refresh": {"min_healthy_percentage": 10, "max_healthy_percentage": 200}}, "instance_refresh.max_healthy_percentage"),
    ({"instance_refresh": {"checkpoint_percentages": [50, 20]}}, "instance_refresh.checkpoint_percentages"),
    ({"instance_refresh": {"checkpoint_percentages": [20, 50]}}, "instance_refresh.checkpoint_percentages"),
    ({"instance_refresh": {"max_healthy_percentage": 110}}, "instance_refresh.max_healthy_percentage"),
    ({"instance_refresh": {"checkpoint_delay": 60}}, "instance_refresh.checkpoint_delay"),
    ({"instance_refresh": {"bake_time": 172801}}, "instance_refresh.bake_time"),
    ({"instance_refresh": {"alarms": ["a%d" % n for n in range(11)]}}, "instance_refresh.alarms"),
])
def test_bad_option_is_named(params, option):
    with pytest.raises(InvalidInputError) as raised:
        request(**params)
    assert raised.value.option == option


def test_wait_covers_the_refresh_pauses_an_hour_per_checkpoint_unless_told_otherwise():
    assert request(instance_refresh={"checkpoint_percentages": [10, 50, 100]}).refresh.wait_seconds == 3600 + 2 * 3600
    assert request(instance_refresh={"checkpoint_percentages": [50, 100], "checkpoint_delay": 300, "bake_time": 600}).refresh.wait_seconds == 3600 + 300 + 600
    assert request().refresh.wait_seconds == 3600


def test_no_healthy_percentage_is_sent_unless_given():
    assert request(instance_refresh={"enabled": True}).refresh.preferences(True) == {"SkipMatching": False, "AutoRollback": False}


def test_launch_configuration_pattern_matches_only_this_groups_copies():
    pattern = request().launch_configuration_name.pattern("web", "us-east-1")
    assert pattern.match("web-ami-0aaaaaaaaaaaaaaaa")
    assert not pattern.match("web-blue-ami-0aaaaaaaaaaaaaaaa")
    assert not pattern.match("web-lc")


def test_copy_keeps_every_attribute_and_hands_user_data_back_raw():
    original = {
        "LaunchConfigurationName": "web-lc", "LaunchConfigurationARN": "arn:x", "CreatedTime": "t", "ImageId": "ami-0aaaaaaaaaaaaaaaa",
        "InstanceType": "t3.micro", "KeyName": "deploy", "SecurityGroups": ["sg-1"], "UserData": base64.b64encode(b"\x1f\x8bgz").decode(),
        "IamInstanceProfile": "web", "InstanceMonitoring": {"Enabled": True}, "EbsOptimized": True, "SpotPrice": "0.05",
        "PlacementTenancy": "dedicated", "AssociatePublicIpAddress": True, "MetadataOptions": {"HttpTokens": "required"},
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30, "Iops": None}, "NoDevice": False}],
        "KernelId": "", "RamdiskId": "",
    }
    copy = copy_request(original, IMAGE, "web-new")
    assert copy["UserData"] == b"\x1f\x8bgz"
    assert copy["BlockDeviceMappings"] == [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30}}]
    assert "KernelId" not in copy
    described_copy = dict(original, LaunchConfigurationName="web-new", ImageId=IMAGE)
    assert is_copy_of(described_copy, original, IMAGE)
    assert not is_copy_of(dict(described_copy, InstanceType="t3.large"), original, IMAGE)


def versions(*numbers, default=1):
    return [{"VersionNumber": number, "DefaultVersion": number == default} for number in numbers]


def test_pruning_keeps_previous_default_latest_and_referenced_versions():
    assert versions_to_prune(versions(1, 2, 3, 4, 5, 6), 6, {"2"}, keep_previous=1) == [3, 4]


def test_pruning_with_nothing_superseded_deletes_nothing():
    assert versions_to_prune(versions(1, 2), 2, set(), keep_previous=0) == []
