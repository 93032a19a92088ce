"""extensions/additional_fixture_images.py, image_product_codes.py, fixture_owner_alias.py."""

MARKETPLACE_ACCOUNT = "679593333241"
NGINX = "a1b2c3d4e5f6g7h8i9j0k1l2m"


def test_marketplace_images_have_the_aws_marketplace_owner_alias(ec2):
    images = ec2.describe_images(Owners=["aws-marketplace"])["Images"]
    assert len(images) == 4
    assert {(image["OwnerId"], image["ImageOwnerAlias"]) for image in images} == {(MARKETPLACE_ACCOUNT, "aws-marketplace")}


def test_describe_images_returns_product_codes(ec2):
    image = ec2.describe_images(Filters=[{"Name": "name", "Values": ["bakery-test-nginx-1.26.3-*"]}])["Images"][0]
    assert image["ProductCodes"] == [{"ProductCodeId": NGINX, "ProductCodeType": "marketplace"}]


def test_product_code_filter_matches_the_product_images(ec2):
    images = ec2.describe_images(Filters=[{"Name": "product-code", "Values": [NGINX]}])["Images"]
    assert sorted(image["Architecture"] for image in images) == ["arm64", "x86_64", "x86_64"]


def test_amazon_alias_only_on_amazon_accounts(ec2):
    owners = {image["OwnerId"] for image in ec2.describe_images(Owners=["amazon"])["Images"]}
    assert owners == {"137112412989", "801119661308"}


def test_other_publishers_have_no_owner_alias(ec2):
    debian = ec2.describe_images(Filters=[{"Name": "name", "Values": ["debian-12-*"]}])["Images"]
    assert debian and all("ImageOwnerAlias" not in image for image in debian)


def test_marketplace_product_versions_have_distinct_creation_dates(ec2):
    images = ec2.describe_images(Filters=[{"Name": "product-code", "Values": [NGINX]}, {"Name": "architecture", "Values": ["x86_64"]}])["Images"]
    assert len({image["CreationDate"] for image in images}) == 2
