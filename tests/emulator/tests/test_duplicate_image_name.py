import pytest
from botocore.exceptions import ClientError


def error_code(error: pytest.ExceptionInfo) -> str:
    return error.value.response["Error"]["Code"]


def test_second_image_with_the_same_name_is_refused(ec2, instance_id):
    first = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    with pytest.raises(ClientError) as error:
        ec2.create_image(InstanceId=instance_id, Name="web-server-000")
    assert error_code(error) == "InvalidAMIName.Duplicate"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert [i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]] == [first]


def test_copy_into_a_region_that_has_the_name_is_refused(aws, ec2, instance_id):
    ec2.create_image(InstanceId=instance_id, Name="web-server-000")
    with pytest.raises(ClientError) as error:
        ec2.copy_image(SourceImageId="ami-0de12a0d640000002", SourceRegion="us-east-1", Name="web-server-000")
    assert error_code(error) == "InvalidAMIName.Duplicate"


def test_same_name_in_another_region_is_fine(aws, ec2, instance_id):
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    copy = aws.client("ec2", region="eu-west-1").copy_image(SourceImageId=image_id, SourceRegion="us-east-1", Name="web-server-000")
    assert copy["ImageId"].startswith("ami-")


def test_name_used_by_another_owner_is_fine(ec2, snapshot_id):
    image_id = ec2.register_image(
        Name="debian-12-amd64-20250510-2108", RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id}}],
    )["ImageId"]
    assert image_id.startswith("ami-")


@pytest.mark.parametrize("name", ["web server #1", "bake:001", "x" * 129])
def test_malformed_names_are_refused(ec2, instance_id, name):
    with pytest.raises(ClientError) as error:
        ec2.create_image(InstanceId=instance_id, Name=name)
    assert error_code(error) == "InvalidAMIName.Malformed"


def test_every_allowed_character_is_accepted(ec2, instance_id):
    name = "Web (x86) [v1.0] /base-'a'@b_c"
    image_id = ec2.create_image(InstanceId=instance_id, Name=name)["ImageId"]
    assert ec2.describe_images(ImageIds=[image_id])["Images"][0]["Name"] == name
