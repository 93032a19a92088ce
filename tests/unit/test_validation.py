import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import (
    each_indexed,
    validate_account_id,
    validate_image_name,
    validate_organization_arn,
    validate_organizational_unit_arn,
    validate_region,
    validate_resource_id,
)


@pytest.mark.parametrize("value", ["ami-12345678", "ami-0123456789abcdef0"])
def test_image_ids_of_both_lengths_are_accepted(value):
    assert validate_resource_id("image_id", value, "image") == value


@pytest.mark.parametrize("value", ["ami-123", "snap-0123456789abcdef0", "AMI-0123456789ABCDEF0", "", None, 42])
def test_malformed_image_ids_are_refused_with_an_example(value):
    with pytest.raises(InvalidInputError) as error:
        validate_resource_id("image_id", value, "image")
    assert "image_id" in str(error.value)
    assert "ami-0123456789abcdef0" in str(error.value)


@pytest.mark.parametrize("name", ["web", "web-server-000 (2026) [x] ./'@_", "a" * 128])
def test_names_aws_accepts_are_accepted(name):
    assert validate_image_name("name", name) == name


@pytest.mark.parametrize("name", ["ab", "a" * 129, "web:server", "web#1", "naïve"])
def test_names_aws_rejects_are_refused(name):
    with pytest.raises(InvalidInputError, match="not a name AWS accepts"):
        validate_image_name("name", name)


def test_account_ids_must_have_twelve_digits():
    assert validate_account_id("accounts[0]", 123456789012) == "123456789012"
    with pytest.raises(InvalidInputError, match=r"accounts\[3\] '12345' is not a 12-digit AWS account id"):
        validate_account_id("accounts[3]", "12345")


@pytest.mark.parametrize("region", ["us-east-1", "ap-southeast-4", "us-gov-west-1", "eu-central-2"])
def test_region_names_are_accepted(region):
    assert validate_region("region", region) == region


@pytest.mark.parametrize("region", ["us-east", "US-EAST-1", "useast1", "mars-1"])
def test_malformed_region_names_are_refused(region):
    with pytest.raises(InvalidInputError, match="not an AWS region name"):
        validate_region("region", region)


def test_regions_botocore_does_not_know_are_refused():
    with pytest.raises(InvalidInputError, match="not a region"):
        validate_region("regions[0]", "xx-nowhere-9")


def test_organization_and_ou_arns():
    org = "arn:aws:organizations::123456789012:organization/o-abcdefghij"
    ou = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij"
    assert validate_organization_arn("organization_arns[0]", org) == org
    assert validate_organizational_unit_arn("organizational_unit_arns[0]", ou) == ou
    with pytest.raises(InvalidInputError, match="not an organization ARN"):
        validate_organization_arn("organization_arns[0]", ou)
    with pytest.raises(InvalidInputError, match="not an organizational unit ARN"):
        validate_organizational_unit_arn("organizational_unit_arns[0]", org)


def test_indexed_options_name_each_element():
    assert list(each_indexed("accounts", ["a", "b"])) == [("accounts[0]", "a"), ("accounts[1]", "b")]
