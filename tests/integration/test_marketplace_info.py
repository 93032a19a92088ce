"""marketplace_info against the emulator: newest product image per region and the subscription a DryRun reveals."""

NGINX = "a1b2c3d4e5f6g7h8i9j0k1l2m"
REDIS = "z9y8x7w6v5u4t3s2r1q0p9o8n"


def marketplace_info(playbook, **options):
    return playbook([{"name": "products", "bakery.ami.marketplace_info": options}]).task("products")


def newest_product_image(ec2, product_code, architecture):
    images = ec2.describe_images(
        Owners=["aws-marketplace"],
        Filters=[{"Name": "product-code", "Values": [product_code]}, {"Name": "architecture", "Values": [architecture]}],
    )["Images"]
    return max(images, key=lambda image: image["CreationDate"])


def test_newest_image_per_product_per_region(aws, playbook):
    result = marketplace_info(playbook, product_codes=[NGINX, REDIS], regions=["us-east-1", "eu-west-1"], architecture="x86_64")
    assert sorted((p["product_code"], p["region"]) for p in result["products"]) == sorted(
        (code, region) for code in (NGINX, REDIS) for region in ("us-east-1", "eu-west-1")
    )
    for product in result["products"]:
        expected = newest_product_image(aws.client("ec2", product["region"]), product["product_code"], "x86_64")
        assert product["image_id"] == expected["ImageId"]
        assert product["product_codes"] == [product["product_code"]]
        assert product["owner_alias"] == "aws-marketplace"
        assert product["marketplace_url"] == "https://aws.amazon.com/marketplace/pp?sku=%s" % product["product_code"]


def test_subscribed_and_not_subscribed_products(aws, playbook):
    aws.control.configure(marketplace_subscriptions=[NGINX])
    aws.control.clear_calls()
    result = marketplace_info(playbook, product_codes=[NGINX, REDIS], architecture="x86_64")
    status = {p["product_code"]: (p["subscribed"], p["subscription_status"]) for p in result["products"]}
    assert status == {NGINX: (True, "subscribed"), REDIS: (False, "not_subscribed")}
    runs = [call for call in aws.control.calls() if call["action"] == "RunInstances"]
    assert len(runs) == 2 and all(call["dry_run"] for call in runs)
    assert aws.client("ec2").describe_instances()["Reservations"] == []


def test_undecidable_dry_run_makes_the_subscription_unknown_with_the_reason(aws, playbook):
    aws.control.configure(marketplace_dry_run_errors={REDIS: "UnauthorizedOperation"})
    result = marketplace_info(playbook, product_codes=[REDIS])
    (product,) = result["products"]
    assert product["subscribed"] is None
    assert product["subscription_status"] == "unknown"
    assert "UnauthorizedOperation" in product["subscription_reason"]


def test_name_pattern_finds_every_matching_product(aws, playbook):
    result = marketplace_info(playbook, name="bakery-test-*", architecture="arm64", check_subscription=False)
    (product,) = result["products"]
    assert product["product_code"] == NGINX
    assert product["image"]["architecture"] == "arm64"
    assert product["subscription_status"] == "not_checked"


def test_check_mode_makes_only_read_and_dry_run_calls(aws, playbook):
    aws.control.clear_calls()
    run = playbook([{"name": "products", "bakery.ami.marketplace_info": {"product_codes": [NGINX]}}], check=True)
    assert run.task("products")["products"][0]["subscribed"] is False
    assert aws.control.mutating_calls() == []


def test_malformed_product_code_fails_with_zero_aws_calls(aws, playbook):
    aws.control.clear_calls()
    result = marketplace_info(playbook, product_codes=[NGINX, "not-a-code"])
    assert result.failed
    assert result["msg"].startswith("product_codes[1] 'not-a-code' is not an AWS Marketplace product code")
    assert aws.control.calls() == []


def test_unknown_region_fails_with_zero_aws_calls(aws, playbook):
    aws.control.clear_calls()
    result = marketplace_info(playbook, product_codes=[NGINX], regions=["eu-west-1", "atlantis-1"])
    assert result.failed
    assert result["msg"].startswith("regions[1]")
    assert aws.control.calls() == []
