"""The builder's temporary resources (module_utils behind bakery.ami.builder) against the emulator."""

import os
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
    result = launch_builder(factory.api("ec2"), present(tmp_path), check_mode=False)
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
    launch_builder(factory.api("ec2"), present(tmp_path), check_mode=False)
    assert stat.S_IMODE(os.stat(tmp_path / "builder.key").st_mode) == 0o600


def test_a_rerun_with_the_same_build_id_makes_no_mutating_call(aws, factory, tmp_path):
    first = launch_builder(factory.api("ec2"), present(tmp_path), check_mode=False)
    aws.control.clear_calls()
    second = launch_builder(factory.api("ec2"), present(tmp_path), check_mode=False)
    assert not second["changed"] and second["instance_id"] == first["instance_id"]
    assert aws.control.mutating_calls() == []


def test_check_mode_makes_no_mutating_call(aws, factory, tmp_path):
    result = launch_builder(factory.api("ec2"), present(tmp_path), check_mode=True)
    assert result["changed"] and result["actions"] == ["create key pair", "create security group", "launch instance"]
    assert aws.control.mutating_calls() == []


def test_absent_sweeps_the_builder_the_images_and_their_snapshots(aws, factory, tmp_path):
    result = launch_builder(factory.api("ec2"), present(tmp_path), check_mode=False)
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
    result = launch_builder(factory.api("ec2"), present(tmp_path), check_mode=False)
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
    launch_builder(factory.api("ec2"), present(tmp_path), check_mode=False)
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
        ({"build_id": "bad id!"}, "is not a build id"),
        ({"image_id": "debian"}, "is not a valid image id"),
        ({"private_key_path": "/no/such/dir/key"}, "the directory /no/such/dir does not exist"),
    ],
)
def test_bad_input_is_refused_before_any_call(tmp_path, overrides, message):
    with pytest.raises(InvalidInputError) as error:
        present(tmp_path, **overrides)
    assert message in str(error.value)


def test_the_key_pair_is_imported_from_the_private_key_written_on_the_controller(aws, factory, tmp_path):
    result = launch_builder(factory.api("ec2"), present(tmp_path), check_mode=False)
    (key_pair,) = aws.client("ec2").describe_key_pairs(KeyNames=[result["key_name"]], IncludePublicKey=True)["KeyPairs"]
    assert same_public_key(key_pair["PublicKey"], public_key_of(str(tmp_path / "builder.key")))
    assert [call["action"] for call in aws.control.calls() if call["action"] in ("CreateKeyPair", "ImportKeyPair")] == ["ImportKeyPair"]


def test_a_private_key_that_does_not_match_the_key_pair_stops_the_build(factory, tmp_path):
    launch_builder(factory.api("ec2"), present(tmp_path), check_mode=False)
    write_private_key(str(tmp_path / "builder.key"), generate_key("ed25519")[0])

    with pytest.raises(BakeryError, match="does not match the private key"):
        launch_builder(factory.api("ec2"), present(tmp_path), check_mode=False)


def test_an_import_retried_after_its_answer_was_lost_adopts_the_key_pair_it_made(aws, factory, tmp_path):
    aws.control.set_faults([{"action": "ImportKeyPair", "kind": "after_commit", "answer": "drop", "times_per_action": 1}])
    result = launch_builder(factory.api("ec2"), present(tmp_path), check_mode=False)
    key_pairs = aws.client("ec2").describe_key_pairs(Filters=[{"Name": "tag:bakery:build-id", "Values": [BUILD_ID]}], IncludePublicKey=True)["KeyPairs"]
    assert [key_pair["KeyName"] for key_pair in key_pairs] == [result["key_name"]]
    assert same_public_key(key_pairs[0]["PublicKey"], public_key_of(str(tmp_path / "builder.key")))


def test_a_key_pair_of_that_name_another_build_made_is_refused(aws, factory, tmp_path):
    aws.client("ec2").import_key_pair(KeyName=present(tmp_path).name, PublicKeyMaterial=generate_key("ed25519")[1].encode())
    with pytest.raises(BakeryError, match="not this build's"):
        launch_builder(factory.api("ec2"), present(tmp_path), check_mode=False)
