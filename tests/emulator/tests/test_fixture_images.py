"""The fixture images (fixtures/amis.json) and the attributes moto's Ami constructor cannot take
(extensions/fixture_image_attributes.py)."""

from tests.emulator.tests.conftest import describe_image

DEBIAN = "136693071363"
AMAZON = "137112412989"


def test_fixture_replaces_moto_default_images(ec2):
    images = ec2.describe_images()["Images"]
    # 16 in amis.json, one of them (Debian 11) deprecated and so hidden by default; plus 4 Marketplace
    # images and 1 image shared with the account (a second partner image is private, so invisible),
    # see extensions/additional_fixture_images.py.
    assert len(images) == 15 + 5
    assert len(ec2.describe_images(IncludeDeprecated=True)["Images"]) == 16 + 5


def test_fixture_images_have_distinct_creation_dates(ec2):
    images = ec2.describe_images(IncludeDeprecated=True)["Images"]
    assert len({image["CreationDate"] for image in images}) == len(images)


def test_debian_12_images_per_architecture(ec2):
    images = ec2.describe_images(Owners=[DEBIAN], Filters=[{"Name": "name", "Values": ["debian-12-*"]}])["Images"]
    by_arch = {}
    for image in images:
        by_arch.setdefault(image["Architecture"], []).append(image["Name"])
    assert sorted(by_arch) == ["arm64", "x86_64"]
    assert all(len(names) == 2 for names in by_arch.values())


def test_al2023_images_declare_imdsv2(ec2):
    images = ec2.describe_images(Owners=[AMAZON], Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*"]}])["Images"]
    assert len(images) == 4
    assert {image["ImdsSupport"] for image in images} == {"v2.0"}


def test_special_images_describe_their_kind(ec2):
    instance_store = ec2.describe_images(Filters=[{"Name": "name", "Values": ["*-s3"]}])["Images"][0]
    windows = ec2.describe_images(Filters=[{"Name": "platform", "Values": ["windows"]}])["Images"][0]
    paravirtual = ec2.describe_images(Filters=[{"Name": "virtualization-type", "Values": ["paravirtual"]}])["Images"][0]
    assert instance_store["RootDeviceType"] == "instance-store"
    assert instance_store["ImageLocation"].endswith(".manifest.xml")
    assert windows["PlatformDetails"] == "Windows"
    assert paravirtual["Architecture"] == "i386"


def test_same_fixture_ids_in_every_region(aws):
    image = describe_image(aws.client("ec2", region="eu-west-1"), "ami-0de12a0d640000002")
    assert image["Name"] == "debian-12-amd64-20250510-2108"
