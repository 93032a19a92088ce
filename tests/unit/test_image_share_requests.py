"""Request shapes image_share sends, checked with botocore's Stubber: removals, then additions, each in requests of
their own of at most 500 principals (ModifyImageAttribute per image and region, ModifySnapshotAttribute in its
CreateVolumePermission form per snapshot)."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import RegionalApi
from ansible_collections.bakery.ami.plugins.module_utils._image_share.request import ShareRequest
from ansible_collections.bakery.ami.plugins.module_utils._image_share.sharer import ShareRefusedError, share_images
from tests.unit.module_params import module_params

IMAGES = {"us-east-1": "ami-0000000000000e001", "eu-west-1": "ami-0000000000000e002"}
SNAPSHOTS = {"us-east-1": ["snap-0000000000000e001", "snap-0000000000000e003"], "eu-west-1": ["snap-0000000000000e002"]}
KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111"
ACCOUNTS = ["%012d" % (200000000000 + index) for index in range(50)]
ORGANIZATION = "arn:aws:organizations::123456789012:organization/o-abcdefghij"
UNIT = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefgh34"


class StubbedRegions:
    def __init__(self):
        session = boto3.session.Session(aws_access_key_id="t", aws_secret_access_key="t")
        self.clients = {}
        self.stubs = {}
        for region in IMAGES:
            for service in ("ec2", "kms"):
                client = session.client(service, region_name=region)
                self.clients[(service, region)] = client
                self.stubs[(service, region)] = Stubber(client)

    def api(self, service, region=None):
        return RegionalApi(self.clients[(service, region)], region)

    def ec2(self, region):
        return self.stubs[("ec2", region)]


@pytest.fixture
def stubbed():
    regions = StubbedRegions()
    for stub in regions.stubs.values():
        stub.activate()
    yield regions
    for stub in regions.stubs.values():
        stub.deactivate()
        stub.assert_no_pending_responses()


def image(region):
    mappings = [{"DeviceName": "/dev/xvd%s" % "abc"[index], "Ebs": {"SnapshotId": snapshot_id}} for index, snapshot_id in enumerate(SNAPSHOTS[region])]
    return {"ImageId": IMAGES[region], "State": "available", "BlockDeviceMappings": mappings}


def expect_plan(stubbed, region, launch_permissions=(), snapshot_accounts=(), encrypted=False, key_manager="CUSTOMER"):
    stub = stubbed.ec2(region)
    image_id = IMAGES[region]
    stub.add_response("describe_images", {"Images": [image(region)]}, {"ImageIds": [image_id], "IncludeDeprecated": True, "IncludeDisabled": True})
    stub.add_response(
        "describe_image_attribute",
        {"ImageId": image_id, "LaunchPermissions": list(launch_permissions)},
        {"ImageId": image_id, "Attribute": "launchPermission"},
    )
    snapshots = [dict({"SnapshotId": snapshot_id, "Encrypted": encrypted}, **({"KmsKeyId": KEY} if encrypted else {})) for snapshot_id in SNAPSHOTS[region]]
    stub.add_response("describe_snapshots", {"Snapshots": snapshots}, {"SnapshotIds": SNAPSHOTS[region]})
    if encrypted:
        stubbed.stubs[("kms", region)].add_response("describe_key", {"KeyMetadata": {"KeyId": KEY, "Arn": KEY, "KeyManager": key_manager}}, {"KeyId": KEY})
    for snapshot_id in SNAPSHOTS[region]:
        stub.add_response(
            "describe_snapshot_attribute",
            {"SnapshotId": snapshot_id, "CreateVolumePermissions": [{"UserId": account} for account in snapshot_accounts]},
            {"SnapshotId": snapshot_id, "Attribute": "createVolumePermission"},
        )


def share(stubbed, **options):
    params = {"image_ids": dict(IMAGES), "accounts": [], "organization_arns": [], "organizational_unit_arns": [], "public": False}
    params.update(options)
    return share_images(stubbed, ShareRequest.from_params(module_params("image_share", **params)), check_mode=False)


def test_one_modify_image_attribute_per_image_and_region_carries_every_principal(stubbed):
    for region in IMAGES:
        expect_plan(stubbed, region, encrypted=region == "eu-west-1")
        stubbed.ec2(region).add_response(
            "modify_image_attribute",
            {},
            {
                "ImageId": IMAGES[region],
                "LaunchPermission": {
                    "Add": [{"UserId": account} for account in ACCOUNTS] + [{"OrganizationArn": ORGANIZATION}, {"OrganizationalUnitArn": UNIT}]
                },
            },
        )
        for snapshot_id in SNAPSHOTS[region]:
            stubbed.ec2(region).add_response(
                "modify_snapshot_attribute",
                {},
                {
                    "SnapshotId": snapshot_id,
                    "Attribute": "createVolumePermission",
                    "CreateVolumePermission": {"Add": [{"UserId": account} for account in ACCOUNTS]},
                },
            )

    result = share(stubbed, accounts=list(reversed(ACCOUNTS)), organization_arns=[ORGANIZATION], organizational_unit_arns=[UNIT])

    assert result["changed"] and result["kms_key_ids"]["eu-west-1"] == [KEY]


def test_purge_removes_then_adds_in_separate_requests(stubbed):
    stale = "999999999999"
    for region in IMAGES:
        expect_plan(stubbed, region, launch_permissions=[{"UserId": stale}, {"Group": "all"}], snapshot_accounts=[stale])
        stub = stubbed.ec2(region)
        stub.add_response("modify_image_attribute", {}, {"ImageId": IMAGES[region], "LaunchPermission": {"Remove": [{"UserId": stale}, {"Group": "all"}]}})
        stub.add_response("modify_image_attribute", {}, {"ImageId": IMAGES[region], "LaunchPermission": {"Add": [{"UserId": ACCOUNTS[0]}]}})
        for snapshot_id in SNAPSHOTS[region]:
            for direction, account in (("Remove", stale), ("Add", ACCOUNTS[0])):
                stub.add_response(
                    "modify_snapshot_attribute",
                    {},
                    {"SnapshotId": snapshot_id, "Attribute": "createVolumePermission", "CreateVolumePermission": {direction: [{"UserId": account}]}},
                )

    result = share(stubbed, accounts=[ACCOUNTS[0]], purge=True)

    assert result["removed"]["us-east-1"] == {"accounts": [stale], "organization_arns": [], "organizational_unit_arns": [], "public": True}


def test_more_than_500_principals_go_in_requests_of_at_most_500(stubbed):
    accounts = ["%012d" % (400000000000 + index) for index in range(700)]
    region = "eu-west-1"
    expect_plan(stubbed, region)
    stub = stubbed.ec2(region)
    for batch in (accounts[:500], accounts[500:]):
        stub.add_response("modify_image_attribute", {}, {"ImageId": IMAGES[region], "LaunchPermission": {"Add": [{"UserId": account} for account in batch]}})
    for snapshot_id in SNAPSHOTS[region]:
        for batch in (accounts[:500], accounts[500:]):
            stub.add_response(
                "modify_snapshot_attribute",
                {},
                {"SnapshotId": snapshot_id, "Attribute": "createVolumePermission", "CreateVolumePermission": {"Add": [{"UserId": account} for account in batch]}},
            )

    share(stubbed, image_ids={region: IMAGES[region]}, accounts=accounts)


def test_snapshots_under_the_aws_managed_key_are_refused_before_any_change_even_when_only_they_would_be_shared(stubbed):
    region = "eu-west-1"
    expect_plan(stubbed, region, launch_permissions=[{"UserId": ACCOUNTS[0]}], encrypted=True, key_manager="AWS")

    with pytest.raises(ShareRefusedError, match="AWS managed key alias/aws/ebs.*customer managed key"):
        share(stubbed, image_ids={region: IMAGES[region]}, accounts=[ACCOUNTS[0]])


def test_state_absent_sends_only_removals_of_principals_that_hold_permission(stubbed):
    for region in IMAGES:
        expect_plan(stubbed, region, launch_permissions=[{"UserId": ACCOUNTS[0]}, {"UserId": ACCOUNTS[1]}], snapshot_accounts=[ACCOUNTS[0]])
        stubbed.ec2(region).add_response(
            "modify_image_attribute", {}, {"ImageId": IMAGES[region], "LaunchPermission": {"Remove": [{"UserId": ACCOUNTS[0]}]}}
        )
        for snapshot_id in SNAPSHOTS[region]:
            stubbed.ec2(region).add_response(
                "modify_snapshot_attribute",
                {},
                {"SnapshotId": snapshot_id, "Attribute": "createVolumePermission", "CreateVolumePermission": {"Remove": [{"UserId": ACCOUNTS[0]}]}},
            )

    share(stubbed, accounts=[ACCOUNTS[0], ACCOUNTS[2]], state="absent")


def test_nothing_to_change_sends_no_modify_call(stubbed):
    for region in IMAGES:
        expect_plan(stubbed, region, launch_permissions=[{"UserId": ACCOUNTS[0]}], snapshot_accounts=[ACCOUNTS[0]])

    result = share(stubbed, accounts=[ACCOUNTS[0]])

    assert result["changed"] is False


def test_without_share_snapshots_no_snapshot_permission_is_read_or_changed(stubbed):
    for region in IMAGES:
        stub = stubbed.ec2(region)
        stub.add_response("describe_images", {"Images": [image(region)]}, {"ImageIds": [IMAGES[region]], "IncludeDeprecated": True, "IncludeDisabled": True})
        stub.add_response("describe_image_attribute", {"ImageId": IMAGES[region], "LaunchPermissions": []}, {"ImageId": IMAGES[region], "Attribute": "launchPermission"})
        stub.add_response("describe_snapshots", {"Snapshots": [{"SnapshotId": s, "Encrypted": False} for s in SNAPSHOTS[region]]}, {"SnapshotIds": SNAPSHOTS[region]})
        stub.add_response("modify_image_attribute", {}, {"ImageId": IMAGES[region], "LaunchPermission": {"Add": [{"OrganizationArn": ORGANIZATION}]}})

    share(stubbed, organization_arns=[ORGANIZATION], share_snapshots=False)
