"""The builder's temporary resources (module_utils behind bakery.ami.builder) against the emulator."""

import base64
import os
import re
import stat

import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.client_factory import ClientFactory
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError, InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._builder.key_pair import generate_key, public_key_of, same_public_key, write_private_key
from ansible_collections.bakery.ami.plugins.module_utils._builder.launcher import launch_builder
from ansible_collections.bakery.ami.plugins.module_utils._builder.request import BuilderRequest
from ansible_collections.bakery.ami.plugins.module_utils._builder.sweeper import sweep_builds
from tests.unit.module_params import module_params

DEBIAN_12 = "ami-0de12a0d640000002"
BUILD_ID = "web-server-000-20261126T120000-abc123"


@pytest.fixture
def factory(aws):
    return ClientFactory(region="us-east-1", endpoint_url=aws.endpoint_url, access_key="testing", secret_key="testing")


def present(tmp_path, **overrides):
    params = {"state": "present", "build_id": BUILD_ID, "image_id": DEBIAN_12, "ssh_cidrs": ["203.0.113.7/32"],
              "private_key_path": str(tmp_path / "builder.key"), "volume_size": 12}
    params.update(overrides)
    return BuilderRequest.from_params(module_params("builder", region="us-east-1", **params))


def absent(**overrides):
    params = {"state": "absent", "build_id": BUILD_ID, "regions": ["us-east-1"], "include_images": True}
    params.update(overrides)
    return BuilderRequest.from_params(module_params("builder", region="us-east-1", **params))


def test_present_creates_key_group_and_an_imdsv2_builder_with_an_encrypted_root(aws, factory, tmp_path):
    result = launch_builder(factory, present(tmp_path), check_mode=False)
    ec2 = aws.client("ec2")
    instance = ec2.describe_instances(InstanceIds=[result["instance_id"]])["Reservations"][0]["Instances"][0]
    assert instance["State"]["Name"] == "running"
    assert instance["MetadataOptions"]["HttpTokens"] == "required"
    assert {"Key": "bakery:build-id", "Value": BUILD_ID} in instance["Tags"]
    volume_id = instance["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    assert ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]["Encrypted"] is True
    group = ec2.describe_security_groups(GroupIds=[result["security_group_id"]])["SecurityGroups"][0]
    assert [(rule["FromPort"], [r["CidrIp"] for r in rule["IpRanges"]]) for rule in group["IpPermissions"]] == [(22, ["203.0.113.7/32"])]
    assert ec2.describe_key_pairs(KeyNames=[result["key_name"]])["KeyPairs"]


def test_the_private_key_is_written_mode_0600(factory, tmp_path):
    launch_builder(factory, present(tmp_path), check_mode=False)
    assert stat.S_IMODE(os.stat(tmp_path / "builder.key").st_mode) == 0o600


def test_a_rerun_with_the_same_build_id_makes_no_mutating_call(aws, factory, tmp_path):
    first = launch_builder(factory, present(tmp_path), check_mode=False)
    aws.control.clear_calls()
    second = launch_builder(factory, present(tmp_path), check_mode=False)
    assert not second["changed"] and second["instance_id"] == first["instance_id"]
    assert aws.control.mutating_calls() == []


def test_check_mode_makes_no_mutating_call(aws, factory, tmp_path):
    result = launch_builder(factory, present(tmp_path), check_mode=True)
    assert result["changed"] and result["actions"] == ["import key pair", "create security group", "launch instance"]
    assert aws.control.mutating_calls() == []


def test_absent_sweeps_the_builder_the_images_and_their_snapshots(aws, factory, tmp_path):
    result = launch_builder(factory, present(tmp_path), check_mode=False)
    ec2 = aws.client("ec2")
    image_id = ec2.create_image(InstanceId=result["instance_id"], Name="half-made",
                                TagSpecifications=[{"ResourceType": "image", "Tags": [{"Key": "bakery:build-id", "Value": BUILD_ID}]}])["ImageId"]

    swept = sweep_builds(factory, absent(private_key_path=str(tmp_path / "builder.key")), check_mode=False)

    assert swept["removed"]["us-east-1"]["images"] == [image_id]
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    assert not [g for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"].startswith("bakery-build-")]
    states = [i["State"]["Name"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
    assert states == ["terminated"]
    assert not (tmp_path / "builder.key").exists()


def test_a_sweep_that_fails_on_the_images_keeps_the_build_findable_and_a_later_sweep_finishes_it(aws, factory, tmp_path):
    result = launch_builder(factory, present(tmp_path), check_mode=False)
    ec2 = aws.client("ec2")
    image_id = ec2.create_image(InstanceId=result["instance_id"], Name="half-made",
                                TagSpecifications=[{"ResourceType": "image", "Tags": [{"Key": "bakery:build-id", "Value": BUILD_ID}]}])["ImageId"]
    # Every DeregisterImage fails (after botocore's retries): the sweep fails while removing the images.
    aws.control.set_faults([{"action": "ec2:DeregisterImage", "kind": "http_500", "rate": 1.0}])
    with pytest.raises(Exception):
        sweep_builds(factory, absent(), check_mode=False)
    aws.control.clear_faults()
    # The key pair, security group and builder are still there: a sweep without a build id still finds the build.
    assert [key_pair["KeyName"] for key_pair in ec2.describe_key_pairs()["KeyPairs"]]

    swept = sweep_builds(factory, absent(build_id=None), check_mode=False)

    assert swept["build_ids"] == [BUILD_ID] and swept["removed"]["us-east-1"]["images"] == [image_id]
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    assert ec2.describe_key_pairs()["KeyPairs"] == []


def test_absent_without_a_build_id_finds_the_interrupted_builds(factory, tmp_path):
    launch_builder(factory, present(tmp_path), check_mode=False)
    swept = sweep_builds(factory, absent(build_id=None), check_mode=False)
    assert swept["build_ids"] == [BUILD_ID]


def test_absent_of_nothing_changes_nothing(aws, factory):
    result = sweep_builds(factory, absent(), check_mode=False)
    assert not result["changed"]
    assert aws.control.mutating_calls() == []


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"ssh_cidrs": ["203.0.113.300/32"]}, "ssh_cidrs[0] '203.0.113.300/32' is not a CIDR"),
        ({"ssh_cidrs": []}, "ssh_cidrs must list at least one CIDR"),
        ({"private_key_path": None}, "private_key_path is required with connection=ssh"),
        ({"build_id": "bad id!"}, "is not a build id"),
        ({"image_id": "debian"}, "is not a valid image id"),
        ({"private_key_path": "/no/such/dir/key"}, "the directory /no/such/dir does not exist"),
    ],
)
def test_bad_input_is_refused_before_any_call(tmp_path, overrides, message):
    with pytest.raises(InvalidInputError) as error:
        present(tmp_path, **overrides)
    assert message in str(error.value)


# --- Session Manager, networks, given resources -----------------------------------------------------------------------

def ssm_present(**overrides):
    params = {"state": "present", "build_id": BUILD_ID, "image_id": DEBIAN_12, "connection": "ssm", "wait": False}
    params.update(overrides)
    return BuilderRequest.from_params(module_params("builder", region="us-east-1", **params))


def instance_of(ec2, instance_id):
    return ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]


def test_ssm_builder_has_no_key_pair_no_public_address_no_inbound_rule_and_the_builds_instance_profile(aws, factory):
    result = launch_builder(factory, ssm_present(user_data="#!/bin/sh\necho agent\n"), check_mode=False)

    ec2, iam = aws.client("ec2"), aws.client("iam")
    instance = instance_of(ec2, result["instance_id"])
    assert "KeyName" not in instance and "PublicIpAddress" not in instance
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    group = ec2.describe_security_groups(GroupIds=[result["security_group_id"]])["SecurityGroups"][0]
    assert group["IpPermissions"] == [] and group["IpPermissionsEgress"]
    profile = iam.get_instance_profile(InstanceProfileName=result["instance_profile"])["InstanceProfile"]
    assert instance["IamInstanceProfile"]["Arn"] == profile["Arn"] and profile["Path"] == "/bakery-build/"
    role = profile["Roles"][0]["RoleName"]
    assert [policy["PolicyName"] for policy in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]] == ["AmazonSSMManagedInstanceCore"]
    assert {"Key": "bakery:build-id", "Value": BUILD_ID} in iam.get_role(RoleName=role)["Role"]["Tags"]
    user_data = ec2.describe_instance_attribute(InstanceId=result["instance_id"], Attribute="userData")["UserData"]["Value"]
    assert base64.b64decode(user_data).decode() == "#!/bin/sh\necho agent\n"


def test_ssm_builder_gets_an_encrypted_private_expiring_transfer_bucket_tagged_with_the_build(aws, factory):
    result = launch_builder(factory, ssm_present(), check_mode=False)

    s3 = aws.client("s3")
    bucket = result["transfer_bucket"]
    assert bucket.startswith("bakery-build-") and len(bucket) <= 63
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
    lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"][0]
    assert lifecycle["Status"] == "Enabled" and lifecycle["Expiration"]["Days"] == 1
    assert {"Key": "bakery:build-id", "Value": BUILD_ID} in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]


def test_ssm_builder_uses_a_given_instance_profile_and_bucket_and_makes_neither(aws, factory):
    iam, s3 = aws.client("iam"), aws.client("s3")
    iam.create_role(RoleName="estate-ssm", AssumeRolePolicyDocument="{}")
    iam.create_instance_profile(InstanceProfileName="estate-ssm")
    iam.add_role_to_instance_profile(InstanceProfileName="estate-ssm", RoleName="estate-ssm")
    s3.create_bucket(Bucket="estate-transfers")

    result = launch_builder(factory, ssm_present(iam_instance_profile="estate-ssm", transfer_bucket="estate-transfers"), check_mode=False)

    assert result["instance_profile"] == "estate-ssm" and result["transfer_bucket"] == "estate-transfers"
    assert iam.list_roles(PathPrefix="/bakery-build/")["Roles"] == []
    assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]] == ["estate-transfers"]


def test_a_given_transfer_bucket_that_does_not_exist_is_refused_before_anything_is_made(aws, factory):
    aws.control.clear_calls()
    with pytest.raises(InvalidInputError) as error:
        launch_builder(factory, ssm_present(transfer_bucket="no-such-estate-bucket"), check_mode=False)
    assert "transfer_bucket" in str(error.value)
    assert aws.control.mutating_calls() == []


def test_given_security_groups_are_used_and_none_is_made(aws, factory, tmp_path):
    ec2 = aws.client("ec2")
    vpc_id = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    group_id = ec2.create_security_group(GroupName="estate-builders", Description="estate", VpcId=vpc_id)["GroupId"]

    result = launch_builder(factory, present(tmp_path, ssh_cidrs=None, security_group_ids=[group_id]), check_mode=False)

    assert [group["GroupId"] for group in instance_of(ec2, result["instance_id"])["SecurityGroups"]] == [group_id]
    assert result["security_group_id"] is None
    assert [g for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"].startswith("bakery-build-")] == []


def test_a_given_security_group_of_another_vpc_is_refused_before_anything_is_made(aws, factory, tmp_path):
    ec2 = aws.client("ec2")
    other_vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    group_id = ec2.create_security_group(GroupName="elsewhere", Description="elsewhere", VpcId=other_vpc)["GroupId"]
    aws.control.clear_calls()

    with pytest.raises(InvalidInputError) as error:
        launch_builder(factory, present(tmp_path, ssh_cidrs=None, security_group_ids=[group_id]), check_mode=False)

    assert "security_group_ids" in str(error.value) and other_vpc in str(error.value)
    assert aws.control.mutating_calls() == []


def test_without_ssh_cidrs_port_22_is_open_to_the_builders_vpc_only(aws, factory, tmp_path):
    ec2 = aws.client("ec2")
    subnet = ec2.create_subnet(VpcId=ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"], CidrBlock="10.20.1.0/24")["Subnet"]

    result = launch_builder(factory, present(tmp_path, ssh_cidrs=None, subnet_id=subnet["SubnetId"]), check_mode=False)

    group = ec2.describe_security_groups(GroupIds=[result["security_group_id"]])["SecurityGroups"][0]
    assert group["VpcId"] == subnet["VpcId"]
    assert [[address["CidrIp"] for address in rule["IpRanges"]] for rule in group["IpPermissions"]] == [["10.20.0.0/16"]]
    assert result["ssh_cidrs"] == ["10.20.0.0/16"]


def test_no_public_address_is_asked_for_unless_given(aws, factory, tmp_path):
    ec2 = aws.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.30.1.0/24")["Subnet"]["SubnetId"]

    quiet = launch_builder(factory, present(tmp_path, subnet_id=subnet_id), check_mode=False)
    asked = launch_builder(factory, present(tmp_path, build_id=BUILD_ID + "-public", subnet_id=subnet_id, associate_public_ip_address=True,
                                            private_key_path=str(tmp_path / "public.key")), check_mode=False)

    # The subnet does not map public addresses: only the builder that asked for one has it.
    assert "PublicIpAddress" not in instance_of(ec2, quiet["instance_id"])
    assert instance_of(ec2, asked["instance_id"])["PublicIpAddress"]


def test_a_region_without_a_default_vpc_is_refused_naming_subnet_id_before_anything_is_made(aws, factory, tmp_path):
    ec2 = aws.client("ec2", region="eu-west-1")
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [default_vpc]}])["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    for gateway in ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [default_vpc]}])["InternetGateways"]:
        ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=default_vpc)
        ec2.delete_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"])
    ec2.delete_vpc(VpcId=default_vpc)
    aws.control.clear_calls()
    request = BuilderRequest.from_params(module_params("builder", region="eu-west-1", state="present", build_id=BUILD_ID, image_id=DEBIAN_12,
                                                       ssh_cidrs=["203.0.113.7/32"], private_key_path=str(tmp_path / "builder.key")))

    with pytest.raises(InvalidInputError) as error:
        launch_builder(factory, request, check_mode=False)

    assert str(error.value).startswith("subnet_id is required: eu-west-1 has no default VPC")
    assert aws.control.mutating_calls() == []


def test_ssm_check_mode_lists_what_it_would_make_and_makes_no_mutating_call(aws, factory):
    result = launch_builder(factory, ssm_present(), check_mode=True)
    assert result["actions"] == ["create security group", "create instance profile", "create transfer bucket", "launch instance"]
    assert result["key_name"] is None
    assert aws.control.mutating_calls() == []


def test_an_ssm_rerun_with_the_same_build_id_makes_no_mutating_call(aws, factory):
    first = launch_builder(factory, ssm_present(), check_mode=False)
    aws.control.clear_calls()
    second = launch_builder(factory, ssm_present(), check_mode=False)
    assert not second["changed"] and second["instance_id"] == first["instance_id"]
    assert aws.control.mutating_calls() == []


def test_a_new_instance_profile_is_waited_for_until_ec2_accepts_it(aws, factory):
    aws.control.configure(instance_profile_propagation_seconds=3)
    result = launch_builder(factory, ssm_present(), check_mode=False)
    refused = [call for call in aws.control.calls() if call["action"] == "RunInstances" and call["status"] != 200]
    assert refused and result["instance_id"]


# Lost responses: AWS commits the create, its answer is lost (HTTP 500 after the commit), botocore retries.
LOST_ANSWERS = {
    "ssh": ["ec2:ImportKeyPair", "ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:RunInstances"],
    "ssm": ["iam:CreateRole", "iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "s3:CreateBucket", "ec2:CreateSecurityGroup",
            "ec2:RunInstances"],
}


@pytest.mark.parametrize("connection", sorted(LOST_ANSWERS))
def test_a_lost_answer_to_any_create_leaves_one_of_each_resource(aws, factory, tmp_path, connection):
    aws.control.set_faults([{"action": action, "kind": "after_commit", "rate": 1.0, "times_per_action": 1} for action in LOST_ANSWERS[connection]])
    request = present(tmp_path) if connection == "ssh" else ssm_present()

    result = launch_builder(factory, request, check_mode=False)

    aws.control.clear_faults()
    ec2 = aws.client("ec2")
    lost = [call["action"] for call in aws.control.calls() if call["fault"] == "after_commit"]
    assert sorted(lost) == sorted(action.split(":")[1] for action in LOST_ANSWERS[connection])
    instances = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"] if i["State"]["Name"] != "terminated"]
    assert [instance["InstanceId"] for instance in instances] == [result["instance_id"]]
    assert len([g for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"].startswith("bakery-build-")]) == 1
    if connection == "ssh":
        assert [key["KeyName"] for key in ec2.describe_key_pairs()["KeyPairs"]] == [result["key_name"]]
        group = ec2.describe_security_groups(GroupIds=[result["security_group_id"]])["SecurityGroups"][0]
        assert [[address["CidrIp"] for address in rule["IpRanges"]] for rule in group["IpPermissions"]] == [["203.0.113.7/32"]]
    else:
        assert [role["RoleName"] for role in aws.client("iam").list_roles(PathPrefix="/bakery-build/")["Roles"]] == [result["instance_profile"]]
        assert [bucket["Name"] for bucket in aws.client("s3").list_buckets()["Buckets"]] == [result["transfer_bucket"]]


def test_a_private_key_that_does_not_match_the_key_pair_stops_the_build(aws, factory, tmp_path):
    launch_builder(factory, present(tmp_path), check_mode=False)
    (tmp_path / "builder.key").unlink()
    write_private_key(str(tmp_path / "builder.key"), generate_key("ed25519")[0])

    with pytest.raises(BakeryError) as error:
        launch_builder(factory, present(tmp_path), check_mode=False)
    assert "does not match the private key" in str(error.value)


def test_absent_removes_the_instance_profile_role_and_the_emptied_transfer_bucket(aws, factory):
    result = launch_builder(factory, ssm_present(), check_mode=False)
    aws.client("s3").put_object(Bucket=result["transfer_bucket"], Key="i-0/leftover", Body=b"interrupted transfer")

    swept = sweep_builds(factory, absent(include_images=False), check_mode=False)

    assert swept["removed_instance_profiles"] == [result["instance_profile"]]
    assert swept["removed"]["us-east-1"]["transfer_buckets"] == [result["transfer_bucket"]]
    iam = aws.client("iam")
    assert iam.list_roles(PathPrefix="/bakery-build/")["Roles"] == [] and iam.list_instance_profiles(PathPrefix="/bakery-build/")["InstanceProfiles"] == []
    assert aws.client("s3").list_buckets()["Buckets"] == []


def test_absent_without_a_build_id_finds_a_build_that_left_only_its_instance_profile_or_bucket(aws, factory):
    result = launch_builder(factory, ssm_present(), check_mode=False)
    ec2 = aws.client("ec2")
    ec2.terminate_instances(InstanceIds=[result["instance_id"]])
    ec2.delete_security_group(GroupId=result["security_group_id"])

    swept = sweep_builds(factory, absent(build_id=None, include_images=False), check_mode=False)

    assert swept["build_ids"] == [BUILD_ID]
    assert aws.client("iam").list_roles(PathPrefix="/bakery-build/")["Roles"] == []
    assert aws.client("s3").list_buckets()["Buckets"] == []


def test_absent_for_an_ssh_build_looks_for_no_instance_profile_or_bucket(aws, factory, tmp_path):
    launch_builder(factory, present(tmp_path), check_mode=False)
    aws.control.clear_calls()

    sweep_builds(factory, absent(connection="ssh", private_key_path=str(tmp_path / "builder.key")), check_mode=False)

    assert [call for call in aws.control.calls() if call["service"] in ("iam", "s3")] == []


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"ssh_cidrs": ["10.0.0.0/8"]}, "ssh_cidrs has no meaning with connection=ssm"),
        ({"private_key_path": "/tmp/key"}, "private_key_path has no meaning with connection=ssm"),
        ({"transfer_bucket": "Not_A_Bucket"}, "transfer_bucket 'Not_A_Bucket' is not an S3 bucket name"),
        ({"user_data": "#" * 16385}, "user_data is 16385 bytes"),
        ({"security_group_ids": ["sg-12"]}, "security_group_ids[0] 'sg-12' is not a valid security group id"),
    ],
)
def test_bad_ssm_input_is_refused_before_any_call(overrides, message):
    with pytest.raises(InvalidInputError) as error:
        ssm_present(**overrides)
    assert message in str(error.value)


def test_ssh_cidrs_with_given_security_groups_are_refused(tmp_path):
    with pytest.raises(InvalidInputError) as error:
        present(tmp_path, security_group_ids=["sg-0123456789abcdef0"])
    assert str(error.value).startswith("ssh_cidrs cannot be given with security_group_ids")


def test_a_transfer_bucket_with_connection_ssh_is_refused(tmp_path):
    with pytest.raises(InvalidInputError) as error:
        present(tmp_path, transfer_bucket="estate-transfers")
    assert str(error.value).startswith("transfer_bucket is for connection=ssm")


def test_build_resource_names_fit_iam_and_s3_rules_for_the_longest_build_id():
    from ansible_collections.bakery.ami.plugins.module_utils._builder.resource_names import bucket_name, iam_name

    longest = "W" + "eb-Server_2." * 8 + "x" * 3
    assert len(longest) == 100
    assert len(iam_name(longest)) <= 64 and re.match(r"^[\w+=,.@-]+$", iam_name(longest))
    assert len(bucket_name(longest)) <= 63 and re.match(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$", bucket_name(longest))
    assert bucket_name(longest) != bucket_name(longest.lower()) and iam_name(longest) != iam_name(longest[:-1] + "y")


def test_the_key_pair_is_imported_from_the_private_key_written_on_the_controller(aws, factory, tmp_path):
    result = launch_builder(factory, present(tmp_path), check_mode=False)
    (key_pair,) = aws.client("ec2").describe_key_pairs(KeyNames=[result["key_name"]], IncludePublicKey=True)["KeyPairs"]
    assert same_public_key(key_pair["PublicKey"], public_key_of(str(tmp_path / "builder.key")))
    assert [call["action"] for call in aws.control.calls() if call["action"] in ("CreateKeyPair", "ImportKeyPair")] == ["ImportKeyPair"]


def test_a_key_pair_of_that_name_another_build_made_is_refused(aws, factory, tmp_path):
    aws.client("ec2").import_key_pair(KeyName=present(tmp_path).name, PublicKeyMaterial=generate_key("ed25519")[1].encode())
    with pytest.raises(BakeryError, match="not this build's"):
        launch_builder(factory, present(tmp_path), check_mode=False)
