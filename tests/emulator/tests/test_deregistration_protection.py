import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import describe_image


@pytest.fixture
def image_id(ec2, instance_id):
    return ec2.create_image(InstanceId=instance_id, Name="web-server-000")["ImageId"]


def test_images_start_unprotected(ec2, image_id):
    assert describe_image(ec2, image_id)["DeregistrationProtection"] == "disabled"


@pytest.mark.parametrize(("with_cooldown", "shown"), [(True, "enabled-with-cooldown"), (False, "enabled-without-cooldown")])
def test_enable_is_shown(ec2, image_id, with_cooldown, shown):
    ec2.enable_image_deregistration_protection(ImageId=image_id, WithCooldown=with_cooldown)
    assert describe_image(ec2, image_id)["DeregistrationProtection"] == shown


def test_protected_image_cannot_be_deregistered(ec2, image_id):
    ec2.enable_image_deregistration_protection(ImageId=image_id)
    with pytest.raises(ClientError) as error:
        ec2.deregister_image(ImageId=image_id)
    assert error.value.response["Error"]["Code"] == "OperationNotPermitted"
    assert describe_image(ec2, image_id)["State"] == "available"


def test_disable_without_cooldown_allows_deregistration(ec2, image_id):
    ec2.enable_image_deregistration_protection(ImageId=image_id, WithCooldown=False)
    ec2.disable_image_deregistration_protection(ImageId=image_id)
    assert describe_image(ec2, image_id)["DeregistrationProtection"] == "disabled"
    ec2.deregister_image(ImageId=image_id)
    assert ec2.describe_images(Owners=["self"])["Images"] == []


def test_disable_with_cooldown_keeps_protection_for_24_hours(ec2, image_id):
    ec2.enable_image_deregistration_protection(ImageId=image_id, WithCooldown=True)
    ec2.disable_image_deregistration_protection(ImageId=image_id)
    assert describe_image(ec2, image_id)["DeregistrationProtection"].startswith("disabled-until ")
    with pytest.raises(ClientError):
        ec2.deregister_image(ImageId=image_id)
