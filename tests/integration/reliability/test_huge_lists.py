"""Lists beyond what one AWS request holds are worked through; beyond the account's quota, AWS's refusal is reported.

ModifySnapshotAttribute takes at most 500 modifications per request
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySnapshotAttribute.html), and image_share cuts
ModifyImageAttribute's the same way. An AMI may be shared with 1,000 entities per region by default, a quota that can
be raised (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ami-quotas.html): so image_share never refuses a long
list itself; the emulator's `ami_sharing_quota` setting stands for an account whose quota was raised.
"""

DEBIAN_12_AMD64 = "ami-0de12a0d640000002"
ACCOUNTS = ["%012d" % (400000000000 + index) for index in range(1200)]


def _image(aws):
    ec2 = aws.client("ec2")
    instance_id = ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    return ec2.create_image(InstanceId=instance_id, Name="huge-share")["ImageId"]


def _share(playbook, image_id):
    return playbook([{"name": "share", "bakery.ami.image_share": {"image_ids": {"us-east-1": image_id}, "accounts": ACCOUNTS}}])


def test_image_share_with_1200_accounts_succeeds_in_batches_on_a_raised_quota_and_every_account_can_launch(aws, playbook):
    aws.control.configure(ami_sharing_quota=1500)
    ec2 = aws.client("ec2")
    image_id = _image(aws)
    aws.control.clear_calls()

    run = _share(playbook, image_id)

    assert run.succeeded, run.stdout[-3000:]
    permissions = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]
    assert sorted(permission["UserId"] for permission in permissions) == ACCOUNTS
    snapshot_id = ec2.describe_images(ImageIds=[image_id])["Images"][0]["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    volume_permissions = ec2.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")["CreateVolumePermissions"]
    assert sorted(permission["UserId"] for permission in volume_permissions) == ACCOUNTS
    # 500 + 500 + 200 for the image and for its snapshot.
    assert aws.control.counts().get("ec2:ModifyImageAttribute") == 3
    assert aws.control.counts().get("ec2:ModifySnapshotAttribute") == 3


def test_image_share_beyond_the_default_quota_fails_with_aws_refusal_named(aws, playbook):
    image_id = _image(aws)

    run = _share(playbook, image_id)

    assert not run.succeeded
    assert "ResourceLimitExceeded" in run.task("share").get("msg", "")
