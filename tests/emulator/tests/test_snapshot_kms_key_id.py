"""extensions/snapshot_kms_key_id.py: encrypted snapshots carry their KmsKeyId (CreateSnapshot, CreateImage,
RegisterImage of such snapshots, CopySnapshot)."""

import pytest

from tests.emulator.tests.conftest import DEBIAN_12_AMD64, describe_image


@pytest.fixture
def key_arn(aws):
    return aws.client("kms").create_key()["KeyMetadata"]["Arn"]


def aws_managed_ebs_key(aws, region="us-east-1"):
    return aws.client("kms", region=region).describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["Arn"]


def snapshot(ec2, snapshot_id):
    return ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]


def snapshot_of_volume(ec2, **volume):
    volume_id = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a", **volume)["VolumeId"]
    return ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"]


def instance_with_root_volume(ec2, **ebs):
    mapping = {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 12, "VolumeType": "gp3", "DeleteOnTermination": True, **ebs}}
    return ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1, BlockDeviceMappings=[mapping])["Instances"][0]["InstanceId"]


def root_snapshot(ec2, image_id):
    return snapshot(ec2, describe_image(ec2, image_id)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"])


def test_a_snapshot_of_a_volume_encrypted_with_a_customer_key_carries_that_key(ec2, key_arn):
    described = snapshot(ec2, snapshot_of_volume(ec2, Encrypted=True, KmsKeyId=key_arn))
    assert (described["Encrypted"], described["KmsKeyId"]) == (True, key_arn)


def test_a_snapshot_of_a_volume_encrypted_by_default_carries_the_aws_managed_key(aws, ec2):
    described = snapshot(ec2, snapshot_of_volume(ec2, Encrypted=True))
    assert (described["Encrypted"], described["KmsKeyId"]) == (True, aws_managed_ebs_key(aws))


def test_a_snapshot_of_an_unencrypted_volume_has_no_key(ec2):
    described = snapshot(ec2, snapshot_of_volume(ec2))
    assert described["Encrypted"] is False and "KmsKeyId" not in described


def test_create_image_of_an_encrypted_root_volume_gives_an_encrypted_root_snapshot_under_its_key(ec2, key_arn):
    image_id = ec2.create_image(InstanceId=instance_with_root_volume(ec2, Encrypted=True, KmsKeyId=key_arn), Name="encrypted-root")["ImageId"]

    mapping = describe_image(ec2, image_id)["BlockDeviceMappings"][0]
    described = root_snapshot(ec2, image_id)

    assert mapping["Ebs"]["Encrypted"] is True
    assert (described["Encrypted"], described["KmsKeyId"], described["VolumeSize"]) == (True, key_arn, 12)


def test_create_image_of_an_unencrypted_instance_gives_an_unencrypted_snapshot_of_the_root_volume_size(ec2):
    image_id = ec2.create_image(InstanceId=instance_with_root_volume(ec2), Name="plain-root")["ImageId"]

    described = root_snapshot(ec2, image_id)

    assert describe_image(ec2, image_id)["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is False
    assert (described["Encrypted"], described["VolumeSize"]) == (False, 12)
    assert "KmsKeyId" not in described


def test_register_image_of_an_encrypted_snapshot_keeps_the_snapshots_key(ec2, key_arn):
    snapshot_id = snapshot_of_volume(ec2, Encrypted=True, KmsKeyId=key_arn)
    image_id = ec2.register_image(
        Name="registered-encrypted",
        Architecture="x86_64",
        RootDeviceName="/dev/xvda",
        VirtualizationType="hvm",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id}}],
    )["ImageId"]

    assert describe_image(ec2, image_id)["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True
    assert root_snapshot(ec2, image_id)["KmsKeyId"] == key_arn


def test_copy_snapshot_of_an_encrypted_snapshot_uses_the_destinations_default_key(aws, ec2, key_arn):
    source_id = snapshot_of_volume(ec2, Encrypted=True, KmsKeyId=key_arn)
    eu = aws.client("ec2", region="eu-west-1")

    copy_id = eu.copy_snapshot(SourceSnapshotId=source_id, SourceRegion="us-east-1")["SnapshotId"]

    assert (snapshot(eu, copy_id)["Encrypted"], snapshot(eu, copy_id)["KmsKeyId"]) == (True, aws_managed_ebs_key(aws, "eu-west-1"))


def test_copy_snapshot_with_a_key_alias_carries_the_keys_arn(aws, ec2):
    eu = aws.client("ec2", region="eu-west-1")
    kms = aws.client("kms", region="eu-west-1")
    eu_key_arn = kms.create_key()["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/bakery-snapshots", TargetKeyId=eu_key_arn)

    copy_id = eu.copy_snapshot(SourceSnapshotId=snapshot_of_volume(ec2), SourceRegion="us-east-1", Encrypted=True, KmsKeyId="alias/bakery-snapshots")["SnapshotId"]

    assert (snapshot(eu, copy_id)["Encrypted"], snapshot(eu, copy_id)["KmsKeyId"]) == (True, eu_key_arn)
