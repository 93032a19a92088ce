import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import describe_image


def register(ec2, snapshot_id, **extra):
    return ec2.register_image(
        Name="registered-000",
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id, "VolumeType": "gp3", "DeleteOnTermination": True}}
        ],
        **extra,
    )["ImageId"]


def test_registered_image_keeps_its_launch_attributes(ec2, snapshot_id):
    image = describe_image(ec2, register(
        ec2, snapshot_id, Architecture="arm64", BootMode="uefi", EnaSupport=True,
        ImdsSupport="v2.0", TpmSupport="v2.0", VirtualizationType="hvm",
    ))
    assert (image["Architecture"], image["BootMode"], image["EnaSupport"], image["ImdsSupport"], image["TpmSupport"]) == (
        "arm64", "uefi", True, "v2.0", "v2.0"
    )
    assert image["VirtualizationType"] == "hvm"
    assert (image["RootDeviceType"], image["RootDeviceName"]) == ("ebs", "/dev/xvda")


def test_registered_image_uses_the_mapped_snapshot_only(ec2, snapshot_id):
    snapshots_before = {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    image = describe_image(ec2, register(ec2, snapshot_id))
    assert [m["Ebs"]["SnapshotId"] for m in image["BlockDeviceMappings"]] == [snapshot_id]
    assert image["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"] == 8
    snapshots_after = {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert snapshots_after == snapshots_before


def test_unknown_snapshot_is_refused(ec2):
    with pytest.raises(ClientError) as error:
        register(ec2, "snap-0000000000000dead")
    assert error.value.response["Error"]["Code"] == "InvalidSnapshot.NotFound"
    assert ec2.describe_images(Owners=["self"])["Images"] == []


def test_instance_store_image_from_image_location(ec2):
    image_id = ec2.register_image(
        Name="instance-store-000", ImageLocation="my-bucket/image.manifest.xml",
        Architecture="x86_64", VirtualizationType="hvm",
    )["ImageId"]
    image = describe_image(ec2, image_id)
    assert (image["RootDeviceType"], image["ImageLocation"]) == ("instance-store", "my-bucket/image.manifest.xml")
