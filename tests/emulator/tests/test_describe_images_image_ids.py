"""DescribeImages refuses malformed image ids with InvalidAMIID.Malformed (extensions/describe_images_image_ids.py)."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import DEBIAN_12_AMD64


def error_code_for(ec2, image_ids):
    with pytest.raises(ClientError) as raised:
        ec2.describe_images(ImageIds=image_ids)
    return raised.value.response["Error"]["Code"]


@pytest.mark.parametrize("image_id", ["ami-xyz", "ami-123", "ami-0DE12A0D640000002", "ami-0de12a0d6400000021", "ami-"])
def test_a_malformed_image_id_is_invalid_ami_id_malformed(ec2, image_id):
    assert error_code_for(ec2, [image_id]) == "InvalidAMIID.Malformed"


def test_one_malformed_id_among_good_ones_fails_the_call(ec2):
    assert error_code_for(ec2, [DEBIAN_12_AMD64, "ami-xyz"]) == "InvalidAMIID.Malformed"


@pytest.mark.parametrize("image_id", ["ami-0123456789abcdef0", "ami-12345678"])
def test_a_well_formed_unknown_id_is_still_not_found(ec2, image_id):
    assert error_code_for(ec2, [image_id]) == "InvalidAMIID.NotFound"
