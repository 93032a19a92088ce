"""ClientToken idempotency of CreateLaunchTemplate and CreateLaunchTemplateVersion (extensions/launch_template_client_token.py)."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.autoscaling_arrangements import IMAGE_A

NEW_IMAGE = "ami-0123456789abcdef0"


@pytest.fixture
def template_id(ec2):
    return ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"ImageId": IMAGE_A})["LaunchTemplate"]["LaunchTemplateId"]


def versions(ec2, template_id):
    return sorted(v["VersionNumber"] for v in ec2.describe_launch_template_versions(LaunchTemplateId=template_id)["LaunchTemplateVersions"])


def test_a_repeated_version_request_returns_the_first_version_and_makes_no_other(ec2, template_id):
    request = dict(LaunchTemplateId=template_id, SourceVersion="1", LaunchTemplateData={"ImageId": NEW_IMAGE}, ClientToken="rollout-1")
    first = ec2.create_launch_template_version(**request)["LaunchTemplateVersion"]
    again = ec2.create_launch_template_version(**request)["LaunchTemplateVersion"]
    assert again["VersionNumber"] == first["VersionNumber"] == 2
    assert versions(ec2, template_id) == [1, 2]


def test_the_same_token_with_other_parameters_is_refused(ec2, template_id):
    ec2.create_launch_template_version(LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": NEW_IMAGE}, ClientToken="rollout-1")
    with pytest.raises(ClientError) as raised:
        ec2.create_launch_template_version(LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": IMAGE_A}, ClientToken="rollout-1")
    assert raised.value.response["Error"]["Code"] == "IdempotentParameterMismatch"


def test_a_repeated_template_request_returns_the_first_template(ec2):
    request = dict(LaunchTemplateName="migrated", LaunchTemplateData={"ImageId": NEW_IMAGE}, ClientToken="migration-1")
    first = ec2.create_launch_template(**request)["LaunchTemplate"]["LaunchTemplateId"]
    assert ec2.create_launch_template(**request)["LaunchTemplate"]["LaunchTemplateId"] == first


def test_a_retry_after_a_lost_answer_makes_one_version(aws, ec2, template_id):
    aws.control.set_faults([{"action": "ec2:CreateLaunchTemplateVersion", "kind": "after_commit", "times_per_action": 1}])
    created = ec2.create_launch_template_version(LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": NEW_IMAGE})["LaunchTemplateVersion"]
    assert created["VersionNumber"] == 2
    assert versions(ec2, template_id) == [1, 2]
