import pytest
from botocore.exceptions import ClientError


def _accounts(ec2, snapshot_id):
    permissions = ec2.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")["CreateVolumePermissions"]
    return sorted(permission["UserId"] for permission in permissions if "UserId" in permission)


def test_add_and_remove_in_one_request_is_refused_and_nothing_changes(ec2, snapshot_id):
    ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission", CreateVolumePermission={"Add": [{"UserId": "111122223333"}, {"UserId": "444455556666"}]})
    with pytest.raises(ClientError) as error:
        ec2.modify_snapshot_attribute(
            SnapshotId=snapshot_id, Attribute="createVolumePermission",
            CreateVolumePermission={"Add": [{"UserId": "777788889999"}], "Remove": [{"UserId": "111122223333"}]},
        )
    assert error.value.response["Error"]["Code"] == "InvalidParameterCombination"
    assert _accounts(ec2, snapshot_id) == ["111122223333", "444455556666"]


def test_adds_and_removes_in_separate_requests(ec2, snapshot_id):
    ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission", CreateVolumePermission={"Add": [{"UserId": "111122223333"}, {"UserId": "444455556666"}]})
    ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission", CreateVolumePermission={"Remove": [{"UserId": "111122223333"}]})
    assert _accounts(ec2, snapshot_id) == ["444455556666"]


ACCOUNTS_501 = ["%012d" % (300000000000 + index) for index in range(501)]


def test_up_to_500_modifications_in_one_request(ec2, snapshot_id):
    ec2.modify_snapshot_attribute(
        SnapshotId=snapshot_id, Attribute="createVolumePermission", CreateVolumePermission={"Add": [{"UserId": account} for account in ACCOUNTS_501[:500]]}
    )
    assert _accounts(ec2, snapshot_id) == ACCOUNTS_501[:500]


@pytest.mark.parametrize("form", ["CreateVolumePermission", "OperationType"])
def test_more_than_500_modifications_in_one_request_are_refused(ec2, snapshot_id, form):
    if form == "CreateVolumePermission":
        request = {"CreateVolumePermission": {"Add": [{"UserId": account} for account in ACCOUNTS_501]}}
    else:
        request = {"OperationType": "add", "UserIds": ACCOUNTS_501}
    with pytest.raises(ClientError) as error:
        ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission", **request)
    assert error.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert _accounts(ec2, snapshot_id) == []


def test_operation_type_form_still_works(ec2, snapshot_id):
    ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission", OperationType="add", UserIds=["111122223333"])
    assert _accounts(ec2, snapshot_id) == ["111122223333"]


def test_malformed_account_is_refused_and_nothing_changes(ec2, snapshot_id):
    with pytest.raises(ClientError) as error:
        ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission", CreateVolumePermission={"Add": [{"UserId": "111122223333"}, {"UserId": "12345"}]})
    assert error.value.response["Error"]["Code"] == "InvalidAMIAttributeItemValue"
    assert _accounts(ec2, snapshot_id) == []


def test_encrypted_snapshot_cannot_be_made_public(ec2):
    volume = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a", Encrypted=True)
    snapshot_id = ec2.create_snapshot(VolumeId=volume["VolumeId"])["SnapshotId"]
    with pytest.raises(ClientError) as error:
        ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission", CreateVolumePermission={"Add": [{"Group": "all"}]})
    assert error.value.response["Error"]["Code"] == "OperationNotPermitted"
