"""bake_preflight's core against the emulator: every problem of a bake found at once, with read calls and DryRuns only."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.client_factory import ClientFactory
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._bake_preflight.preflight import PreflightFailedError, run_preflight
from ansible_collections.bakery.ami.plugins.module_utils._bake_preflight.request import PreflightRequest
from tests.unit.module_params import module_params

DEBIAN_12 = "ami-0de12a0d640000002"
ACCOUNT = "111122223333"
LINEAGE_TAGS = {"Name": "tiny-000-20261201T000000", "bakery:layer": "tiny-000", "bakery:recipe-hash": "0" * 64}


@pytest.fixture
def clients(aws, monkeypatch):
    for name, value in aws.env.items():
        monkeypatch.setenv(name, value)
    return ClientFactory(region="us-east-1", endpoint_url=aws.endpoint_url)


def customer_key(aws, region, alias="alias/bakery"):
    kms = aws.client("kms", region=region)
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    return key_id


def preflight(clients, **params):
    values = {"region": "us-east-1", "image_name": "tiny-000-20261201T000000", "image_tags": dict(LINEAGE_TAGS),
              "deprecate_at": "180d", "source_image_id": DEBIAN_12, "builder": {"instance_type": "t3.small"}}
    values.update(params)
    return run_preflight(clients, PreflightRequest.from_params(module_params("bake_preflight", **values)))


def problems_of(clients, **params):
    with pytest.raises(PreflightFailedError) as raised:
        preflight(clients, **params)
    return raised.value.result["problems"]


def test_a_bake_aws_would_accept_passes_with_only_read_calls_and_dry_runs(aws, clients):
    for region in ("us-east-1", "eu-west-1"):
        customer_key(aws, region)
    aws.control.clear_calls()

    result = preflight(clients, copy_regions=["eu-west-1"], kms_key_id="alias/bakery", share_accounts=[ACCOUNT])

    assert result["problems"] == [] and result["missing_actions"] == []
    assert result["regions_checked"] == ["us-east-1", "eu-west-1"]
    assert result["probes"]["ec2:RunInstances@us-east-1"] == "allowed"
    assert result["probes"]["ec2:CopyImage@eu-west-1"] == "allowed"
    assert aws.control.mutating_calls() == []
    dry_runs = sorted({call["action"] for call in aws.control.calls() if call["dry_run"]})
    assert dry_runs == ["CopyImage", "CreateSecurityGroup", "ImportKeyPair", "ModifyImageAttribute", "RunInstances"]


def test_every_problem_is_reported_at_once(aws, clients):
    customer_key(aws, "us-east-1")
    customer_key(aws, "eu-west-1")
    aws.control.clear_calls()

    problems = problems_of(clients, copy_regions=["eu-west-1", "us-west-2", "ap-east-1"], kms_key_id="alias/bakery",
                           image_name="x", deprecate_at="11y")

    assert len(problems) == 4, problems
    assert any(problem.startswith("image_name 'x' is not a name AWS accepts") for problem in problems)
    assert any("'11y' is more than 10 years ahead" in problem for problem in problems)
    assert any(problem.startswith("copy region ap-east-1 (copy_regions[2]) is not enabled for this account (opt-in status not-opted-in)") for problem in problems)
    assert any("'alias/bakery' does not exist in us-west-2" in problem for problem in problems)
    assert aws.control.mutating_calls() == []


def test_a_disabled_region_is_not_called_beyond_describe_regions(aws, clients):
    aws.control.clear_calls()
    problems_of(clients, copy_regions=["ap-east-1"])
    assert [call for call in aws.control.calls() if call["region"] == "ap-east-1"] == []


def test_an_opted_in_region_passes(aws, clients):
    aws.control.configure(region_opt_in_status={"ap-east-1": "opted-in"})
    assert preflight(clients, copy_regions=["ap-east-1"])["regions_checked"] == ["us-east-1", "ap-east-1"]


def test_a_copy_region_of_another_partition_is_refused(clients):
    problems = problems_of(clients, copy_regions=["cn-north-1"])
    assert problems == ["copy region cn-north-1 (copy_regions[0]) is in partition aws-cn, the home region us-east-1 in aws: an image cannot be copied out of its partition"]


def test_sharing_under_the_aws_managed_key_is_refused_in_every_region(clients):
    problems = problems_of(clients, copy_regions=["eu-west-1"], share_accounts=[ACCOUNT])
    assert len(problems) == 2
    assert all(problem.startswith("sharing with %s needs a customer managed key, but the default EBS key of" % ACCOUNT) for problem in problems)


def test_sharing_under_a_default_ebs_key_the_account_made_customer_managed_passes(aws, clients):
    key_id = customer_key(aws, "us-east-1")
    aws.client("ec2").modify_ebs_default_kms_key_id(KmsKeyId=key_id)
    assert preflight(clients, share_accounts=[ACCOUNT])["problems"] == []


def test_a_disabled_key_is_reported(aws, clients):
    key_id = customer_key(aws, "us-east-1")
    aws.client("kms").disable_key(KeyId=key_id)
    assert problems_of(clients, kms_key_id="alias/bakery") == ["kms_key_id (the build) 'alias/bakery' in us-east-1 is Disabled, not Enabled: EBS cannot encrypt with it"]


def test_a_key_arn_of_another_region_is_reported(aws, clients):
    key_arn = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    problems = problems_of(clients, copy_regions=[{"region": "eu-west-1", "kms_key_id": key_arn}])
    assert problems == ["copy_regions[0].kms_key_id %r is a key of us-east-1, but is used in eu-west-1: KMS keys are regional, give eu-west-1 a key of its own" % key_arn]


def test_too_many_tags_after_the_lineage_tags_are_reported_counting_the_copy_tag(clients):
    tags = dict(LINEAGE_TAGS, **{"extra-%02d" % number: "x" for number in range(47)})
    assert len(tags) == 50
    assert preflight(clients, image_tags=tags)["problems"] == []
    problems = problems_of(clients, image_tags=tags, copy_regions=["eu-west-1"])
    assert problems == ["image_tags: the image would carry 50 tags (the lineage tags and the extra image tags), its copies one more (bakery:source-image); AWS allows 50 per resource: drop 1 of the extra tags"]


def test_tag_keys_and_values_beyond_aws_limits_are_reported(clients):
    problems = problems_of(clients, image_tags={"k" * 129: "v", "bakery:roles": "r" * 257, "aws:owner": "me"})
    assert len(problems) == 3


def in_days(days):
    return (datetime.now(timezone.utc) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("deprecate_at, passes", [
    ("180d", True), ("10y", True), ("never", True), ("11y", False), ("0d", False), ("2020-01-01T00:00:00Z", False),
    ("in 30 days", True), ("in 3700 days", False), ("soon", False),
])
def test_deprecation_times_within_aws_limits_pass_and_others_are_reported(clients, deprecate_at, passes):
    if deprecate_at.startswith("in "):
        deprecate_at = in_days(int(deprecate_at.split()[1]))
    if passes:
        assert preflight(clients, deprecate_at=deprecate_at)["problems"] == []
    else:
        assert len(problems_of(clients, deprecate_at=deprecate_at)) == 1


def test_a_missing_subnet_is_reported(clients):
    problems = problems_of(clients, builder={"instance_type": "t3.small", "subnet_id": "subnet-0123456789abcdef0"})
    assert problems == ["builder.subnet_id subnet-0123456789abcdef0 does not exist in us-east-1: give a subnet of that region"]


def test_no_default_vpc_asks_for_a_subnet(aws, clients):
    ec2 = aws.client("ec2")
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [default_vpc]}])["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    for gateway in ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [default_vpc]}])["InternetGateways"]:
        ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=default_vpc)
    ec2.delete_vpc(VpcId=default_vpc)

    problems = problems_of(clients)

    assert len(problems) == 1 and problems[0].startswith("us-east-1 has no default VPC and no subnet is given: set the builder's subnet")


def test_an_instance_type_not_offered_in_the_subnets_zone_is_reported(aws, clients):
    subnet = aws.client("ec2").describe_subnets(Filters=[{"Name": "availability-zone", "Values": ["us-east-1e"]}])["Subnets"][0]["SubnetId"]
    offered = aws.client("ec2").describe_instance_type_offerings(
        LocationType="availability-zone", Filters=[{"Name": "instance-type", "Values": ["t3.small"]}, {"Name": "location", "Values": ["us-east-1e"]}])
    assert offered["InstanceTypeOfferings"] == []  # the arrangement: moto offers no t3 in us-east-1e

    problems = problems_of(clients, builder={"instance_type": "t3.small", "subnet_id": subnet})

    assert problems == ["instance type t3.small is not offered in us-east-1e (the zone of subnet %s) of us-east-1: choose another builder instance type, or a subnet in a zone that offers it" % subnet]


def test_a_source_image_that_does_not_exist_is_reported(clients):
    assert problems_of(clients, source_image_id="ami-0123456789abcdef0") == [
        "source_image_id ami-0123456789abcdef0 does not exist in us-east-1 (or is not visible to this account)"]


def test_a_denied_copy_is_named_as_a_missing_permission_in_each_copy_region(aws, clients):
    aws.control.configure(denied_actions=["ec2:CopyImage"])
    with pytest.raises(PreflightFailedError) as raised:
        preflight(clients, copy_regions=["eu-west-1", "us-west-2"])
    result = raised.value.result
    assert result["missing_actions"] == ["ec2:CopyImage"]
    assert [problem.split(" (")[0] for problem in result["problems"]] == [
        "missing IAM permission ec2:CopyImage in eu-west-1", "missing IAM permission ec2:CopyImage in us-west-2"]
    assert result["probes"]["ec2:RunInstances@us-east-1"] == "allowed"


def test_a_denied_read_the_preflight_needs_is_a_missing_permission_too(aws, clients):
    aws.control.configure(denied_actions=["kms:DescribeKey"])
    with pytest.raises(PreflightFailedError) as raised:
        preflight(clients)
    assert raised.value.result["missing_actions"] == ["kms:DescribeKey"]


def test_an_automation_patch_checks_no_builder(aws, clients):
    aws.control.configure(denied_actions=["ec2:RunInstances"])
    result = preflight(clients, builder=None)
    assert "ec2:RunInstances@us-east-1" not in result["probes"]


def test_malformed_options_are_all_refused_before_any_call(aws, clients):
    aws.control.clear_calls()
    with pytest.raises(InvalidInputError) as raised:
        preflight(clients, copy_regions=["eu-west-1", "xx-nowhere-1"], share_accounts=["12345"])
    assert str(raised.value).startswith("copy_regions[1].region 'xx-nowhere-1' is not a region this botocore knows for EC2; and: share_accounts[0] '12345'")
    assert aws.control.calls() == []
