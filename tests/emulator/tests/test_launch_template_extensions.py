"""CreateLaunchTemplateVersion SourceVersion inheritance (extensions/launch_template_source_version.py) and
DeleteLaunchTemplateVersions (extensions/launch_template_version_deletion.py)."""

import base64

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.autoscaling_arrangements import IMAGE_A

NEW_IMAGE = "ami-0123456789abcdef0"
USER_DATA = base64.b64encode(b"#!/bin/sh\necho hello\n").decode()


@pytest.fixture
def template_id(ec2):
    return ec2.create_launch_template(
        LaunchTemplateName="web",
        LaunchTemplateData={
            "ImageId": IMAGE_A,
            "InstanceType": "t3.micro",
            "UserData": USER_DATA,
            "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}}],
        },
    )["LaunchTemplate"]["LaunchTemplateId"]


def version_data(ec2, template_id, version):
    return ec2.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=[str(version)])["LaunchTemplateVersions"][0]["LaunchTemplateData"]


def version_numbers(ec2, template_id):
    return [v["VersionNumber"] for v in ec2.describe_launch_template_versions(LaunchTemplateId=template_id)["LaunchTemplateVersions"]]


def test_new_version_from_source_version_inherits_everything_but_what_is_given(ec2, template_id):
    ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion="1", LaunchTemplateData={"ImageId": NEW_IMAGE})
    source, new = version_data(ec2, template_id, 1), version_data(ec2, template_id, 2)
    assert new["ImageId"] == NEW_IMAGE
    assert dict(new, ImageId=IMAGE_A) == source


def test_a_given_parameter_replaces_the_inherited_one_whole(ec2, template_id):
    ec2.create_launch_template_version(
        LaunchTemplateId=template_id, SourceVersion="1", LaunchTemplateData={"MetadataOptions": {"HttpTokens": "optional"}}
    )
    assert version_data(ec2, template_id, 2)["MetadataOptions"] == {"HttpTokens": "optional"}


def test_without_source_version_the_new_version_holds_only_what_is_given(ec2, template_id):
    ec2.create_launch_template_version(LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": NEW_IMAGE})
    assert version_data(ec2, template_id, 2) == {"ImageId": NEW_IMAGE}


def test_unknown_source_version_is_refused(ec2, template_id):
    with pytest.raises(ClientError) as raised:
        ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion="7", LaunchTemplateData={"ImageId": NEW_IMAGE})
    assert raised.value.response["Error"]["Code"] == "InvalidLaunchTemplateId.VersionNotFound"


def test_instances_launch_from_a_version_with_inherited_user_data(ec2, template_id):
    ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion="1", LaunchTemplateData={"ImageId": NEW_IMAGE})
    instance = ec2.run_instances(LaunchTemplate={"LaunchTemplateId": template_id, "Version": "2"}, MinCount=1, MaxCount=1)["Instances"][0]
    assert instance["ImageId"] == NEW_IMAGE


def test_deleted_versions_are_gone_and_others_keep_their_numbers(ec2, template_id):
    for _ in range(3):
        ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion="1", LaunchTemplateData={"ImageId": NEW_IMAGE})
    response = ec2.delete_launch_template_versions(LaunchTemplateId=template_id, Versions=["2", "3"])
    assert sorted(v["VersionNumber"] for v in response["SuccessfullyDeletedLaunchTemplateVersions"]) == [2, 3]
    assert version_numbers(ec2, template_id) == [1, 4]
    assert version_data(ec2, template_id, 4)["ImageId"] == NEW_IMAGE


def test_the_default_version_is_not_deleted(ec2, template_id):
    response = ec2.delete_launch_template_versions(LaunchTemplateId=template_id, Versions=["1"])
    assert response["UnsuccessfullyDeletedLaunchTemplateVersions"][0]["ResponseError"]["Code"] == "launchTemplateVersionIsDefaultVersion"
    assert version_numbers(ec2, template_id) == [1]


def test_version_numbers_are_not_reused_after_deleting_the_latest(ec2, template_id):
    ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion="1", LaunchTemplateData={})
    ec2.delete_launch_template_versions(LaunchTemplateId=template_id, Versions=["2"])
    created = ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion="1", LaunchTemplateData={})
    assert created["LaunchTemplateVersion"]["VersionNumber"] == 3
