"""Request shapes and input checks of image_parameter, with botocore's Stubber."""

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError, RegionsPartlyFailedError
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import RegionalApi
from ansible_collections.bakery.ami.plugins.module_utils._image_parameter.publisher import ParameterRefusedError, publish_image_parameter
from ansible_collections.bakery.ami.plugins.module_utils._image_parameter.request import ImageParameterRequest
from tests.unit.module_params import module_params

NAME = "/bakery/web-server-003/latest"
IMAGE = "ami-0123456789abcdef0"
OLD_IMAGE = "ami-0fedcba9876543210"
FAST = Backoff(0.01, 0.01)


class StubbedClients:
    """One stubbed client per service in us-east-1, handed out as the module's client factory would."""

    def __init__(self):
        session = boto3.session.Session(aws_access_key_id="t", aws_secret_access_key="t", region_name="us-east-1")
        self.clients = {service: session.client(service) for service in ("ssm", "ec2")}
        self.stubs = {service: Stubber(client) for service, client in self.clients.items()}

    def api(self, service, region=None):
        return RegionalApi(self.clients[service], region or "us-east-1")


@pytest.fixture
def clients():
    stubbed = StubbedClients()
    for stub in stubbed.stubs.values():
        stub.activate()
    yield stubbed
    for stub in stubbed.stubs.values():
        stub.assert_no_pending_responses()
        stub.deactivate()


def request(**options):
    params = {"name": NAME, "image_ids": {"us-east-1": IMAGE}, "wait_timeout": 1}
    params.update(options)
    return ImageParameterRequest.from_params(module_params("image_parameter", **params))


def parameter(value, version, data_type="aws:ec2:image"):
    return {"Parameter": {"Name": NAME, "Type": "String", "Value": value, "Version": version, "DataType": data_type}}


def image(state="available"):
    return {"Images": [{"ImageId": IMAGE, "State": state}]}


def not_found(stub):
    stub.add_client_error("get_parameter", "ParameterNotFound", "not found", expected_params={"Name": NAME})


def test_a_new_parameter_is_a_string_of_data_type_aws_ec2_image_with_its_tags_and_no_overwrite(clients):
    ssm, ec2 = clients.stubs["ssm"], clients.stubs["ec2"]
    not_found(ssm)
    ec2.add_response("describe_images", image(), {"ImageIds": [IMAGE], "IncludeDeprecated": True, "IncludeDisabled": True})
    ssm.add_response(
        "put_parameter",
        {"Version": 1},
        {"Name": NAME, "Value": IMAGE, "Type": "String", "DataType": "aws:ec2:image", "Tags": [{"Key": "team", "Value": "web"}]},
    )
    ssm.add_response("get_parameter", parameter(IMAGE, 1), {"Name": NAME})

    result = publish_image_parameter(clients, request(tags={"team": "web"}), check_mode=False, backoff=FAST)

    assert result["changed"] and result["parameters"][0]["action"] == "create" and result["parameters"][0]["version"] == 1


def test_an_update_overwrites_without_tags_and_adds_tags_separately(clients):
    ssm, ec2 = clients.stubs["ssm"], clients.stubs["ec2"]
    ssm.add_response("get_parameter", parameter(OLD_IMAGE, 3), {"Name": NAME})
    ssm.add_response("list_tags_for_resource", {"TagList": []}, {"ResourceType": "Parameter", "ResourceId": NAME})
    ec2.add_response("describe_images", image(), {"ImageIds": [IMAGE], "IncludeDeprecated": True, "IncludeDisabled": True})
    ssm.add_response("put_parameter", {"Version": 4}, {"Name": NAME, "Value": IMAGE, "Type": "String", "DataType": "aws:ec2:image", "Overwrite": True})
    ssm.add_response("get_parameter", parameter(IMAGE, 4), {"Name": NAME})
    ssm.add_response(
        "add_tags_to_resource", {}, {"ResourceType": "Parameter", "ResourceId": NAME, "Tags": [{"Key": "team", "Value": "web"}]}
    )

    result = publish_image_parameter(clients, request(tags={"team": "web"}), check_mode=False, backoff=FAST)

    assert result["parameters"][0]["previous_image_id"] == OLD_IMAGE and result["parameters"][0]["version"] == 4
    assert result["diff"] == {"before": {"us-east-1": OLD_IMAGE}, "after": {"us-east-1": IMAGE}}


def test_a_put_that_never_lands_fails_naming_the_asynchronous_validation(clients):
    ssm, ec2 = clients.stubs["ssm"], clients.stubs["ec2"]
    ssm.add_response("get_parameter", parameter(OLD_IMAGE, 3), {"Name": NAME})
    ec2.add_response("describe_images", image(), None)
    ssm.add_response("put_parameter", {"Version": 4}, None)
    for _ in range(40):  # read-backs for 1 s at 0.1 s: about 11 are used
        ssm.add_response("get_parameter", parameter(OLD_IMAGE, 3), {"Name": NAME})

    with pytest.raises(RegionsPartlyFailedError) as caught:
        publish_image_parameter(clients, request(wait_timeout=1), check_mode=False, backoff=Backoff(0.1, 0.1))

    assert "asynchronous aws:ec2:image validation rejected" in str(caught.value) and IMAGE in str(caught.value)
    assert caught.value.result["failed"] and caught.value.result["parameters"][0]["changed"] is False
    clients.stubs["ssm"]._queue.clear()  # the unused read-backs


def test_the_same_image_makes_only_the_read(clients):
    clients.stubs["ssm"].add_response("get_parameter", parameter(IMAGE, 7), {"Name": NAME})

    result = publish_image_parameter(clients, request(), check_mode=False, backoff=FAST)

    assert not result["changed"] and result["parameters"][0]["version"] == 7


def test_check_mode_plans_and_writes_nothing(clients):
    not_found(clients.stubs["ssm"])
    clients.stubs["ec2"].add_response("describe_images", image("pending"), None)

    result = publish_image_parameter(clients, request(), check_mode=True, backoff=FAST)

    assert result["changed"] and result["parameters"][0]["action"] == "create" and result["parameters"][0]["version"] is None


@pytest.mark.parametrize(
    "current, message",
    [
        ({"Type": "SecureString", "DataType": "text"}, "is a SecureString parameter"),
        ({"Type": "String", "DataType": "text"}, "cannot change a parameter to or from aws:ec2:image"),
    ],
)
def test_a_parameter_of_another_kind_is_refused_before_any_write(clients, current, message):
    clients.stubs["ssm"].add_response("get_parameter", {"Parameter": dict({"Name": NAME, "Value": "x", "Version": 1}, **current)}, {"Name": NAME})

    with pytest.raises(ParameterRefusedError, match=message):
        publish_image_parameter(clients, request(), check_mode=False, backoff=FAST)


def test_a_deregistered_image_is_refused_before_any_write(clients):
    not_found(clients.stubs["ssm"])
    clients.stubs["ec2"].add_response("describe_images", image("deregistered"), None)

    with pytest.raises(InvalidInputError, match="is deregistered"):
        publish_image_parameter(clients, request(), check_mode=False, backoff=FAST)


def test_absent_deletes_and_reports_the_previous_value(clients):
    ssm = clients.stubs["ssm"]
    ssm.add_response("get_parameter", parameter(OLD_IMAGE, 2), {"Name": NAME})
    ssm.add_response("delete_parameter", {}, {"Name": NAME})

    result = publish_image_parameter(clients, request(state="absent", image_ids=None, regions=["us-east-1"]), check_mode=False, backoff=FAST)

    assert result["parameters"][0]["action"] == "delete" and result["diff"]["after"] == {"us-east-1": None}


def test_a_create_whose_answer_was_lost_and_retried_adopts_the_parameter_holding_our_value(clients):
    ssm, ec2 = clients.stubs["ssm"], clients.stubs["ec2"]
    not_found(ssm)
    ec2.add_response("describe_images", image(), None)
    ssm.add_client_error("put_parameter", "ParameterAlreadyExists", "The parameter already exists.")
    ssm.add_response("get_parameter", parameter(IMAGE, 1), {"Name": NAME})
    ssm.add_response("list_tags_for_resource", {"TagList": [{"Key": "team", "Value": "web"}]}, {"ResourceType": "Parameter", "ResourceId": NAME})
    ssm.add_response("get_parameter", parameter(IMAGE, 1), {"Name": NAME})

    result = publish_image_parameter(clients, request(tags={"team": "web"}), check_mode=False, backoff=FAST)

    assert result["changed"] and result["parameters"][0]["action"] == "create" and result["parameters"][0]["version"] == 1


def test_an_adopted_parameter_gets_the_tags_it_lacks(clients):
    ssm, ec2 = clients.stubs["ssm"], clients.stubs["ec2"]
    not_found(ssm)
    ec2.add_response("describe_images", image(), None)
    ssm.add_client_error("put_parameter", "ParameterAlreadyExists", "The parameter already exists.")
    ssm.add_response("get_parameter", parameter(IMAGE, 1), {"Name": NAME})
    ssm.add_response("list_tags_for_resource", {"TagList": []}, {"ResourceType": "Parameter", "ResourceId": NAME})
    ssm.add_response("get_parameter", parameter(IMAGE, 1), {"Name": NAME})
    ssm.add_response("add_tags_to_resource", {}, {"ResourceType": "Parameter", "ResourceId": NAME, "Tags": [{"Key": "team", "Value": "web"}]})

    publish_image_parameter(clients, request(tags={"team": "web"}), check_mode=False, backoff=FAST)


def test_a_parameter_someone_else_created_meanwhile_with_another_value_is_reported_and_left_alone(clients):
    ssm, ec2 = clients.stubs["ssm"], clients.stubs["ec2"]
    not_found(ssm)
    ec2.add_response("describe_images", image(), None)
    ssm.add_client_error("put_parameter", "ParameterAlreadyExists", "The parameter already exists.")
    ssm.add_response("get_parameter", parameter(OLD_IMAGE, 1), {"Name": NAME})

    with pytest.raises(RegionsPartlyFailedError) as caught:
        publish_image_parameter(clients, request(), check_mode=False, backoff=FAST)

    assert "created by someone else while this task ran" in str(caught.value) and OLD_IMAGE in str(caught.value)


def test_a_delete_whose_answer_was_lost_and_retried_finds_it_gone_and_succeeds(clients):
    ssm = clients.stubs["ssm"]
    ssm.add_response("get_parameter", parameter(OLD_IMAGE, 2), {"Name": NAME})
    ssm.add_client_error("delete_parameter", "ParameterNotFound", "not found", expected_params={"Name": NAME})

    result = publish_image_parameter(clients, request(state="absent", image_ids=None, regions=["us-east-1"]), check_mode=False, backoff=FAST)

    assert result["changed"] and result["parameters"][0]["action"] == "delete"


@pytest.mark.parametrize(
    "options, option, fragment",
    [
        ({"name": "aws/mine"}, "name", "reserved"),
        ({"name": "/SSM/x"}, "name", "reserved"),
        ({"name": "bakery/latest"}, "name", "must start with /"),
        ({"name": "/bakery//latest"}, "name", "empty path level"),
        ({"name": "/bakery/web server"}, "name", "characters"),
        ({"name": "/" + "/".join(["l"] * 16)}, "name", "levels"),
        ({"image_ids": {"us-east-1": "ami-123"}}, "image_ids[us-east-1]", "not a valid image id"),
        ({"image_ids": {"mars-1": IMAGE}}, "image_ids key", "not an AWS region"),
        ({"image_ids": IMAGE}, "region", "is needed"),
        ({"image_ids": {}}, "image_ids", "non-empty dict"),
        ({"regions": ["eu-west-1"]}, "regions", "is for state: absent"),
        ({"state": "absent", "image_ids": None}, "regions", "names no region"),
        ({"tags": {"aws:x": "1"}}, "tags", "reserved prefix"),
        ({"max_concurrency": 0}, "max_concurrency", "at least 1"),
        ({"description": "d" * 1025}, "description", "at most 1024"),
    ],
)
def test_bad_input_is_refused_naming_the_option(options, option, fragment):
    with pytest.raises(InvalidInputError) as caught:
        request(**options)
    assert caught.value.option == option and fragment in str(caught.value)
