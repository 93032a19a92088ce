import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import describe_image


@pytest.fixture
def source_image_id(ec2, instance_id):
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    ec2.create_tags(Resources=[image_id], Tags=[{"Key": "bakery:layer", "Value": "web-server-000"}, {"Key": "team", "Value": "web"}])
    return image_id


def _tags(resource):
    return {tag["Key"]: tag["Value"] for tag in resource.get("Tags", [])}


def test_copy_image_tags_copies_the_source_user_tags(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    copy_id = eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", CopyImageTags=True)["ImageId"]
    assert _tags(describe_image(eu, copy_id)) == {"bakery:layer": "web-server-000", "team": "web"}


def test_source_tags_are_not_copied_by_default(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    copy_id = eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy")["ImageId"]
    assert _tags(describe_image(eu, copy_id)) == {}


def test_tag_specifications_tag_the_image_and_its_snapshots_and_win_over_copied_tags(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    copy_id = eu.copy_image(
        SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", CopyImageTags=True,
        TagSpecifications=[
            {"ResourceType": "image", "Tags": [{"Key": "team", "Value": "platform"}]},
            {"ResourceType": "snapshot", "Tags": [{"Key": "bakery:source-image", "Value": "us-east-1/" + source_image_id}]},
        ],
    )["ImageId"]
    image = describe_image(eu, copy_id)
    snapshot_id = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    snapshot = eu.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]
    assert _tags(image) == {"bakery:layer": "web-server-000", "team": "platform"}
    assert _tags(snapshot) == {"bakery:source-image": "us-east-1/" + source_image_id}


def test_tag_specifications_for_other_resource_types_are_refused(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    with pytest.raises(ClientError) as error:
        eu.copy_image(
            SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy",
            TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "a", "Value": "b"}]}],
        )
    assert error.value.response["Error"]["Code"] == "InvalidParameterValue"
