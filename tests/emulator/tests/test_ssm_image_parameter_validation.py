"""extensions/ssm_image_parameter_validation.py: aws:ec2:image values are validated; the data type cannot change."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.autoscaling_arrangements import own_image

NAME = "/bakery/web-server-003/latest"


@pytest.fixture
def ssm(aws):
    return aws.client("ssm")


def put(ssm, value, **extra):
    return ssm.put_parameter(Name=NAME, Value=value, Type="String", DataType="aws:ec2:image", **extra)


def test_an_existing_image_is_stored(ssm, ec2):
    image_id = own_image(ec2, "layer")

    assert put(ssm, image_id)["Version"] == 1

    parameter = ssm.get_parameter(Name=NAME)["Parameter"]
    assert (parameter["Value"], parameter["DataType"], parameter["Version"]) == (image_id, "aws:ec2:image", 1)


def test_an_image_missing_in_the_region_answers_success_and_stores_nothing(aws, ssm):
    image_id = own_image(aws.client("ec2", "eu-west-1"), "elsewhere")

    assert put(ssm, image_id)["Version"] == 1

    with pytest.raises(ClientError) as caught:
        ssm.get_parameter(Name=NAME)
    assert caught.value.response["Error"]["Code"] == "ParameterNotFound"


def test_a_rejected_update_keeps_the_previous_version(ssm, ec2):
    image_id = own_image(ec2, "layer")
    put(ssm, image_id)

    assert put(ssm, "ami-0123456789abcdef0", Overwrite=True)["Version"] == 2

    parameter = ssm.get_parameter(Name=NAME)["Parameter"]
    assert (parameter["Value"], parameter["Version"]) == (image_id, 1)


def test_a_well_formed_id_of_no_image_is_rejected(ssm):
    assert put(ssm, "ami-0fedcba9876543210")["Version"] == 1
    assert ssm.describe_parameters()["Parameters"] == []


def test_the_data_type_cannot_change_to_or_from_aws_ec2_image(ssm, ec2):
    image_id = own_image(ec2, "layer")
    ssm.put_parameter(Name="/plain", Value=image_id, Type="String", DataType="text")
    put(ssm, image_id)

    with pytest.raises(ClientError) as to_image:
        ssm.put_parameter(Name="/plain", Value=image_id, Type="String", DataType="aws:ec2:image", Overwrite=True)
    with pytest.raises(ClientError) as from_image:
        ssm.put_parameter(Name=NAME, Value="text now", Type="String", DataType="text", Overwrite=True)

    assert to_image.value.response["Error"]["Code"] == from_image.value.response["Error"]["Code"] == "ValidationException"
    assert "can't change" in from_image.value.response["Error"]["Message"]


def test_an_image_another_account_shared_with_this_one_is_stored(aws, ec2):
    from tests.emulator.tests.conftest import OTHER_ACCOUNT, client_as

    image_id = own_image(ec2, "layer")
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}]})
    other_ssm = client_as(aws, OTHER_ACCOUNT, "ssm")

    assert put(other_ssm, image_id)["Version"] == 1

    assert other_ssm.get_parameter(Name=NAME)["Parameter"]["Value"] == image_id
