"""extensions/region_opt_in.py: DescribeRegions tells the enabled regions of the caller's partition; a disabled region
answers no call."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import error_code


def regions(ec2, **params):
    return {region["RegionName"]: region["OptInStatus"] for region in ec2.describe_regions(**params)["Regions"]}


def test_default_regions_need_no_opt_in_and_opt_in_regions_say_whether_they_are_enabled(ec2):
    every = regions(ec2, AllRegions=True)
    assert every["us-east-1"] == every["eu-west-1"] == every["ap-northeast-3"] == "opt-in-not-required"
    assert every["af-south-1"] == every["eu-south-1"] == "opted-in"
    assert every["ap-east-1"] == every["me-south-1"] == "not-opted-in"


def test_without_all_regions_only_the_enabled_regions_are_listed(ec2):
    enabled = regions(ec2)
    assert "us-east-1" in enabled and "af-south-1" in enabled
    assert "ap-east-1" not in enabled and set(enabled.values()) <= {"opt-in-not-required", "opted-in"}


def test_only_the_regions_of_the_callers_partition_are_listed(aws, ec2):
    every = regions(ec2, AllRegions=True)
    assert not [name for name in every if name.startswith(("cn-", "us-gov-"))]
    assert set(regions(aws.client("ec2", region="cn-north-1"), AllRegions=True)) == {"cn-north-1", "cn-northwest-1"}


def test_a_configured_opt_in_status_changes_the_answer(aws, ec2):
    aws.control.configure(region_opt_in_status={"ap-east-1": "opted-in", "eu-south-1": "not-opted-in"})
    every = regions(ec2, AllRegions=True)
    assert (every["ap-east-1"], every["eu-south-1"]) == ("opted-in", "not-opted-in")
    assert "eu-south-1" not in regions(ec2)


def test_named_regions_are_answered_enabled_or_not(ec2):
    assert regions(ec2, RegionNames=["ap-east-1", "us-east-1"]) == {"ap-east-1": "not-opted-in", "us-east-1": "opt-in-not-required"}


def test_the_documented_filters_apply_and_others_are_refused(ec2):
    assert regions(ec2, AllRegions=True, Filters=[{"Name": "opt-in-status", "Values": ["opted-in"]}]).keys() >= {"af-south-1"}
    assert set(regions(ec2, Filters=[{"Name": "region-name", "Values": ["eu-west-1"]}])) == {"eu-west-1"}
    with pytest.raises(ClientError) as raised:
        ec2.describe_regions(Filters=[{"Name": "colour", "Values": ["blue"]}])
    assert error_code(raised) == "InvalidParameterValue"


def test_a_region_name_outside_the_partition_is_refused(ec2):
    with pytest.raises(ClientError) as raised:
        ec2.describe_regions(RegionNames=["cn-north-1"])
    assert error_code(raised) == "InvalidParameterValue"


@pytest.mark.parametrize("service, call, code, status", [
    ("ec2", lambda client: client.describe_images(Owners=["self"]), "AuthFailure", 401),
    ("kms", lambda client: client.list_keys(), "UnrecognizedClientException", 400),
    ("autoscaling", lambda client: client.describe_auto_scaling_groups(), "InvalidClientTokenId", 403),
])
def test_a_call_in_a_region_not_enabled_is_refused(aws, service, call, code, status):
    client = aws.client(service, region="ap-east-1", retries={"max_attempts": 1})
    with pytest.raises(ClientError) as raised:
        call(client)
    assert (error_code(raised), raised.value.response["ResponseMetadata"]["HTTPStatusCode"]) == (code, status)


def test_a_call_in_an_opted_in_region_works(aws):
    aws.control.configure(region_opt_in_status={"ap-east-1": "opted-in"})
    assert aws.client("ec2", region="ap-east-1").describe_images(Owners=["self"])["Images"] == []


def test_a_default_region_cannot_be_disabled_and_saying_so_fails_every_call(aws):
    aws.control.configure(region_opt_in_status={"us-west-2": "not-opted-in"})
    with pytest.raises(ClientError) as raised:
        aws.client("ec2", retries={"max_attempts": 1}).describe_regions()
    assert error_code(raised) == "InternalError" and "us-west-2" in raised.value.response["Error"]["Message"]
