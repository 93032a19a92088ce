"""DescribeImages filter names: unknown or unimplemented ones answer EC2's InvalidParameterValue
(extensions/describe_images_filters.py), implemented ones filter."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import DEBIAN_12_AMD64


def refusal_of(ec2, name, values=("x",)):
    with pytest.raises(ClientError) as raised:
        ec2.describe_images(Filters=[{"Name": name, "Values": list(values)}])
    return raised.value.response


def register_bare_image(ec2, snapshot_id):
    """An image registered with nothing but its root: no description, boot mode or ENA support."""
    return ec2.register_image(
        Name="bare-image",
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id}}],
    )["ImageId"]


def test_an_unknown_filter_name_answers_invalid_parameter_value_with_http_400(ec2):
    response = refusal_of(ec2, "bogus")
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == ("InvalidParameterValue", 400)
    assert response["Error"]["Message"] == "The filter 'bogus' is invalid"


def test_an_unknown_filter_name_is_not_retried_as_a_server_error(aws, ec2):
    refusal_of(ec2, "bogus")
    assert aws.control.counts()["ec2:DescribeImages"] == 1


def test_a_documented_filter_the_emulator_cannot_evaluate_is_refused_and_says_so(ec2):
    response = refusal_of(ec2, "block-device-mapping.snapshot-id", ["snap-0123456789abcdef0"])
    assert response["Error"]["Code"] == "InvalidParameterValue"
    assert "not implemented by the bakery emulator" in response["Error"]["Message"]


def test_tag_value_is_no_longer_a_describe_images_filter(ec2):
    assert refusal_of(ec2, "tag-value")["Error"]["Code"] == "InvalidParameterValue"


def test_a_bare_tag_prefix_is_not_a_filter_name(ec2):
    assert refusal_of(ec2, "tag:")["Error"]["Code"] == "InvalidParameterValue"


def test_implemented_filters_pass_through_to_moto(ec2):
    ec2.create_tags(Resources=[DEBIAN_12_AMD64], Tags=[{"Key": "team", "Value": "web"}])
    images = ec2.describe_images(
        Filters=[{"Name": "architecture", "Values": ["x86_64"]}, {"Name": "tag:team", "Values": ["web"]}, {"Name": "image-type", "Values": ["machine"]}]
    )["Images"]
    assert [image["ImageId"] for image in images] == [DEBIAN_12_AMD64]


def test_creation_date_takes_a_wildcard_for_a_whole_day(ec2):
    images = ec2.describe_images(Filters=[{"Name": "creation-date", "Values": ["2025-05-10T*"]}, {"Name": "architecture", "Values": ["x86_64"]}])["Images"]
    assert [image["ImageId"] for image in images] == [DEBIAN_12_AMD64]


def test_creation_date_matches_the_time_describe_images_shows(ec2):
    shown = ec2.describe_images(ImageIds=[DEBIAN_12_AMD64])["Images"][0]["CreationDate"]
    images = ec2.describe_images(Filters=[{"Name": "creation-date", "Values": [shown]}])["Images"]
    assert [image["ImageId"] for image in images] == [DEBIAN_12_AMD64]


@pytest.mark.parametrize(("name", "value"), [("boot-mode", "uefi"), ("ena-support", "true")])
def test_an_image_without_the_filtered_value_matches_nothing_instead_of_failing(ec2, snapshot_id, name, value):
    register_bare_image(ec2, snapshot_id)
    assert ec2.describe_images(Owners=["self"], Filters=[{"Name": name, "Values": [value]}])["Images"] == []


def test_ena_support_selects_the_images_that_declare_it(ec2):
    images = ec2.describe_images(Filters=[{"Name": "ena-support", "Values": ["true"]}, {"Name": "image-id", "Values": [DEBIAN_12_AMD64]}])["Images"]
    assert [image["ImageId"] for image in images] == [DEBIAN_12_AMD64]
