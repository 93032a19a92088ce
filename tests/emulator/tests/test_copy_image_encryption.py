"""CopyImage Encrypted/KmsKeyId (extensions/copy_image_encryption.py) and the AWS managed EBS key it
falls back to (extensions/kms_aws_managed_keys.py)."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import describe_image


@pytest.fixture
def source_image_id(ec2, instance_id):
    return ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]


def _snapshot(client, image):
    snapshot_id = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    return client.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]


def test_copy_with_a_customer_key_encrypts_the_copys_snapshot_with_that_key(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    key_arn = aws.client("kms", region="eu-west-1").create_key()["KeyMetadata"]["Arn"]
    copy_id = eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", Encrypted=True, KmsKeyId=key_arn)["ImageId"]
    image = describe_image(eu, copy_id)
    snapshot = _snapshot(eu, image)
    assert image["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True
    assert snapshot["Encrypted"] is True
    assert snapshot["KmsKeyId"] == key_arn


def test_copy_with_a_key_alias_uses_the_aliased_key(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    kms = aws.client("kms", region="eu-west-1")
    key_arn = kms.create_key()["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/bakery", TargetKeyId=key_arn)
    copy_id = eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", Encrypted=True, KmsKeyId="alias/bakery")["ImageId"]
    assert _snapshot(eu, describe_image(eu, copy_id))["KmsKeyId"] == key_arn


def test_encrypted_copy_without_a_key_uses_the_aws_managed_ebs_key(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    copy_id = eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", Encrypted=True)["ImageId"]
    snapshot = _snapshot(eu, describe_image(eu, copy_id))
    key = aws.client("kms", region="eu-west-1").describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]
    assert snapshot["KmsKeyId"] == key["Arn"]
    assert key["KeyManager"] == "AWS"


def test_unencrypted_copy_of_an_unencrypted_image_stays_unencrypted(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    copy_id = eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy")["ImageId"]
    assert _snapshot(eu, describe_image(eu, copy_id))["Encrypted"] is False


def test_copy_has_snapshots_of_its_own(aws, ec2, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    copy_id = eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", Encrypted=True)["ImageId"]
    source_snapshot = _snapshot(ec2, describe_image(ec2, source_image_id))
    copy_snapshot = _snapshot(eu, describe_image(eu, copy_id))
    assert copy_snapshot["SnapshotId"] != source_snapshot["SnapshotId"]
    assert source_image_id in copy_snapshot["Description"]


def test_copy_with_an_unknown_key_fails_asynchronously(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    copy_id = eu.copy_image(
        SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", Encrypted=True,
        KmsKeyId="arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000",
    )["ImageId"]
    image = describe_image(eu, copy_id)
    assert image["State"] == "failed"
    assert "InvalidKMSKey" in image["StateReason"]["Message"]


def test_key_of_another_region_is_unknown_in_the_destination(aws, source_image_id):
    us_key = aws.client("kms", region="us-east-1").create_key()["KeyMetadata"]["Arn"]
    eu = aws.client("ec2", region="eu-west-1")
    copy_id = eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", Encrypted=True, KmsKeyId=us_key)["ImageId"]
    assert describe_image(eu, copy_id)["State"] == "failed"


def test_key_without_encrypted_is_refused(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    with pytest.raises(ClientError) as error:
        eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", KmsKeyId="alias/aws/ebs")
    assert error.value.response["Error"]["Code"] == "InvalidParameterDependency"
