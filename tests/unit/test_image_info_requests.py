"""Request shapes image_info sends (filters pushed to AWS, Owners, ExecutableUsers, Include*), with botocore's Stubber."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import RegionalApi
from ansible_collections.bakery.ami.plugins.module_utils._image_info.finder import ImageFinder
from ansible_collections.bakery.ami.plugins.module_utils._image_info.request import ImageQuery
from tests.unit.module_params import module_params

REGIONS = {"us-east-1", "eu-west-1"}
OLDER = {"ImageId": "ami-0000000000000000a", "Name": "al2023-a", "CreationDate": "2025-04-28T23:11:05.000Z", "State": "available"}
NEWER = {"ImageId": "ami-0000000000000000b", "Name": "al2023-b", "CreationDate": "2025-05-12T19:41:37.000Z", "State": "available"}
WINDOWS = {"ImageId": "ami-0000000000000000c", "Name": "win", "CreationDate": "2025-05-14T06:38:21.000Z", "Platform": "windows"}


class StubbedClients:
    """A client factory whose clients (per service and region) are stubbed."""

    def __init__(self):
        self.session = boto3.session.Session(aws_access_key_id="t", aws_secret_access_key="t", region_name="us-east-1")
        self.clients = {}
        self.stubs = {}

    def stub(self, service, region="us-east-1"):
        if (service, region) not in self.clients:
            client = self.session.client(service, region_name=region)
            self.clients[(service, region)] = client
            self.stubs[(service, region)] = Stubber(client)
            self.stubs[(service, region)].activate()
        return self.stubs[(service, region)]

    def api(self, service, region=None):
        self.stub(service, region or "us-east-1")
        return RegionalApi(self.clients[(service, region or "us-east-1")], region or "us-east-1")


@pytest.fixture
def clients():
    stubbed = StubbedClients()
    yield stubbed
    for stub in stubbed.stubs.values():
        stub.assert_no_pending_responses()


def query(**params):
    params.setdefault("regions", ["us-east-1"])
    return ImageQuery.from_params(module_params("image_info", **params))


def test_every_selector_ec2_can_filter_on_is_sent_as_a_filter(clients):
    clients.stub("ec2").add_response(
        "describe_images",
        {"Images": [OLDER, NEWER]},
        {
            "Owners": ["amazon", "123456789012"],
            "ExecutableUsers": ["self"],
            "IncludeDeprecated": False,
            "IncludeDisabled": False,
            "Filters": [
                {"Name": "architecture", "Values": ["arm64"]},
                {"Name": "ena-support", "Values": ["true"]},
                {"Name": "name", "Values": ["al2023-*"]},
                {"Name": "platform", "Values": ["windows"]},
                {"Name": "root-device-type", "Values": ["ebs"]},
                {"Name": "state", "Values": ["available"]},
                {"Name": "tag:team", "Values": ["web"]},
                {"Name": "virtualization-type", "Values": ["hvm"]},
            ],
        },
    )
    ImageFinder(
        clients,
        query(
            owners=["amazon", "123456789012"],
            executable_by=["self"],
            name="al2023-*",
            architecture="arm64",
            platform="windows",
            root_device_type="ebs",
            virtualization_type="hvm",
            tags={"team": "web"},
            filters={"ena-support": True},
        ),
    ).find()


def test_include_deprecated_and_disabled_are_sent_and_disabled_state_is_allowed(clients):
    clients.stub("ec2").add_response(
        "describe_images",
        {"Images": []},
        {
            "Owners": ["self"],
            "IncludeDeprecated": True,
            "IncludeDisabled": True,
            "Filters": [{"Name": "state", "Values": ["available", "disabled"]}],
        },
    )
    ImageFinder(clients, query(owners=["self"], include_deprecated=True, include_disabled=True)).find()


def test_platform_linux_is_not_sent_and_windows_images_are_left_out(clients):
    clients.stub("ec2").add_response(
        "describe_images",
        {"Images": [OLDER, WINDOWS]},
        {"Owners": ["amazon"], "IncludeDeprecated": False, "IncludeDisabled": False, "Filters": [{"Name": "state", "Values": ["available"]}]},
    )
    result = ImageFinder(clients, query(owners=["amazon"], platform="linux")).find()
    assert [image["image_id"] for image in result["images"]] == [OLDER["ImageId"]]


def test_most_recent_picks_the_newest_creation_date(clients):
    clients.stub("ec2").add_response("describe_images", {"Images": [OLDER, NEWER]})
    result = ImageFinder(clients, query(owners=["amazon"], most_recent=True)).find()
    assert result["image"]["image_id"] == NEWER["ImageId"]
    assert result["changed"] is False


def test_ssm_parameter_is_resolved_per_region_then_described_by_id(clients):
    name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    for region, image in (("us-east-1", NEWER), ("eu-west-1", OLDER)):
        clients.stub("ssm", region).add_response("get_parameter", {"Parameter": {"Value": image["ImageId"]}}, {"Name": name})
        clients.stub("ec2", region).add_response(
            "describe_images",
            {"Images": [image]},
            {"ImageIds": [image["ImageId"]], "IncludeDeprecated": False, "IncludeDisabled": False},
        )
    result = ImageFinder(clients, query(regions=["us-east-1", "eu-west-1"], ssm_parameter=name, most_recent=True)).find()
    assert result["images_by_region"]["eu-west-1"]["image_id"] == OLDER["ImageId"]
    assert result["images_by_region"]["us-east-1"]["image_id"] == NEWER["ImageId"]


def test_launch_permissions_are_read_for_own_images_only(clients):
    own = dict(NEWER, OwnerId="123456789012")
    foreign = dict(OLDER, OwnerId="137112412989")
    clients.stub("sts").add_response("get_caller_identity", {"Account": "123456789012"})
    clients.stub("ec2").add_response("describe_images", {"Images": [own, foreign]})
    clients.stub("ec2").add_response(
        "describe_image_attribute",
        {"LaunchPermissions": [{"Group": "all"}]},
        {"ImageId": own["ImageId"], "Attribute": "launchPermission"},
    )
    result = ImageFinder(clients, query(describe_launch_permissions=True)).find()
    by_id = {image["image_id"]: image for image in result["images"]}
    assert by_id[own["ImageId"]]["launch_permissions"]["public"] is True
    assert "launch_permissions" not in by_id[foreign["ImageId"]]


@pytest.mark.parametrize(
    "params, problem",
    [
        ({"regions": ["us-east-1", "moon-1"]}, "regions[1]"),
        ({"owners": ["amazon", "1234"]}, "owners[1]"),
        ({"executable_by": ["public"]}, "executable_by[0]"),
        ({"image_ids": ["ami-xyz"]}, "image_ids[0]"),
        ({"ssm_parameter": "not a parameter"}, "ssm_parameter"),
        ({"architecture": "sparc"}, "architecture"),
    ],
)
def test_bad_input_names_the_option(params, problem):
    with pytest.raises(InvalidInputError) as raised:
        query(**params)
    assert str(raised.value).startswith(problem)
