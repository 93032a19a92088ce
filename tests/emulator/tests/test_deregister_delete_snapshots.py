from tests.emulator.tests.conftest import describe_image


def test_deregister_with_delete_associated_snapshots_deletes_them(ec2, instance_id):
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    snapshot_id = describe_image(ec2, image_id)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    answer = ec2.deregister_image(ImageId=image_id, DeleteAssociatedSnapshots=True)
    assert answer["DeleteSnapshotResults"] == [{"SnapshotId": snapshot_id, "ReturnCode": "success"}]
    remaining = ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    assert snapshot_id not in [snapshot["SnapshotId"] for snapshot in remaining]


def test_deregister_keeps_snapshots_by_default(ec2, instance_id):
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]
    snapshot_id = describe_image(ec2, image_id)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    ec2.deregister_image(ImageId=image_id)
    assert ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"]


def test_snapshot_shared_with_another_image_is_kept(ec2, snapshot_id):
    mappings = [{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot_id}}]
    first = ec2.register_image(Name="first", RootDeviceName="/dev/xvda", BlockDeviceMappings=mappings)["ImageId"]
    ec2.register_image(Name="second", RootDeviceName="/dev/xvda", BlockDeviceMappings=mappings)
    answer = ec2.deregister_image(ImageId=first, DeleteAssociatedSnapshots=True)
    assert answer["DeleteSnapshotResults"] == []
    assert ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"]
