import time

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError


def test_throttled_calls_still_succeed_with_standard_retries(aws, ec2):
    aws.control.set_faults([{"action": "ec2:DescribeImages", "kind": "throttle", "rate": 0.3}], seed=7)
    for _ in range(10):
        ec2.describe_images(Owners=["self"])
    calls = aws.control.calls()
    throttled = [c for c in calls if c["fault"] == "throttle"]
    assert throttled, "a 30% rate over 10+ calls with seed 7 throttles at least once"
    assert all(c["status"] == 503 for c in throttled)
    assert len(calls) == 10 + len(throttled)


def test_ec2_throttle_is_request_limit_exceeded_with_http_503(aws):
    ec2 = aws.client("ec2", retries={"mode": "standard", "max_attempts": 1})
    aws.control.set_faults([{"action": "ec2:*", "kind": "throttle", "rate": 1}])
    with pytest.raises(ClientError) as error:
        ec2.describe_images(Owners=["self"])
    assert error.value.response["Error"]["Code"] == "RequestLimitExceeded"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


def test_query_service_throttle_is_throttling(aws):
    autoscaling = aws.client("autoscaling", retries={"mode": "standard", "max_attempts": 1})
    aws.control.set_faults([{"action": "autoscaling:*", "kind": "throttle", "rate": 1}])
    with pytest.raises(ClientError) as error:
        autoscaling.describe_auto_scaling_groups()
    assert error.value.response["Error"]["Code"] == "Throttling"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_json_service_throttle_is_throttling_exception(aws):
    ssm = aws.client("ssm", retries={"mode": "standard", "max_attempts": 1})
    aws.control.set_faults([{"action": "*", "kind": "throttle", "rate": 1}])
    with pytest.raises(ClientError) as error:
        ssm.describe_parameters()
    assert error.value.response["Error"]["Code"] == "ThrottlingException"


@pytest.mark.parametrize(("kind", "status", "code"), [("http_500", 500, "InternalError"), ("http_503", 503, "ServiceUnavailable")])
def test_server_errors_have_their_status_and_code(aws, kind, status, code):
    ec2 = aws.client("ec2", retries={"mode": "standard", "max_attempts": 1})
    aws.control.set_faults([{"action": "ec2:DescribeKeyPairs", "kind": kind, "rate": 1}])
    with pytest.raises(ClientError) as error:
        ec2.describe_key_pairs()
    assert error.value.response["Error"]["Code"] == code
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_a_faulted_call_changes_nothing(aws, ec2):
    aws.control.set_faults([{"action": "ec2:CreateKeyPair", "kind": "http_503", "rate": 1}])
    single_try = aws.client("ec2", retries={"mode": "standard", "max_attempts": 1})
    with pytest.raises(ClientError):
        single_try.create_key_pair(KeyName="builder")
    aws.control.clear_faults()
    assert ec2.describe_key_pairs()["KeyPairs"] == []


def test_dropped_connection_is_a_connection_error(aws):
    ec2 = aws.client("ec2", retries={"mode": "standard", "max_attempts": 1})
    aws.control.set_faults([{"action": "ec2:DescribeKeyPairs", "kind": "drop", "rate": 1}])
    with pytest.raises(ConnectionClosedError):
        ec2.describe_key_pairs()
    assert aws.control.calls()[0]["fault"] == "drop"
    assert aws.control.calls()[0]["status"] is None


def test_dropped_connections_are_retried(aws, ec2):
    aws.control.set_faults([{"action": "ec2:DescribeKeyPairs", "kind": "drop", "rate": 0.5}], seed=3)
    for _ in range(4):
        ec2.describe_key_pairs()
    assert any(c["fault"] == "drop" for c in aws.control.calls())


def test_latency_delays_the_answer(aws, ec2):
    aws.control.set_faults([{"action": "ec2:DescribeKeyPairs", "kind": "latency", "rate": 1, "latency_ms": 300}])
    started = time.monotonic()
    ec2.describe_key_pairs()
    assert time.monotonic() - started >= 0.3
    assert aws.control.calls()[0]["fault"] == "latency"


def test_rules_for_other_actions_do_not_fire(aws, ec2):
    aws.control.set_faults([{"action": "ec2:CopyImage", "kind": "http_500", "rate": 1}])
    ec2.describe_key_pairs()
    assert aws.control.calls()[0]["fault"] is None


def test_a_rule_with_a_region_fires_only_in_that_region(aws):
    aws.control.set_faults([{"action": "ec2:DescribeKeyPairs", "kind": "http_500", "rate": 1, "region": "us-west-2"}])
    aws.client("ec2", region="eu-west-1").describe_key_pairs()
    with pytest.raises(Exception, match="InternalError"):
        aws.client("ec2", region="us-west-2", retries={"max_attempts": 1}).describe_key_pairs()
    assert {(call["region"], call["fault"]) for call in aws.control.calls()} == {("eu-west-1", None), ("us-west-2", "http_500")}


def test_bad_rule_is_refused_with_its_index(aws):
    with pytest.raises(Exception, match="400"):
        aws.control.set_faults([{"kind": "throttle"}, {"kind": "explode"}])


def test_ec2_throttling_is_retried_by_botocores_legacy_retry_table(aws):
    # botocore/data/_retry.json retries EC2's RequestLimitExceeded only with HTTP 503 (legacy mode has no generic rule).
    ec2 = aws.client("ec2", retries={"mode": "legacy", "max_attempts": 2})
    aws.control.set_faults([{"action": "ec2:DescribeKeyPairs", "kind": "throttle", "times_per_action": 1}])
    ec2.describe_key_pairs()
    assert [(call["fault"], call["status"]) for call in aws.control.calls()] == [("throttle", 503), (None, 200)]


def single_try(aws, service):
    return aws.client(service, retries={"mode": "standard", "total_max_attempts": 1})


def test_after_commit_500_answers_internal_error_once_the_change_is_made(aws, ec2):
    aws.control.set_faults([{"action": "ec2:CreateKeyPair", "kind": "after_commit", "rate": 1}])
    with pytest.raises(ClientError) as error:
        single_try(aws, "ec2").create_key_pair(KeyName="builder")
    assert error.value.response["Error"]["Code"] == "InternalError"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    aws.control.clear_faults()
    assert [key["KeyName"] for key in ec2.describe_key_pairs()["KeyPairs"]] == ["builder"]


def test_after_commit_drop_closes_the_connection_once_the_change_is_made(aws, ec2):
    aws.control.set_faults([{"action": "ec2:CreateKeyPair", "kind": "after_commit", "answer": "drop", "rate": 1}])
    with pytest.raises(ConnectionClosedError):
        single_try(aws, "ec2").create_key_pair(KeyName="builder")
    (call,) = aws.control.calls()
    assert (call["fault"], call["status"]) == ("after_commit", None)
    aws.control.clear_faults()
    assert [key["KeyName"] for key in ec2.describe_key_pairs()["KeyPairs"]] == ["builder"]


def test_a_retried_call_whose_answer_was_lost_meets_its_own_result(aws, ec2):
    aws.control.set_faults([{"action": "ec2:CreateKeyPair", "kind": "after_commit", "times_per_action": 1}])
    with pytest.raises(ClientError) as error:
        ec2.create_key_pair(KeyName="builder")
    assert error.value.response["Error"]["Code"] == "InvalidKeyPair.Duplicate"
    assert [(call["fault"], call["status"]) for call in aws.control.calls()] == [("after_commit", 500), (None, 400)]


@pytest.mark.parametrize(
    ("service", "call"),
    [
        ("autoscaling", lambda client: client.create_launch_configuration(LaunchConfigurationName="web", ImageId="ami-0de12a0d640000002", InstanceType="t3.micro")),
        ("ssm", lambda client: client.put_parameter(Name="/bakery/latest", Value="x", Type="String")),
    ],
    ids=["query-protocol", "json-protocol"],
)
def test_after_commit_answers_internal_error_in_each_protocols_error_format(aws, service, call):
    aws.control.set_faults([{"action": "*", "kind": "after_commit", "rate": 1}])
    with pytest.raises(ClientError) as error:
        call(single_try(aws, service))
    assert error.value.response["Error"]["Code"] == "InternalError"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_after_commit_keeps_an_ssm_change(aws):
    aws.control.set_faults([{"action": "ssm:PutParameter", "kind": "after_commit", "rate": 1}])
    with pytest.raises(ClientError):
        single_try(aws, "ssm").put_parameter(Name="/bakery/latest", Value="kept", Type="String")
    aws.control.clear_faults()
    assert aws.client("ssm").get_parameter(Name="/bakery/latest")["Parameter"]["Value"] == "kept"


def test_a_mutating_only_rule_leaves_read_calls_alone(aws, ec2):
    aws.control.set_faults([{"action": "ec2:*", "kind": "http_500", "rate": 1, "mutating": True}])
    ec2.describe_key_pairs()
    with pytest.raises(ClientError, match="DryRunOperation"):
        ec2.describe_images(DryRun=True)
    with pytest.raises(ClientError, match="InternalError"):
        single_try(aws, "ec2").create_key_pair(KeyName="builder")
    assert [(call["action"], call["fault"]) for call in aws.control.calls()] == [
        ("DescribeKeyPairs", None),
        ("DescribeImages", None),
        ("CreateKeyPair", "http_500"),
    ]


def test_times_per_action_limits_a_rule_for_each_action_and_region(aws):
    aws.control.set_faults([{"action": "ec2:DescribeKeyPairs", "kind": "http_500", "rate": 1, "times_per_action": 1}])
    for region in ("us-east-1", "eu-west-1"):
        for _ in range(2):
            aws.client("ec2", region=region).describe_key_pairs()
    faulted = [(call["region"], call["fault"]) for call in aws.control.calls()]
    assert faulted == [
        ("us-east-1", "http_500"), ("us-east-1", None), ("us-east-1", None),
        ("eu-west-1", "http_500"), ("eu-west-1", None), ("eu-west-1", None),
    ]


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "after_commit", "answer": "explode"},
        {"kind": "http_500", "answer": "drop"},
        {"kind": "http_500", "times_per_action": 0},
        {"kind": "http_500", "times_per_action": "once"},
    ],
)
def test_bad_after_commit_or_limit_options_are_refused(aws, rule):
    with pytest.raises(Exception, match="400"):
        aws.control.set_faults([rule])
