"""image_share through real ansible-playbook runs against the emulator.

Convergence under faults is the image_share row of tests/integration/reliability/test_fault_matrix.py, and
malformed accounts, ARNs, ids and regions are refused before any call in reliability/bad_input_cases.py.
"""

import pytest

DEBIAN_12 = "debian-12-amd64-20250510-2108"
ACCOUNTS = ["%012d" % (100000000000 + index) for index in range(100)]
ORGANIZATION = "arn:aws:organizations::123456789012:organization/o-abcdefghij"
UNIT = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefgh34"
REGIONS = ["us-east-1", "eu-west-1"]


@pytest.fixture
def image_ids(aws):
    """One own image per region: created in us-east-1, copied (encrypted with a customer key) to eu-west-1."""
    ec2 = aws.client("ec2")
    base = ec2.describe_images(Owners=["136693071363"], Filters=[{"Name": "name", "Values": [DEBIAN_12]}])["Images"][0]
    instance_id = ec2.run_instances(ImageId=base["ImageId"], MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    source = ec2.create_image(InstanceId=instance_id, Name="web-server-000-src")["ImageId"]
    key = aws.client("kms", region="eu-west-1").create_key()["KeyMetadata"]["Arn"]
    copy = aws.client("ec2", region="eu-west-1").copy_image(
        SourceImageId=source, SourceRegion="us-east-1", Name="web-server-000-src", Encrypted=True, KmsKeyId=key
    )["ImageId"]
    return {"us-east-1": source, "eu-west-1": copy}


def share_task(image_ids, **options):
    return [{"name": "share", "bakery.ami.image_share": dict(image_ids=image_ids, **options)}]


def launch_permissions(aws, region, image_id):
    return aws.client("ec2", region=region).describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]


def snapshot_accounts(aws, region, image_id):
    ec2 = aws.client("ec2", region=region)
    snapshot_id = ec2.describe_images(ImageIds=[image_id])["Images"][0]["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    permissions = ec2.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")["CreateVolumePermissions"]
    return sorted(permission["UserId"] for permission in permissions if "UserId" in permission)


def test_check_mode_then_share_with_100_accounts_an_organization_and_an_ou_then_rerun_makes_no_mutating_call(aws, image_ids, playbook):
    task = share_task(image_ids, accounts=ACCOUNTS, organization_arns=[ORGANIZATION], organizational_unit_arns=[UNIT])
    aws.control.clear_calls()
    planned = playbook(task, check=True, diff=True)
    assert planned.succeeded and planned.task("share").changed
    assert aws.control.mutating_calls() == []
    assert launch_permissions(aws, "us-east-1", image_ids["us-east-1"]) == []
    aws.control.clear_calls()

    first = playbook(task)
    assert first.succeeded, first.stdout[-3000:]
    assert aws.control.counts().get("ec2:ModifyImageAttribute") == 2
    for region, image_id in image_ids.items():
        permissions = launch_permissions(aws, region, image_id)
        assert sorted(p["UserId"] for p in permissions if "UserId" in p) == ACCOUNTS
        assert {"OrganizationArn": ORGANIZATION} in permissions and {"OrganizationalUnitArn": UNIT} in permissions
        assert snapshot_accounts(aws, region, image_id) == ACCOUNTS
    assert any("organizations" in note for note in first.task("share")["notes"])
    assert first.task("share")["kms_key_ids"]["eu-west-1"]
    aws.control.clear_calls()

    second = playbook(task)

    assert second.succeeded and not second.task("share").changed
    assert aws.control.mutating_calls() == []


def test_absent_removes_only_the_given_accounts_and_purge_makes_the_permissions_exactly_the_given_set(aws, image_ids, playbook):
    granted = playbook(
        share_task(image_ids, accounts=ACCOUNTS[:3], organization_arns=[ORGANIZATION])
        + [{"name": "revoke", "bakery.ami.image_share": dict(image_ids=image_ids, accounts=[ACCOUNTS[0]], state="absent")}]
    )
    assert granted.succeeded, granted.stdout[-3000:]
    for region, image_id in image_ids.items():
        permissions = launch_permissions(aws, region, image_id)
        assert sorted(p["UserId"] for p in permissions if "UserId" in p) == ACCOUNTS[1:3]
        assert {"OrganizationArn": ORGANIZATION} in permissions

    run = playbook(share_task(image_ids, accounts=[ACCOUNTS[5]], purge=True), diff=True)

    assert run.succeeded, run.stdout[-3000:]
    assert run.task("share")["removed"]["us-east-1"]["accounts"] == ACCOUNTS[1:3]
    for region, image_id in image_ids.items():
        assert launch_permissions(aws, region, image_id) == [{"UserId": ACCOUNTS[5]}]
        assert snapshot_accounts(aws, region, image_id) == [ACCOUNTS[5]]


def test_public_under_block_public_access_and_an_image_under_the_aws_managed_key_are_refused_and_nothing_changes(aws, image_ids, playbook):
    aws.client("ec2", region="eu-west-1").enable_image_block_public_access(ImageBlockPublicAccessState="block-new-sharing")
    default_copy = aws.client("ec2", region="eu-west-2").copy_image(
        SourceImageId=image_ids["us-east-1"], SourceRegion="us-east-1", Name="default-key", Encrypted=True
    )["ImageId"]
    aws.control.clear_calls()
    public = dict(share_task(image_ids, accounts=ACCOUNTS[:1], public=True)[0], name="public", ignore_errors=True)
    managed_key = dict(share_task({"eu-west-2": default_copy}, accounts=ACCOUNTS[:1])[0], name="managed key", ignore_errors=True)

    run = playbook([public, managed_key])

    assert run.task("public").failed and "block public access" in run.task("public")["msg"]
    assert run.task("managed key").failed and "alias/aws/ebs" in run.task("managed key")["msg"]
    assert aws.control.mutating_calls() == []
    assert launch_permissions(aws, "us-east-1", image_ids["us-east-1"]) == []
    assert launch_permissions(aws, "eu-west-2", default_copy) == []
