"""extensions/ami_quotas.py: at most 5 public AMIs per account and region, an AMI shared with at most 1,000
entities (accounts, organizations, OUs), whatever the account profile."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import error_code

ORGANIZATION = "arn:aws:organizations::123456789012:organization/o-abcdefghij"
UNIT = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefgh34"
ACCOUNTS = ["%012d" % (400000000000 + index) for index in range(1001)]


@pytest.fixture
def images(ec2, instance_id):
    return [ec2.create_image(InstanceId=instance_id, Name="web-server-%03d" % index)["ImageId"] for index in range(6)]


def make_public(ec2, image_id):
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"Group": "all"}]})


def launch_permissions(ec2, image_id):
    return ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]


def test_a_sixth_public_image_in_a_region_is_refused(ec2, images):
    for image_id in images[:5]:
        make_public(ec2, image_id)

    with pytest.raises(ClientError) as caught:
        make_public(ec2, images[5])

    assert error_code(caught) == "ResourceLimitExceeded"
    assert caught.value.response["Error"]["Message"].startswith("You have reached your quota of 5 for the number of public images allowed in this Region.")
    assert launch_permissions(ec2, images[5]) == []


def test_making_one_private_frees_a_place(ec2, images):
    for image_id in images[:5]:
        make_public(ec2, image_id)
    ec2.modify_image_attribute(ImageId=images[0], LaunchPermission={"Remove": [{"Group": "all"}]})

    make_public(ec2, images[5])

    assert launch_permissions(ec2, images[5]) == [{"Group": "all"}]


def test_an_image_already_public_can_be_modified_at_the_quota(ec2, images):
    for image_id in images[:5]:
        make_public(ec2, image_id)
    ec2.modify_image_attribute(ImageId=images[0], LaunchPermission={"Add": [{"Group": "all"}, {"UserId": ACCOUNTS[0]}]})
    assert {"UserId": ACCOUNTS[0]} in launch_permissions(ec2, images[0])


def test_the_public_quota_is_per_region(aws, ec2, images):
    for image_id in images[:5]:
        make_public(ec2, image_id)
    eu = aws.client("ec2", region="eu-west-1")
    copy_id = eu.copy_image(SourceImageId=images[5], SourceRegion="us-east-1", Name="web-server-005")["ImageId"]
    make_public(eu, copy_id)
    assert launch_permissions(eu, copy_id) == [{"Group": "all"}]


def test_the_public_quota_applies_to_new_accounts_too(aws, ec2, images):
    aws.control.configure(account_profile="new")
    ec2.disable_image_block_public_access()
    for image_id in images[:5]:
        make_public(ec2, image_id)
    with pytest.raises(ClientError) as caught:
        make_public(ec2, images[5])
    assert error_code(caught) == "ResourceLimitExceeded"


def test_an_image_can_be_shared_with_1000_entities_but_not_more(ec2, images):
    image_id = images[0]
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": account} for account in ACCOUNTS[:998]]})
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"OrganizationArn": ORGANIZATION}, {"OrganizationalUnitArn": UNIT}]})
    assert len(launch_permissions(ec2, image_id)) == 1000

    with pytest.raises(ClientError) as caught:
        ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": ACCOUNTS[1000]}]})

    assert error_code(caught) == "ResourceLimitExceeded"
    assert len(launch_permissions(ec2, image_id)) == 1000
    # At the quota, replacing one entity by another in one request and going public are still allowed.
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": ACCOUNTS[1000]}], "Remove": [{"UserId": ACCOUNTS[0]}]})
    make_public(ec2, image_id)
    assert len(launch_permissions(ec2, image_id)) == 1001


def test_more_than_1000_entities_in_one_request_are_refused(ec2, images):
    with pytest.raises(ClientError) as caught:
        ec2.modify_image_attribute(ImageId=images[0], LaunchPermission={"Add": [{"UserId": account} for account in ACCOUNTS]})
    assert error_code(caught) == "ResourceLimitExceeded"
    assert launch_permissions(ec2, images[0]) == []


def test_a_raised_sharing_quota_allows_more_entities(aws, ec2, images):
    aws.control.configure(ami_sharing_quota=1001)
    ec2.modify_image_attribute(ImageId=images[0], LaunchPermission={"Add": [{"UserId": account} for account in ACCOUNTS]})
    assert len(launch_permissions(ec2, images[0])) == 1001
