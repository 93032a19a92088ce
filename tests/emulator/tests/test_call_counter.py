import pytest
from botocore.exceptions import ClientError


def test_reads_are_counted_and_not_mutating(aws, ec2):
    ec2.describe_images(Owners=["self"])
    calls = aws.control.calls()
    assert [(c["service"], c["region"], c["action"], c["mutating"], c["status"]) for c in calls] == [
        ("ec2", "us-east-1", "DescribeImages", False, 200)
    ]
    assert aws.control.counts() == {"ec2:DescribeImages": 1}


def test_writes_are_mutating(aws, ec2):
    ec2.create_key_pair(KeyName="builder")
    assert [c["action"] for c in aws.control.mutating_calls()] == ["CreateKeyPair"]


def test_dry_run_is_not_mutating(aws, ec2):
    with pytest.raises(ClientError, match="DryRunOperation"):
        ec2.create_key_pair(KeyName="builder", DryRun=True)
    (call,) = aws.control.calls()
    assert call["dry_run"] is True
    assert call["mutating"] is False
    assert aws.control.mutating_calls() == []


def test_region_comes_from_the_signature(aws):
    aws.client("ec2", region="eu-central-1").describe_regions()
    assert aws.control.calls()[0]["region"] == "eu-central-1"


def test_json_protocol_action_comes_from_target_header(aws):
    aws.client("ssm").put_parameter(Name="/bakery/latest", Value="ami-1", Type="String")
    assert aws.control.counts() == {"ssm:PutParameter": 1}


def test_control_requests_are_not_counted(aws):
    aws.control.counts()
    aws.control.configure(pending_seconds=0)
    assert aws.control.calls() == []


def test_clear_calls_forgets_them(aws, ec2):
    ec2.describe_key_pairs()
    aws.control.clear_calls()
    assert aws.control.calls() == []
