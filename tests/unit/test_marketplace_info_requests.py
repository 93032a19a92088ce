"""marketplace_info: the DescribeImages and DryRun RunInstances it sends, and how DryRun answers read, with Stubber."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import RegionalApi
from ansible_collections.bakery.ami.plugins.module_utils._marketplace_info.products import MarketplaceProducts
from ansible_collections.bakery.ami.plugins.module_utils._marketplace_info.request import MarketplaceQuery
from tests.unit.module_params import module_params

CODE = "a1b2c3d4e5f6g7h8i9j0k1l2m"
IMAGE = {
    "ImageId": "ami-0000000000000000a",
    "Architecture": "arm64",
    "CreationDate": "2025-05-20T10:19:00.000Z",
    "OwnerId": "679593333241",
    "ImageOwnerAlias": "aws-marketplace",
    "ProductCodes": [{"ProductCodeId": CODE, "ProductCodeType": "marketplace"}],
}


class StubbedEc2:
    def __init__(self):
        self.client = boto3.session.Session(aws_access_key_id="t", aws_secret_access_key="t").client("ec2", region_name="us-east-1")
        self.stub = Stubber(self.client)

    def api(self, service, region=None):
        return RegionalApi(self.client, "us-east-1")


@pytest.fixture
def ec2():
    stubbed = StubbedEc2()
    with stubbed.stub:
        yield stubbed
        stubbed.stub.assert_no_pending_responses()


def find(ec2, dry_run_error_code=None, **params):
    ec2.stub.add_response(
        "describe_images",
        {"Images": [IMAGE]},
        {
            "Owners": ["aws-marketplace"],
            "Filters": [
                {"Name": "architecture", "Values": ["arm64"]},
                {"Name": "product-code", "Values": [CODE]},
                {"Name": "state", "Values": ["available"]},
            ],
        },
    )
    ec2.stub.add_client_error(
        "run_instances",
        service_error_code=dry_run_error_code,
        service_message="answer",
        expected_params={"ImageId": IMAGE["ImageId"], "InstanceType": "t4g.micro", "MinCount": 1, "MaxCount": 1, "DryRun": True},
    )
    query = MarketplaceQuery.from_params(module_params("marketplace_info", **dict({"regions": ["us-east-1"], "product_codes": [CODE], "architecture": "arm64"}, **params)))
    return MarketplaceProducts(ec2, query).find()["products"][0]


@pytest.mark.parametrize(
    "code, subscribed, status",
    [
        ("DryRunOperation", True, "subscribed"),
        ("OptInRequired", False, "not_subscribed"),
        ("UnauthorizedOperation", None, "unknown"),
    ],
)
def test_dry_run_answer_decides_the_subscription(ec2, code, subscribed, status):
    product = find(ec2, code)
    assert (product["subscribed"], product["subscription_status"]) == (subscribed, status)
    assert product["image_id"] == IMAGE["ImageId"]


def test_unknown_subscription_gives_the_aws_error_as_reason(ec2):
    assert "UnauthorizedOperation" in find(ec2, "UnauthorizedOperation")["subscription_reason"]


@pytest.mark.parametrize(
    "params, problem",
    [
        ({"product_codes": ["ABC"]}, "product_codes[0]"),
        ({"product_codes": [], "name": None}, "product_codes or name"),
        ({"regions": ["nowhere"]}, "regions[0]"),
    ],
)
def test_bad_input_names_the_option(params, problem):
    with pytest.raises(InvalidInputError) as raised:
        MarketplaceQuery.from_params(module_params("marketplace_info", **dict({"regions": ["us-east-1"], "product_codes": [CODE]}, **params)))
    assert str(raised.value).startswith(problem)
