"""extensions/snapshot_owner_only_actions.py: only a snapshot's owner may change its create-volume permissions.
Another account gets AuthFailure on a snapshot shared with it and InvalidSnapshot.NotFound on one it cannot see."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import DEBIAN_12_AMD64, OTHER_ACCOUNT, describe_image, error_code

THIRD = "333344445555"


def accounts(ec2, snapshot_id):
    permissions = ec2.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")["CreateVolumePermissions"]
    return sorted(permission["UserId"] for permission in permissions if "UserId" in permission)


def share_with_third(ec2, snapshot_id):
    ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission", CreateVolumePermission={"Add": [{"UserId": THIRD}]})


def test_an_account_a_snapshot_is_shared_with_is_not_authorized_to_share_it_on(ec2, other_ec2, snapshot_id):
    ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission", OperationType="add", UserIds=[OTHER_ACCOUNT])

    with pytest.raises(ClientError) as caught:
        share_with_third(other_ec2, snapshot_id)

    assert error_code(caught) == "AuthFailure"
    assert caught.value.response["Error"]["Message"] == f"Not authorized for snapshot:{snapshot_id}"
    assert accounts(ec2, snapshot_id) == [OTHER_ACCOUNT]


def test_a_snapshot_not_shared_with_the_caller_does_not_exist_for_it(ec2, other_ec2, snapshot_id):
    with pytest.raises(ClientError) as caught:
        share_with_third(other_ec2, snapshot_id)

    assert error_code(caught) == "InvalidSnapshot.NotFound"
    assert caught.value.response["Error"]["Message"] == f"The snapshot '{snapshot_id}' does not exist."
    assert accounts(ec2, snapshot_id) == []


@pytest.mark.parametrize(
    "request_form",
    [
        {"CreateVolumePermission": {"Add": [{"UserId": THIRD}]}},
        {"OperationType": "add", "UserIds": [THIRD]},
        {"OperationType": "add", "GroupNames": ["all"]},
    ],
    ids=["CreateVolumePermission", "OperationType", "public"],
)
def test_the_snapshot_of_a_public_fixture_image_belongs_to_its_publisher(ec2, request_form):
    snapshot_id = describe_image(ec2, DEBIAN_12_AMD64)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]

    with pytest.raises(ClientError) as caught:
        ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission", **request_form)

    assert error_code(caught) == "InvalidSnapshot.NotFound"


def test_the_owner_still_may(ec2, snapshot_id):
    share_with_third(ec2, snapshot_id)
    assert accounts(ec2, snapshot_id) == [THIRD]
