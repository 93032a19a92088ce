"""image_info against the emulator: real ansible-playbook runs, answers compared with what DescribeImages holds."""

import time

import pytest

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


def test_architecture_selects_arm64_or_x86_64(aws, playbook):
    arm = image_info(playbook, owners=["amazon"], name="al2023-ami-2023.*", architecture="arm64", most_recent=True)
    x86 = image_info(playbook, owners=["amazon"], name="al2023-ami-2023.*", architecture="x86_64", most_recent=True)
    described = aws.client("ec2").describe_images(ImageIds=[arm["image"]["image_id"], x86["image"]["image_id"]])["Images"]
    assert sorted(image["Architecture"] for image in described) == ["arm64", "x86_64"]


def test_images_come_back_newest_first(aws, playbook):
    result = image_info(playbook, owners=["amazon"], name="al2023-ami-*")
    dates = [image["creation_date"] for image in result["images"]]
    assert len(dates) == 5
    assert dates == sorted(dates, reverse=True)


def test_root_device_type_tells_instance_store_from_ebs(aws, playbook):
    instance_store = image_info(playbook, owners=["amazon"], root_device_type="instance-store")
    ebs = image_info(playbook, owners=["amazon"], root_device_type="ebs")
    assert [image["name"] for image in instance_store["images"]] == ["amzn-ami-minimal-hvm-2018.03.0.20231218.0-x86_64-s3"]
    assert instance_store["images"][0]["image_id"] not in {image["image_id"] for image in ebs["images"]}
    assert {image["root_device_type"] for image in ebs["images"]} == {"ebs"}


def test_i386_finds_the_32_bit_image(aws, playbook):
    result = image_info(playbook, owners=["amazon"], architecture="i386")
    assert [image["name"] for image in result["images"]] == ["amzn-ami-pv-2013.09.2.i386-ebs"]


def test_platform_windows_and_linux_split_amazon_images(aws, playbook):
    windows = image_info(playbook, owners=["amazon"], platform="windows")
    linux = image_info(playbook, owners=["amazon"], platform="linux")
    all_amazon = aws.client("ec2").describe_images(Owners=["amazon"])["Images"]
    assert [image["platform"] for image in windows["images"]] == ["windows"]
    assert len(linux["images"]) + len(windows["images"]) == len(all_amazon)
    assert all(image["platform"] is None for image in linux["images"])


def test_executable_by_self_finds_only_images_shared_with_the_account(aws, playbook):
    result = image_info(playbook, executable_by=["self"])
    assert [image["name"] for image in result["images"]] == ["partner-hardened-al2023-x86_64-20250501"]
    assert result["images"][0]["public"] is False


def test_executable_by_all_finds_public_images_only(aws, playbook):
    result = image_info(playbook, executable_by=["all"], name="*al2023*")
    assert result["images"]
    assert all(image["public"] for image in result["images"])


def test_owners_self_finds_own_images_only(aws, playbook):
    ec2 = aws.client("ec2")
    source = newest_described(ec2, Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}])
    own_id = ec2.copy_image(SourceImageId=source["ImageId"], SourceRegion="us-east-1", Name="own-web-000")["ImageId"]
    result = image_info(playbook, owners=["self"])
    assert [image["image_id"] for image in result["images"]] == [own_id]


def test_deprecated_images_are_hidden_unless_asked_for(aws, playbook):
    hidden = image_info(playbook, name="debian-11-*")
    shown = image_info(playbook, name="debian-11-*", include_deprecated=True)
    assert hidden["images"] == []
    assert [image["name"] for image in shown["images"]] == ["debian-11-amd64-20240701-1795"]
    assert shown["images"][0]["deprecation_time"]


def test_disabled_images_are_hidden_unless_asked_for(aws, playbook):
    ec2 = aws.client("ec2")
    source = newest_described(ec2, Owners=["amazon"], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*-x86_64"]}])
    own_id = ec2.copy_image(SourceImageId=source["ImageId"], SourceRegion="us-east-1", Name="own-retired")["ImageId"]
    ec2.disable_image(ImageId=own_id)
    hidden = image_info(playbook, owners=["self"])
    shown = image_info(playbook, owners=["self"], include_disabled=True)
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
    assert by_id[own_id]["launch_permissions"] == [{"user_id": "210987654321"}]
    assert "launch_permissions" not in by_id[debian["ImageId"]]


def test_check_mode_reads_only(aws, playbook):
    aws.control.clear_calls()
    run = playbook([{"name": "find", "bakery.ami.image_info": {"owners": ["amazon"], "most_recent": True}}], check=True)
    assert run.task("find")["image"]["owner_alias"] == "amazon"
    assert aws.control.mutating_calls() == []


@pytest.mark.parametrize(
    "options, option_named",
    [
        ({"regions": ["us-east-1", "mars-north-1"]}, "regions[1]"),
        ({"owners": ["amazonn"]}, "owners[0]"),
        ({"image_ids": ["ami-12"]}, "image_ids[0]"),
        ({"executable_by": ["everyone"]}, "executable_by[0]"),
    ],
)
def test_bad_input_fails_naming_the_option_with_zero_aws_calls(aws, playbook, options, option_named):
    aws.control.clear_calls()
    result = image_info(playbook, **options)
    assert result.failed
    assert result["msg"].startswith(option_named)
    assert aws.control.calls() == []
