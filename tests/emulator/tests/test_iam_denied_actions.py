"""extensions/iam_denied_actions.py: config.denied_actions refuses those actions, DryRun or not, before anything runs."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import DEBIAN_12_AMD64, error_code


def refusal(call, **params):
    with pytest.raises(ClientError) as raised:
        call(**params)
    return error_code(raised), raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


def copy_params(**extra):
    return dict(SourceImageId=DEBIAN_12_AMD64, SourceRegion="us-east-1", Name="denied-copy", **extra)


def test_a_dry_run_of_an_allowed_action_answers_dry_run_operation(aws):
    assert refusal(aws.client("ec2", region="eu-west-1").copy_image, **copy_params(DryRun=True)) == ("DryRunOperation", 412)


def test_a_dry_run_of_a_denied_action_answers_unauthorized_operation(aws):
    aws.control.configure(denied_actions=["ec2:CopyImage"])
    assert refusal(aws.client("ec2", region="eu-west-1").copy_image, **copy_params(DryRun=True)) == ("UnauthorizedOperation", 403)


def test_a_real_call_of_a_denied_action_answers_unauthorized_operation_and_makes_nothing(aws):
    aws.control.configure(denied_actions=["ec2:CopyImage"])
    ec2 = aws.client("ec2", region="eu-west-1")
    assert refusal(ec2.copy_image, **copy_params()) == ("UnauthorizedOperation", 403)
    assert ec2.describe_images(Owners=["self"])["Images"] == []


def test_other_actions_stay_allowed(aws):
    aws.control.configure(denied_actions=["ec2:CopyImage"])
    ec2 = aws.client("ec2")
    assert refusal(ec2.run_instances, ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1, InstanceType="t3.micro", DryRun=True) == ("DryRunOperation", 412)
    assert ec2.describe_images(ImageIds=[DEBIAN_12_AMD64])["Images"]


def test_iam_wildcards_match_without_regard_to_case(aws):
    aws.control.configure(denied_actions=["EC2:*image*"])
    ec2 = aws.client("ec2")
    assert refusal(ec2.describe_images, Owners=["self"])[0] == "UnauthorizedOperation"
    assert refusal(ec2.create_key_pair, KeyName="allowed", DryRun=True)[0] == "DryRunOperation"


def test_a_denied_action_of_a_json_service_answers_access_denied(aws):
    aws.control.configure(denied_actions=["kms:DescribeKey"])
    code, status = refusal(aws.client("kms").describe_key, KeyId="alias/aws/ebs")
    assert (code, status) == ("AccessDeniedException", 400)


def test_a_denied_action_of_a_query_service_answers_access_denied(aws):
    aws.control.configure(denied_actions=["autoscaling:DescribeAutoScalingGroups"])
    assert refusal(aws.client("autoscaling").describe_auto_scaling_groups)[0] == "AccessDeniedException"


def test_the_refused_call_is_recorded_with_its_status(aws):
    aws.control.configure(denied_actions=["ec2:CopyImage"])
    aws.control.clear_calls()
    refusal(aws.client("ec2", region="eu-west-1").copy_image, **copy_params(DryRun=True))
    calls = [call for call in aws.control.calls() if call["action"] == "CopyImage"]
    assert [(call["status"], call["dry_run"], call["mutating"]) for call in calls] == [(403, True, False)]


def test_reset_allows_everything_again(aws):
    aws.control.configure(denied_actions=["ec2:CopyImage"])
    aws.control.reset()
    assert refusal(aws.client("ec2", region="eu-west-1").copy_image, **copy_params(DryRun=True))[0] == "DryRunOperation"
