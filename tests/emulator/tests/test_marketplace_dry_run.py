"""extensions/marketplace_dry_run.py: RunInstances of a Marketplace image needs a subscription."""

import pytest
from botocore.exceptions import ClientError

NGINX = "a1b2c3d4e5f6g7h8i9j0k1l2m"


def nginx_image_id(ec2):
    return ec2.describe_images(Filters=[{"Name": "product-code", "Values": [NGINX]}])["Images"][0]["ImageId"]


def dry_run_error_code(ec2, image_id):
    with pytest.raises(ClientError) as raised:
        ec2.run_instances(ImageId=image_id, InstanceType="t3.micro", MinCount=1, MaxCount=1, DryRun=True)
    return raised.value.response["Error"]["Code"]


def test_dry_run_without_subscription_answers_opt_in_required(ec2):
    assert dry_run_error_code(ec2, nginx_image_id(ec2)) == "OptInRequired"


def test_dry_run_with_subscription_answers_dry_run_operation(aws, ec2):
    aws.control.configure(marketplace_subscriptions=[NGINX])
    assert dry_run_error_code(ec2, nginx_image_id(ec2)) == "DryRunOperation"


def test_configured_error_replaces_the_answer(aws, ec2):
    aws.control.configure(marketplace_dry_run_errors={NGINX: "UnauthorizedOperation"})
    assert dry_run_error_code(ec2, nginx_image_id(ec2)) == "UnauthorizedOperation"


def test_images_without_product_codes_need_no_subscription(ec2):
    debian = ec2.describe_images(Filters=[{"Name": "name", "Values": ["debian-12-amd64-*"]}])["Images"][0]
    assert dry_run_error_code(ec2, debian["ImageId"]) == "DryRunOperation"


def test_reset_forgets_subscriptions(aws, ec2):
    aws.control.configure(marketplace_subscriptions=[NGINX])
    aws.control.reset()
    assert dry_run_error_code(ec2, nginx_image_id(ec2)) == "OptInRequired"
