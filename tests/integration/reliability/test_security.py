"""Security checks that hold across modules: secrets never reach any output; copies are encrypted unless told
otherwise; nothing becomes public unless asked; builders are reachable only as asked and require IMDSv2."""

import os
import stat

import pytest

SECRET_KEY = "SECRETkeyVALUE0123456789abcdefSECRET"
SESSION_TOKEN = "SESSIONtokenVALUE0123456789SESSION"
CREDENTIALS = {"access_key": "AKIAEXAMPLEACCESSKEY", "secret_key": SECRET_KEY, "session_token": SESSION_TOKEN}
DEBIAN_12_AMD64 = "ami-0de12a0d640000002"
MARKETPLACE_PRODUCT = "a1b2c3d4e5f6g7h8i9j0k1l2m"
ACCOUNT = "123456789013"
CONTROLLER_CIDR = "203.0.113.7/32"


def _own_image(ec2, name):
    instance_id = ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    return instance_id, ec2.create_image(InstanceId=instance_id, Name=name)["ImageId"]


def _snapshot(ec2, image):
    snapshot_id = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    return ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]


def test_credentials_never_appear_in_output_of_any_module_even_at_vvvv(aws, playbook, tmp_path):
    ec2 = aws.client("ec2")
    instance_id, image_id = _own_image(ec2, "secret-source")
    modules = [
        ("image", {"name": "secret-test", "instance_id": instance_id}),
        ("image_info", {"owners": ["self"], "describe_launch_permissions": True}),
        ("marketplace_info", {"product_codes": [MARKETPLACE_PRODUCT]}),
        ("image_copy", {"source_image_id": image_id, "regions": ["eu-west-1"]}),
        ("image_share", {"image_ids": {"us-east-1": image_id}, "accounts": [ACCOUNT]}),
        ("image_prune", {"name": "secret-test", "keep": 0, "action": "deprecate"}),
        ("ssm_automation", {"parameters": {"SourceAmiId": DEBIAN_12_AMD64, "TargetAmiName": "secret-patched"}, "wait_timeout": 60}),
        ("asg_rollout", {"groups": ["no-such-group"], "image_id": image_id}),
        ("image_parameter", {"name": "/bakery/secret-test/latest", "image_ids": {"us-east-1": image_id}}),
        ("builder", {"build_id": "secret-build", "image_id": DEBIAN_12_AMD64, "ssh_cidrs": [CONTROLLER_CIDR], "private_key_path": str(tmp_path / "builder.key")}),
        ("builder", {"build_id": "secret-build", "state": "absent", "private_key_path": str(tmp_path / "builder.key")}),
    ]
    tasks = [
        {"name": "%d %s" % (index, module), "bakery.ami.%s" % module: dict(options, **CREDENTIALS), "ignore_errors": True}
        for index, (module, options) in enumerate(modules)
    ]
    tasks.append(
        {
            "name": "failing call with explicit credentials",
            "bakery.ami.image": dict({"image_id": "ami-0123456789abcdef0", "tags": {"a": "b"}}, **CREDENTIALS),
            "ignore_errors": True,
        }
    )

    run = playbook(tasks, args=["-vvvv"], extra_env={"AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_SESSION_TOKEN": SESSION_TOKEN})

    # Every module ran (and all but the deliberately failing ones succeeded), so its output was produced.
    failed = [task.name for task in run.tasks() if task.failed]
    assert failed == ["7 asg_rollout", "failing call with explicit credentials"], [(t.name, t.get("msg")) for t in run.tasks() if t.failed]
    assert run.task("0 image").changed and run.task("9 builder").changed and run.task("8 image_parameter").changed
    output = run.stdout + run.stderr
    assert SECRET_KEY not in output
    assert SESSION_TOKEN not in output


def test_copies_are_encrypted_when_encrypted_is_not_given(aws, playbook):
    ec2 = aws.client("ec2")
    _, image_id = _own_image(ec2, "unencrypted-source")
    assert _snapshot(ec2, ec2.describe_images(ImageIds=[image_id])["Images"][0])["Encrypted"] is False

    run = playbook([{"name": "copy", "bakery.ami.image_copy": {"source_image_id": image_id, "regions": ["eu-west-1", "us-west-2"]}}])

    assert run.succeeded, run.stdout[-3000:]
    for region, copy_id in run.task("copy")["image_ids"].items():
        regional = aws.client("ec2", region)
        assert _snapshot(regional, regional.describe_images(ImageIds=[copy_id])["Images"][0])["Encrypted"] is True, region


def test_sharing_without_public_never_makes_an_image_public(aws, playbook):
    ec2 = aws.client("ec2")
    _, image_id = _own_image(ec2, "private-image")
    organization = "arn:aws:organizations::123456789012:organization/o-abcdefghij"
    runs = [
        {"accounts": [ACCOUNT]},
        {"organization_arns": [organization], "purge": True},
        {"accounts": [ACCOUNT], "public": False},
        {"accounts": [ACCOUNT], "state": "absent"},
    ]
    tasks = [{"name": "share %d" % index, "bakery.ami.image_share": dict({"image_ids": {"us-east-1": image_id}}, **options)} for index, options in enumerate(runs)]

    run = playbook(tasks)

    assert run.succeeded, run.stdout[-3000:]
    permissions = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]
    assert {"Group": "all"} not in permissions and permissions == [{"OrganizationArn": organization}]
    assert ec2.describe_images(ImageIds=[image_id])["Images"][0]["Public"] is False
    assert all(not task["added"]["us-east-1"]["public"] for task in run.tasks())


def test_sharing_an_image_encrypted_with_the_aws_managed_key_is_refused_and_changes_nothing(aws, playbook):
    ec2 = aws.client("ec2")
    _, image_id = _own_image(ec2, "default-key-source")
    default_key_copy = aws.client("ec2", "eu-west-2").copy_image(SourceImageId=image_id, SourceRegion="us-east-1", Name="default-key", Encrypted=True)["ImageId"]
    aws.control.clear_calls()

    run = playbook([{"name": "share", "bakery.ami.image_share": {"image_ids": {"eu-west-2": default_key_copy}, "accounts": [ACCOUNT]}}])

    assert run.task("share").failed and "alias/aws/ebs" in run.task("share")["msg"]
    assert aws.control.mutating_calls() == []
    assert aws.client("ec2", "eu-west-2").describe_image_attribute(ImageId=default_key_copy, Attribute="launchPermission")["LaunchPermissions"] == []


@pytest.fixture
def builder_run(aws, playbook, tmp_path):
    key_path = tmp_path / "keys" / "builder.key"
    key_path.parent.mkdir()
    run = playbook(
        [
            {
                "name": "builder",
                "bakery.ami.builder": {"build_id": "security-1", "image_id": DEBIAN_12_AMD64, "ssh_cidrs": [CONTROLLER_CIDR], "private_key_path": str(key_path)},
            }
        ]
    )
    assert run.succeeded, run.stdout[-3000:]
    return run.task("builder"), key_path


def test_builder_private_key_is_0600_and_state_absent_deletes_it(aws, playbook, builder_run):
    _, key_path = builder_run
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600

    run = playbook([{"name": "cleanup", "bakery.ami.builder": {"build_id": "security-1", "state": "absent", "private_key_path": str(key_path)}}])

    assert run.succeeded, run.stdout[-3000:]
    assert not key_path.exists()
    assert aws.client("ec2").describe_key_pairs(Filters=[{"Name": "tag:bakery:build-id", "Values": ["security-1"]}])["KeyPairs"] == []


def test_builder_security_group_allows_only_the_given_address_on_port_22(aws, builder_run):
    result, _ = builder_run
    (group,) = aws.client("ec2").describe_security_groups(GroupIds=[result["security_group_id"]])["SecurityGroups"]
    ingress = [
        (rule["IpProtocol"], rule.get("FromPort"), rule.get("ToPort"), [r["CidrIp"] for r in rule.get("IpRanges", [])], rule.get("Ipv6Ranges", []), rule.get("UserIdGroupPairs", []))
        for rule in group["IpPermissions"]
    ]
    assert ingress == [("tcp", 22, 22, [CONTROLLER_CIDR], [], [])]


def test_builder_requires_imdsv2_and_boots_from_an_encrypted_root_volume(aws, builder_run):
    result, _ = builder_run
    ec2 = aws.client("ec2")
    instance = ec2.describe_instances(InstanceIds=[result["instance_id"]])["Reservations"][0]["Instances"][0]
    assert instance["MetadataOptions"]["HttpTokens"] == "required"
    assert instance["MetadataOptions"]["HttpEndpoint"] == "enabled"
    volume_ids = [mapping["Ebs"]["VolumeId"] for mapping in instance["BlockDeviceMappings"]]
    assert volume_ids and all(volume["Encrypted"] for volume in ec2.describe_volumes(VolumeIds=volume_ids)["Volumes"])
