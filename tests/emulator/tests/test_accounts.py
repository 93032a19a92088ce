"""The several-accounts helpers of tests/emulator/tests/conftest.py (client_as, other_ec2), and how moto 5.2.5
maps credentials to accounts: state is per account, and a 12-digit access key id is not an account id."""

from tests.emulator.tests.conftest import ACCOUNT, OTHER_ACCOUNT, client_as


def test_client_as_acts_as_the_given_account(aws, other_ec2):
    assert client_as(aws, OTHER_ACCOUNT, "sts").get_caller_identity()["Account"] == OTHER_ACCOUNT
    assert aws.client("sts").get_caller_identity()["Account"] == ACCOUNT


def test_each_account_has_its_own_resources(ec2, other_ec2):
    other_ec2.create_key_pair(KeyName="builder")
    assert [pair["KeyName"] for pair in other_ec2.describe_key_pairs()["KeyPairs"]] == ["builder"]
    assert ec2.describe_key_pairs()["KeyPairs"] == []


def test_a_twelve_digit_access_key_id_is_not_read_as_an_account(aws):
    import boto3

    sts = boto3.session.Session().client(
        "sts", region_name="us-east-1", endpoint_url=aws.endpoint_url, aws_access_key_id=OTHER_ACCOUNT, aws_secret_access_key="testing"
    )
    assert sts.get_caller_identity()["Account"] == ACCOUNT
