"""extensions/image_visibility.py: only visible images, other accounts' shared and public images included,
and ExecutableBy scoping."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.autoscaling_arrangements import own_image
from tests.emulator.tests.conftest import ACCOUNT, OTHER_ACCOUNT, client_as, describe_image, error_code

PARTNER = "111122223333"
DEBIAN_12_ARM64 = "ami-0de12a4a640000002"


def test_private_images_of_other_accounts_are_invisible_unless_shared(ec2):
    names = {image["Name"] for image in ec2.describe_images(Owners=[PARTNER])["Images"]}
    assert names == {"partner-hardened-al2023-x86_64-20250501"}


def test_executable_by_self_returns_images_shared_with_the_caller(ec2):
    images = ec2.describe_images(ExecutableUsers=["self"])["Images"]
    assert [image["Name"] for image in images] == ["partner-hardened-al2023-x86_64-20250501"]
    assert images[0]["Public"] is False


def test_executable_by_all_returns_public_images_only(ec2):
    images = ec2.describe_images(ExecutableUsers=["all"])["Images"]
    assert images and all(image["Public"] for image in images)


def test_executable_by_account_id_returns_images_shared_with_that_account(ec2):
    assert [image["Name"] for image in ec2.describe_images(ExecutableUsers=["123456789012"])["Images"]] == [
        "partner-hardened-al2023-x86_64-20250501"
    ]
    assert ec2.describe_images(ExecutableUsers=["999999999999"])["Images"] == []


def ids(images):
    return [image["ImageId"] for image in images]


@pytest.fixture
def owner_image_id(ec2):
    """An image of the default account (ACCOUNT), not shared yet."""
    return own_image(ec2, "web-server-000")


def test_an_image_shared_with_an_account_is_visible_to_it(ec2, other_ec2, owner_image_id):
    ec2.modify_image_attribute(ImageId=owner_image_id, LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}]})

    assert ids(other_ec2.describe_images(ExecutableUsers=["self"])["Images"]) == [owner_image_id]
    assert ids(other_ec2.describe_images(Owners=[ACCOUNT])["Images"]) == [owner_image_id]
    assert ids(other_ec2.describe_images(Filters=[{"Name": "name", "Values": ["web-server-*"]}])["Images"]) == [owner_image_id]
    shared = describe_image(other_ec2, owner_image_id)
    assert (shared["OwnerId"], shared["Public"], shared["Name"]) == (ACCOUNT, False, "web-server-000")
    assert other_ec2.describe_images(Owners=["self"])["Images"] == []


def test_an_image_not_shared_with_an_account_is_invisible_to_it(ec2, other_ec2, owner_image_id):
    assert owner_image_id not in ids(other_ec2.describe_images()["Images"])
    assert other_ec2.describe_images(Owners=[ACCOUNT])["Images"] == []
    with pytest.raises(ClientError) as caught:
        other_ec2.describe_images(ImageIds=[owner_image_id])
    assert error_code(caught) == "InvalidAMIID.NotFound"


def test_an_image_shared_with_another_account_only_is_invisible(aws, ec2, owner_image_id):
    ec2.modify_image_attribute(ImageId=owner_image_id, LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}]})
    third = client_as(aws, "333344445555")
    assert third.describe_images(Owners=[ACCOUNT])["Images"] == []


def test_unsharing_hides_the_image_again(ec2, other_ec2, owner_image_id):
    ec2.modify_image_attribute(ImageId=owner_image_id, LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}]})
    assert ids(other_ec2.describe_images(Owners=[ACCOUNT])["Images"]) == [owner_image_id]

    ec2.modify_image_attribute(ImageId=owner_image_id, LaunchPermission={"Remove": [{"UserId": OTHER_ACCOUNT}]})

    assert other_ec2.describe_images(Owners=[ACCOUNT])["Images"] == []


def test_a_public_image_is_visible_to_every_account(ec2, other_ec2, owner_image_id):
    ec2.modify_image_attribute(ImageId=owner_image_id, LaunchPermission={"Add": [{"Group": "all"}]})

    assert ids(other_ec2.describe_images(Owners=[ACCOUNT])["Images"]) == [owner_image_id]
    assert owner_image_id in ids(other_ec2.describe_images(ExecutableUsers=["all"])["Images"])
    assert owner_image_id not in ids(other_ec2.describe_images(ExecutableUsers=["self"])["Images"])


def test_an_account_launching_an_image_shared_with_it_gets_the_images_attributes(ec2, other_ec2):
    builder = ec2.run_instances(ImageId=DEBIAN_12_ARM64, MinCount=1, MaxCount=1, InstanceType="t4g.micro")["Instances"][0]["InstanceId"]
    arm_image_id = ec2.create_image(InstanceId=builder, Name="web-server-arm64-000")["ImageId"]
    ec2.modify_image_attribute(ImageId=arm_image_id, LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}]})

    instance = other_ec2.run_instances(ImageId=arm_image_id, MinCount=1, MaxCount=1, InstanceType="t4g.micro")["Instances"][0]

    assert (instance["ImageId"], instance["Architecture"]) == (arm_image_id, "arm64")
