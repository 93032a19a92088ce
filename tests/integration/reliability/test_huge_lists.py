"""Lists beyond what one AWS request or the default quota holds are worked through, not refused.

AWS documents no per-request limit on ModifyImageAttribute's launch permissions, only a per-region
quota (1000 entities an AMI is shared with, adjustable:
https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ami-quotas.html); so a list of more than 1000
accounts must be accepted and applied, for accounts whose quota was raised.
"""

DEBIAN_12_AMD64 = "ami-0de12a0d640000002"
ACCOUNTS = ["%012d" % (400000000000 + index) for index in range(1200)]


def test_image_share_with_1200_accounts_succeeds_and_every_account_can_launch(aws, playbook):
    ec2 = aws.client("ec2")
    instance_id = ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    image_id = ec2.create_image(InstanceId=instance_id, Name="huge-share")["ImageId"]
    aws.control.clear_calls()

    run = playbook([{"name": "share", "bakery.ami.image_share": {"image_ids": {"us-east-1": image_id}, "accounts": ACCOUNTS}}])

    assert run.succeeded, run.stdout[-3000:]
    permissions = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]
    assert sorted(permission["UserId"] for permission in permissions) == ACCOUNTS
    snapshot_id = ec2.describe_images(ImageIds=[image_id])["Images"][0]["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    volume_permissions = ec2.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")["CreateVolumePermissions"]
    assert sorted(permission["UserId"] for permission in volume_permissions) == ACCOUNTS
    assert aws.control.counts().get("ec2:ModifyImageAttribute") == 1
