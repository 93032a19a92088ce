"""extensions/aws_managed_key_sharing.py: an AMI or snapshot encrypted with the AWS managed key (alias/aws/ebs)
cannot be shared with accounts, organizations or OUs; one under a customer managed key can."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import DEBIAN_12_AMD64, error_code

PARTNER = "111122223333"
ORGANIZATION = "arn:aws:organizations::123456789012:organization/o-abcdefghij"
UNIT = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefgh34"


@pytest.fixture
def customer_key(aws):
    return aws.client("kms").create_key()["KeyMetadata"]["Arn"]


@pytest.fixture
def source_image_id(ec2, instance_id):
    return ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]


def encrypted_copy(ec2, source_image_id, **key):
    return ec2.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="encrypted-copy", Encrypted=True, **key)["ImageId"]


def launch_permissions(ec2, image_id):
    return ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]


def volume_permissions(ec2, snapshot_id):
    return ec2.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")["CreateVolumePermissions"]


def encrypted_snapshot(ec2, **key):
    volume_id = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a", Encrypted=True, **key)["VolumeId"]
    return ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"]


@pytest.mark.parametrize("principal", [{"UserId": PARTNER}, {"OrganizationArn": ORGANIZATION}, {"OrganizationalUnitArn": UNIT}])
def test_an_image_under_the_aws_managed_key_cannot_be_shared(ec2, source_image_id, principal):
    image_id = encrypted_copy(ec2, source_image_id)

    with pytest.raises(ClientError) as caught:
        ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [principal]})

    assert error_code(caught) == "InvalidParameter"
    assert "AWS Managed CMK" in caught.value.response["Error"]["Message"]
    assert launch_permissions(ec2, image_id) == []


def test_the_operation_type_form_is_refused_too(ec2, source_image_id):
    image_id = encrypted_copy(ec2, source_image_id)
    with pytest.raises(ClientError) as caught:
        ec2.modify_image_attribute(ImageId=image_id, Attribute="launchPermission", OperationType="add", UserIds=[PARTNER])
    assert error_code(caught) == "InvalidParameter"


def test_an_image_of_an_instance_with_a_default_encrypted_root_volume_cannot_be_shared(ec2):
    instance_id = ec2.run_instances(
        ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1, BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "Encrypted": True}}]
    )["Instances"][0]["InstanceId"]
    image_id = ec2.create_image(InstanceId=instance_id, Name="default-encrypted")["ImageId"]

    with pytest.raises(ClientError) as caught:
        ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": PARTNER}]})

    assert error_code(caught) == "InvalidParameter"


def test_an_image_under_a_customer_managed_key_can_be_shared(ec2, source_image_id, customer_key):
    image_id = encrypted_copy(ec2, source_image_id, KmsKeyId=customer_key)
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": PARTNER}, {"OrganizationArn": ORGANIZATION}]})
    assert launch_permissions(ec2, image_id) == [{"UserId": PARTNER}, {"OrganizationArn": ORGANIZATION}]


@pytest.mark.parametrize(
    "request_form",
    [
        {"CreateVolumePermission": {"Add": [{"UserId": PARTNER}]}},
        {"OperationType": "add", "UserIds": [PARTNER]},
    ],
    ids=["CreateVolumePermission", "OperationType"],
)
def test_a_snapshot_under_the_aws_managed_key_cannot_be_shared(ec2, request_form):
    snapshot_id = encrypted_snapshot(ec2)

    with pytest.raises(ClientError) as caught:
        ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission", **request_form)

    assert error_code(caught) == "OperationNotPermitted"
    assert "default key" in caught.value.response["Error"]["Message"]
    assert volume_permissions(ec2, snapshot_id) == []


def test_a_snapshot_under_a_customer_managed_key_can_be_shared(ec2, customer_key):
    snapshot_id = encrypted_snapshot(ec2, KmsKeyId=customer_key)
    ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission", CreateVolumePermission={"Add": [{"UserId": PARTNER}]})
    assert volume_permissions(ec2, snapshot_id) == [{"UserId": PARTNER}]
