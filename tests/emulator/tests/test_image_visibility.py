"""extensions/image_visibility.py: only visible images, and ExecutableBy scoping."""

PARTNER = "111122223333"


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
