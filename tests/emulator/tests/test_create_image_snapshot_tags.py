from tests.emulator.tests.conftest import describe_image


def create_tagged_image(ec2, instance_id):
    return ec2.create_image(
        InstanceId=instance_id,
        Name="web-server-001",
        NoReboot=True,
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
        TagSpecifications=[
            {"ResourceType": "image", "Tags": [{"Key": "bakery:layer", "Value": "web-server-001"}]},
            {"ResourceType": "snapshot", "Tags": [{"Key": "bakery:layer", "Value": "web-server-001"}, {"Key": "Name", "Value": "root"}]},
        ],
    )["ImageId"]


def test_snapshot_tag_specifications_tag_the_root_snapshot(ec2, instance_id):
    image = describe_image(ec2, create_tagged_image(ec2, instance_id))
    snapshot_id = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    snapshot = ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]
    assert {tag["Key"]: tag["Value"] for tag in snapshot["Tags"]} == {"bakery:layer": "web-server-001", "Name": "root"}


def test_image_tag_specifications_tag_only_the_image(ec2, instance_id):
    image = describe_image(ec2, create_tagged_image(ec2, instance_id))
    assert image["Tags"] == [{"Key": "bakery:layer", "Value": "web-server-001"}]


def test_created_image_reports_an_ebs_root_inherited_from_the_instance(ec2, instance_id):
    image = describe_image(ec2, create_tagged_image(ec2, instance_id))
    assert image["RootDeviceType"] == "ebs"
    assert image["BlockDeviceMappings"][0]["DeviceName"] == image["RootDeviceName"]
    assert image["Architecture"] == "x86_64"
    assert image["BootMode"] == "uefi-preferred"
    assert image["EnaSupport"] is True


def test_own_images_are_found_by_owner_self_and_name(ec2, instance_id):
    image_id = create_tagged_image(ec2, instance_id)
    found = ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": ["web-server-*"]}])["Images"]
    assert [(image["ImageId"], image["OwnerId"]) for image in found] == [(image_id, "123456789012")]
