"""Fixtures and helpers for the emulator's own tests.

Several accounts: moto 5.2.5 keeps EC2/KMS/... state per account and takes the account from the
request's credentials (moto/core/responses.py `get_current_account`): the `MOTO_ACCOUNT_ID`
environment variable (process-wide, so never set it here), else an `x-moto-account-id` header, else
the account whose IAM backend holds the access key id, else 123456789012 (`ACCOUNT`). A 12-digit access
key id is NOT read as an account id (that is LocalStack's convention, not moto's). Access keys land in
an account's IAM backend through IAM CreateAccessKey or STS AssumeRole, which creates temporary
credentials in the account of the role ARN (the role itself need not exist).

  client_as(aws, account_id, service="ec2", region="us-east-1", **botocore_config)
      a boto3 client signed with credentials of `account_id`, from STS AssumeRole of
      arn:aws:iam::<account_id>:role/bakery-emulator-tests. Make it after the `aws` fixture's reset
      (a reset forgets the credentials) and before `aws.control.clear_calls()` if a test counts calls
      (the AssumeRole call is recorded).
  other_ec2 (fixture)   an EC2 client in us-east-1 as OTHER_ACCOUNT (222222222222).
"""

import pytest

from tests.emulator.pytest_plugin import DEFAULT_REGION, aws, emulator  # noqa: F401  (fixtures)

DEBIAN_12_AMD64 = "ami-0de12a0d640000002"
ACCOUNT = "123456789012"
OTHER_ACCOUNT = "222222222222"
ROLE_NAME = "bakery-emulator-tests"


def client_as(aws, account_id: str, service: str = "ec2", region: str = DEFAULT_REGION, **config_options):
    """A boto3 client for the emulator acting as ``account_id`` (STS AssumeRole into that account)."""
    import boto3
    from botocore.config import Config

    credentials = aws.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/{ROLE_NAME}", RoleSessionName="emulator-tests"
    )["Credentials"]
    config = Config(**{"retries": {"mode": "standard", "max_attempts": 10}, **config_options})
    return boto3.session.Session().client(
        service,
        region_name=region,
        endpoint_url=aws.endpoint_url,
        config=config,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


@pytest.fixture
def ec2(aws):
    return aws.client("ec2")


@pytest.fixture
def other_ec2(aws):
    return client_as(aws, OTHER_ACCOUNT)


@pytest.fixture
def instance_id(ec2):
    """A running builder instance launched from the newest Debian 12 amd64 fixture image."""
    return ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]


@pytest.fixture
def snapshot_id(ec2):
    volume = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a")
    return ec2.create_snapshot(VolumeId=volume["VolumeId"])["SnapshotId"]


def describe_image(ec2, image_id: str) -> dict:
    return ec2.describe_images(ImageIds=[image_id])["Images"][0]


def error_code(caught) -> str:
    return caught.value.response["Error"]["Code"]
