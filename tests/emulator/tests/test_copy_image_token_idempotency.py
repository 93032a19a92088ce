import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import describe_image


@pytest.fixture
def source_image_id(ec2, instance_id):
    return ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]


def _own_images(client):
    return client.describe_images(Owners=["self"])["Images"]


def test_repeated_client_token_returns_the_same_copy_and_copies_nothing(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    request = dict(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", ClientToken="token-1")
    first = eu.copy_image(**request)["ImageId"]
    second = eu.copy_image(**request)["ImageId"]
    assert first == second
    assert [image["ImageId"] for image in _own_images(eu)] == [first]


def test_same_token_with_other_parameters_is_a_mismatch(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", ClientToken="token-1")
    with pytest.raises(ClientError) as error:
        eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="other", ClientToken="token-1")
    assert error.value.response["Error"]["Code"] == "IdempotentParameterMismatch"


def test_tokens_are_scoped_to_the_region(aws, source_image_id):
    request = dict(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", ClientToken="token-1")
    eu = aws.client("ec2", region="eu-west-1").copy_image(**request)["ImageId"]
    ap = aws.client("ec2", region="ap-southeast-1").copy_image(**request)["ImageId"]
    assert eu != ap


def test_copy_without_token_is_not_deduplicated(aws, source_image_id):
    eu = aws.client("ec2", region="eu-west-1")
    eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy-a")
    eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy-b")
    assert len(_own_images(eu)) == 2


def test_copy_is_pending_until_the_configured_time_has_passed(aws, source_image_id):
    aws.control.configure(pending_seconds=30)
    eu = aws.client("ec2", region="eu-west-1")
    copy_id = eu.copy_image(SourceImageId=source_image_id, SourceRegion="us-east-1", Name="copy", ClientToken="t")["ImageId"]
    assert describe_image(eu, copy_id)["State"] == "pending"
