"""extensions/image_owner_only_actions.py: only the owner may modify, deregister, deprecate, protect, disable or
enable an AMI. Another account gets AuthFailure on an AMI it can see (public or shared with it) and
InvalidAMIID.NotFound on one it cannot see. Tagging a shared AMI is allowed, and the tags are the tagger's own.
Copying another account's AMI needs create-volume permission on its snapshots."""

from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import ACCOUNT, DEBIAN_12_AMD64, OTHER_ACCOUNT, describe_image, error_code

IN_A_MONTH = (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:00Z")
OWNER_ONLY_CALLS = {
    "modify_image_attribute": lambda ec2, image_id: ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": "333344445555"}]}),
    "modify_image_attribute_description": lambda ec2, image_id: ec2.modify_image_attribute(ImageId=image_id, Description={"Value": "mine now"}),
    "deregister_image": lambda ec2, image_id: ec2.deregister_image(ImageId=image_id),
    "enable_image_deprecation": lambda ec2, image_id: ec2.enable_image_deprecation(ImageId=image_id, DeprecateAt=IN_A_MONTH),
    "disable_image_deprecation": lambda ec2, image_id: ec2.disable_image_deprecation(ImageId=image_id),
    "enable_image_deregistration_protection": lambda ec2, image_id: ec2.enable_image_deregistration_protection(ImageId=image_id),
    "disable_image_deregistration_protection": lambda ec2, image_id: ec2.disable_image_deregistration_protection(ImageId=image_id),
    "disable_image": lambda ec2, image_id: ec2.disable_image(ImageId=image_id),
    "enable_image": lambda ec2, image_id: ec2.enable_image(ImageId=image_id),
    "describe_image_attribute_launch_permission": lambda ec2, image_id: ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission"),
}


@pytest.fixture
def image_id(ec2, instance_id):
    """An image of the default account, shared with OTHER_ACCOUNT."""
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    ec2.create_tags(Resources=[image_id], Tags=[{"Key": "team", "Value": "owner"}])
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}]})
    return image_id


@pytest.mark.parametrize("call", sorted(OWNER_ONLY_CALLS))
def test_an_account_an_image_is_shared_with_is_not_authorized_to_change_it(ec2, other_ec2, image_id, call):
    before = describe_image(ec2, image_id)

    with pytest.raises(ClientError) as caught:
        OWNER_ONLY_CALLS[call](other_ec2, image_id)

    assert error_code(caught) == "AuthFailure"
    assert caught.value.response["Error"]["Message"] == f"Not authorized for image:{image_id}"
    assert describe_image(ec2, image_id) == before
    assert ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"] == [{"UserId": OTHER_ACCOUNT}]


@pytest.mark.parametrize("call", sorted(OWNER_ONLY_CALLS))
def test_an_image_not_shared_with_the_caller_does_not_exist_for_it(ec2, other_ec2, image_id, call):
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Remove": [{"UserId": OTHER_ACCOUNT}]})

    with pytest.raises(ClientError) as caught:
        OWNER_ONLY_CALLS[call](other_ec2, image_id)

    assert error_code(caught) == "InvalidAMIID.NotFound"
    assert describe_image(ec2, image_id)["State"] == "available"


@pytest.mark.parametrize("call", sorted(set(OWNER_ONLY_CALLS) - {"enable_image"}))
def test_nobody_but_the_publisher_may_change_a_public_fixture_image(ec2, call):
    before = describe_image(ec2, DEBIAN_12_AMD64)

    with pytest.raises(ClientError) as caught:
        OWNER_ONLY_CALLS[call](ec2, DEBIAN_12_AMD64)

    assert error_code(caught) == "AuthFailure"
    assert describe_image(ec2, DEBIAN_12_AMD64) == before


def test_the_owner_still_may(ec2, image_id):
    ec2.enable_image_deprecation(ImageId=image_id, DeprecateAt=IN_A_MONTH)
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Remove": [{"UserId": OTHER_ACCOUNT}]})
    ec2.deregister_image(ImageId=image_id)
    assert ec2.describe_images(Owners=["self"])["Images"] == []


def test_tags_on_a_shared_image_are_each_accounts_own(ec2, other_ec2, image_id):
    other_ec2.create_tags(Resources=[image_id], Tags=[{"Key": "team", "Value": "consumer"}, {"Key": "approved", "Value": "yes"}])

    seen_by_other = describe_image(other_ec2, image_id)
    seen_by_owner = describe_image(ec2, image_id)

    assert seen_by_other["OwnerId"] == ACCOUNT
    assert sorted((tag["Key"], tag["Value"]) for tag in seen_by_other["Tags"]) == [("approved", "yes"), ("team", "consumer")]
    assert seen_by_owner["Tags"] == [{"Key": "team", "Value": "owner"}]
    assert [image["ImageId"] for image in other_ec2.describe_images(Filters=[{"Name": "tag:approved", "Values": ["yes"]}])["Images"]] == [image_id]


def snapshot_of(ec2, image_id):
    return describe_image(ec2, image_id)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]


def test_copying_a_shared_image_needs_access_to_its_snapshots(ec2, other_ec2, image_id):
    with pytest.raises(ClientError) as caught:
        other_ec2.copy_image(SourceImageId=image_id, SourceRegion="us-east-1", Name="my-copy")

    assert error_code(caught) == "AuthFailure"
    assert caught.value.response["Error"]["Message"] == "You do not have permission to access the storage of this ami"
    assert other_ec2.describe_images(Owners=["self"])["Images"] == []


def test_a_shared_image_whose_snapshots_are_shared_too_can_be_copied_and_the_copy_is_the_callers(ec2, other_ec2, image_id):
    ec2.modify_snapshot_attribute(
        SnapshotId=snapshot_of(ec2, image_id), Attribute="createVolumePermission", CreateVolumePermission={"Add": [{"UserId": OTHER_ACCOUNT}]}
    )

    copy_id = other_ec2.copy_image(SourceImageId=image_id, SourceRegion="us-east-1", Name="my-copy")["ImageId"]

    copy = describe_image(other_ec2, copy_id)
    assert (copy["OwnerId"], copy["Name"]) == (OTHER_ACCOUNT, "my-copy")
    assert snapshot_of(other_ec2, copy_id) != snapshot_of(ec2, image_id)
    other_ec2.modify_image_attribute(ImageId=copy_id, LaunchPermission={"Add": [{"UserId": "333344445555"}]})
