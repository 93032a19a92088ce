"""image_info against the emulator: real ansible-playbook runs, answers compared with what DescribeImages holds."""

import time

import pytest

from tests.emulator.pytest_plugin import AwsEndpoint
from tests.integration.playbook_runner import run_tasks

AMAZON = "137112412989"
EIGHT_REGIONS = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-1",
    "ap-northeast-1",
]


def newest_described(ec2, **describe_params):
    images = ec2.describe_images(**describe_params)["Images"]
    return max(images, key=lambda image: image["CreationDate"])


def image_info(playbook, **options):
    run = playbook([{"name": "find", "bakery.ami.image_info": options}])
    return run.task("find")


def test_newest_al2023_x86_64_ebs_in_eight_regions_in_one_call(aws, playbook):
    aws.control.clear_calls()
    started = time.monotonic()
    result = image_info(
        playbook,
        regions=EIGHT_REGIONS,
        owners=["amazon"],
        name="al2023-ami-2023.*-x86_64",
        architecture="x86_64",
        root_device_type="ebs",
        most_recent=True,
    )
    elapsed = time.monotonic() - started
    assert not result.failed, result.result
    counts = aws.control.counts()
    print("\nnewest image in 8 regions: %s API calls %s, wall time %.2fs" % (sum(counts.values()), counts, elapsed))
    assert counts == {"ec2:DescribeImages": 8}
    for region in EIGHT_REGIONS:
        expected = newest_described(
            aws.client("ec2", region),
            Owners=["amazon"],
            Filters=[
                {"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]},
                {"Name": "architecture", "Values": ["x86_64"]},
                {"Name": "root-device-type", "Values": ["ebs"]},
            ],
        )
        assert result["images_by_region"][region]["image_id"] == expected["ImageId"]
        assert result["images_by_region"][region]["region"] == region
    assert not result.changed


# Read-only questions about the fixture images, asked in ONE ansible-playbook run (each run costs seconds);
# every test below still checks one behaviour, on its own task's result.
FIXTURE_QUERIES = {
    "arm64": {"owners": ["amazon"], "name": "al2023-ami-2023.*", "architecture": "arm64", "most_recent": True},
    "x86_64": {"owners": ["amazon"], "name": "al2023-ami-2023.*", "architecture": "x86_64", "most_recent": True},
    "al2023": {"owners": ["amazon"], "name": "al2023-ami-*"},
    "instance_store": {"owners": ["amazon"], "root_device_type": "instance-store"},
    "ebs": {"owners": ["amazon"], "root_device_type": "ebs"},
    "i386": {"owners": ["amazon"], "architecture": "i386"},
    "windows": {"owners": ["amazon"], "platform": "windows"},
    "linux": {"owners": ["amazon"], "platform": "linux"},
    "shared_with_me": {"executable_by": ["self"]},
    "public": {"executable_by": ["all"], "name": "*al2023*"},
    "deprecated_hidden": {"name": "debian-11-*"},
    "deprecated_shown": {"name": "debian-11-*", "include_deprecated": True},
}


@pytest.fixture(scope="module")
def answers(emulator, tmp_path_factory):
    endpoint = AwsEndpoint(emulator.endpoint_url)
    tasks = [{"name": name, "bakery.ami.image_info": options} for name, options in FIXTURE_QUERIES.items()]
    run = run_tasks(tmp_path_factory.mktemp("fixture_queries"), endpoint.env, tasks)
    return dict((name, run.task(name)) for name in FIXTURE_QUERIES)


def test_architecture_selects_arm64_or_x86_64(aws, answers):
    ids = [answers["arm64"]["image"]["image_id"], answers["x86_64"]["image"]["image_id"]]
    described = aws.client("ec2").describe_images(ImageIds=ids)["Images"]
    assert sorted(image["Architecture"] for image in described) == ["arm64", "x86_64"]


def test_images_come_back_newest_first(answers):
    dates = [image["creation_date"] for image in answers["al2023"]["images"]]
    assert len(dates) == 5
    assert dates == sorted(dates, reverse=True)


def test_root_device_type_tells_instance_store_from_ebs(answers):
    instance_store, ebs = answers["instance_store"], answers["ebs"]
    assert [image["name"] for image in instance_store["images"]] == ["amzn-ami-minimal-hvm-2018.03.0.20231218.0-x86_64-s3"]
    assert instance_store["images"][0]["image_id"] not in {image["image_id"] for image in ebs["images"]}
    assert {image["root_device_type"] for image in ebs["images"]} == {"ebs"}


def test_i386_finds_the_32_bit_image(answers):
    assert [image["name"] for image in answers["i386"]["images"]] == ["amzn-ami-pv-2013.09.2.i386-ebs"]


def test_platform_windows_and_linux_split_amazon_images(aws, answers):
    windows, linux = answers["windows"], answers["linux"]
    all_amazon = aws.client("ec2").describe_images(Owners=["amazon"])["Images"]
    assert [image["platform"] for image in windows["images"]] == ["windows"]
    assert len(linux["images"]) + len(windows["images"]) == len(all_amazon)
    assert all(image["platform"] is None for image in linux["images"])


def test_executable_by_self_finds_only_images_shared_with_the_account(answers):
    images = answers["shared_with_me"]["images"]
    assert [image["name"] for image in images] == ["partner-hardened-al2023-x86_64-20250501"]
    assert images[0]["public"] is False


def test_executable_by_all_finds_public_images_only(answers):
    images = answers["public"]["images"]
    assert images
    assert all(image["public"] for image in images)


def test_deprecated_images_are_hidden_unless_asked_for(answers):
    assert answers["deprecated_hidden"]["images"] == []
    shown = answers["deprecated_shown"]["images"]
    assert [image["name"] for image in shown] == ["debian-11-amd64-20240701-1795"]
    assert shown[0]["deprecation_time"]


def test_owners_self_finds_own_images_only(aws, playbook):
    ec2 = aws.client("ec2")
    source = newest_described(ec2, Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}])
    own_id = ec2.copy_image(SourceImageId=source["ImageId"], SourceRegion="us-east-1", Name="own-web-000")["ImageId"]
    result = image_info(playbook, owners=["self"])
    assert [image["image_id"] for image in result["images"]] == [own_id]


def test_disabled_images_are_hidden_unless_asked_for(aws, playbook):
    ec2 = aws.client("ec2")
    source = newest_described(ec2, Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}])
    own_id = ec2.copy_image(SourceImageId=source["ImageId"], SourceRegion="us-east-1", Name="own-retired")["ImageId"]
    ec2.disable_image(ImageId=own_id)
    run = playbook(
        [
            {"name": "hidden", "bakery.ami.image_info": {"owners": ["self"]}},
            {"name": "shown", "bakery.ami.image_info": {"owners": ["self"], "include_disabled": True}},
        ]
    )
    hidden, shown = run.task("hidden"), run.task("shown")
    assert hidden["images"] == []
    assert [(image["image_id"], image["state"]) for image in shown["images"]] == [(own_id, "disabled")]


def test_ssm_parameter_resolves_to_the_image_it_names(aws, playbook):
    name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    result = image_info(playbook, regions=["us-east-1", "eu-west-1"], ssm_parameter=name, most_recent=True)
    for region in ("us-east-1", "eu-west-1"):
        parameter = aws.client("ssm", region).get_parameter(Name=name)["Parameter"]["Value"]
        assert result["images_by_region"][region]["image_id"] == parameter
        assert result["images_by_region"][region]["architecture"] == "x86_64"


def test_describe_launch_permissions_only_for_own_images(aws, playbook):
    ec2 = aws.client("ec2")
    source = newest_described(ec2, Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}])
    own_id = ec2.copy_image(SourceImageId=source["ImageId"], SourceRegion="us-east-1", Name="own-shared")["ImageId"]
    ec2.modify_image_attribute(ImageId=own_id, LaunchPermission={"Add": [{"UserId": "210987654321"}]})
    debian = newest_described(ec2, Filters=[{"Name": "name", "Values": ["debian-12-amd64-*"]}])
    result = image_info(playbook, image_ids=[own_id, debian["ImageId"]], describe_launch_permissions=True)
    by_id = {image["image_id"]: image for image in result["images"]}
    assert by_id[own_id]["launch_permissions"] == {
        "accounts": ["210987654321"],
        "organization_arns": [],
        "organizational_unit_arns": [],
        "public": False,
    }
    assert "launch_permissions" not in by_id[debian["ImageId"]]


def test_check_mode_reads_only(aws, playbook):
    aws.control.clear_calls()
    run = playbook([{"name": "find", "bakery.ami.image_info": {"owners": ["amazon"], "most_recent": True}}], check=True)
    assert run.task("find")["image"]["owner_alias"] == "amazon"
    assert aws.control.mutating_calls() == []


BAD_INPUT = {
    "regions[1]": {"regions": ["us-east-1", "mars-north-1"]},
    "owners[0]": {"owners": ["amazonn"]},
    "image_ids[0]": {"image_ids": ["ami-12"]},
    "executable_by[0]": {"executable_by": ["everyone"]},
}


def test_bad_input_fails_naming_the_option_with_zero_aws_calls(aws, playbook):
    aws.control.clear_calls()
    tasks = [{"name": option, "bakery.ami.image_info": options, "ignore_errors": True} for option, options in BAD_INPUT.items()]
    run = playbook(tasks)
    for option in BAD_INPUT:
        assert run.task(option).failed
        assert run.task(option)["msg"].startswith(option)
    assert aws.control.calls() == []
