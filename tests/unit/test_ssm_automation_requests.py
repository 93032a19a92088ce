"""Request shapes and input checks of ssm_automation, with botocore's Stubber."""

import re

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import RegionalApi
from ansible_collections.bakery.ami.plugins.module_utils._ssm_automation.request import AutomationRequest
from ansible_collections.bakery.ami.plugins.module_utils._ssm_automation.runner import run_automation
from tests.unit.module_params import module_params

UUID = re.compile(r"^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$")
PARAMS = {"parameters": {"SourceAmiId": "ami-0123456789abcdef0", "InstanceType": "t3.small", "IncludePackages": ["openssl", "curl"]}}


@pytest.fixture
def ssm():
    client = boto3.session.Session(aws_access_key_id="t", aws_secret_access_key="t", region_name="us-east-1").client("ssm")
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


def test_the_start_sends_lists_of_strings_a_uuid_token_and_the_request_tag(ssm):
    client, stub = ssm
    request = AutomationRequest.from_params(automation_params(dict(PARAMS, wait=False, tags={"team": "web"})))
    stub.add_response("describe_automation_executions", {"AutomationExecutionMetadataList": []}, {"Filters": [{"Key": "TagKey", "Values": [request.request_tag_key]}]})
    stub.add_response(
        "start_automation_execution",
        {"AutomationExecutionId": "11111111-2222-3333-4444-555555555555"},
        {
            "DocumentName": "AWS-UpdateLinuxAmi",
            "Parameters": {"SourceAmiId": ["ami-0123456789abcdef0"], "InstanceType": ["t3.small"], "IncludePackages": ["openssl", "curl"]},
            "ClientToken": request.client_token([]),
            "Tags": [{"Key": request.request_tag_key, "Value": "AWS-UpdateLinuxAmi"}, {"Key": "team", "Value": "web"}],
        },
    )
    stub.add_response("get_automation_execution", {"AutomationExecution": {"AutomationExecutionId": "11111111-2222-3333-4444-555555555555", "AutomationExecutionStatus": "InProgress"}})
    result = run_automation(RegionalApi(client, "us-east-1"), request, check_mode=False, backoff=Backoff(0.01, 0.01))
    assert UUID.match(request.client_token([]))
    assert result["status"] == "InProgress"


def test_the_token_is_deterministic_and_changes_after_an_unsuccessful_execution():
    first = AutomationRequest.from_params(automation_params(PARAMS))
    again = AutomationRequest.from_params(automation_params(PARAMS))
    assert first.client_token([]) == again.client_token([])
    assert first.client_token(["earlier-failed-id"]) != first.client_token([])


def test_an_idempotency_key_makes_a_new_request():
    assert AutomationRequest.from_params(automation_params(dict(PARAMS, idempotency_key="2026-11"))).request_id != AutomationRequest.from_params(automation_params(PARAMS)).request_id


@pytest.mark.parametrize(
    "parameters, option",
    [
        ({}, "parameters.SourceAmiId"),
        ({"SourceAmiId": "ubuntu"}, "parameters.SourceAmiId"),
        ({"SourceAmiId": "ami-0123456789abcdef0", "SourceAmi": "x"}, "parameters"),
        ({"SourceAmiId": "ami-0123456789abcdef0", "SubnetId": "sub-1"}, "parameters.SubnetId"),
        ({"SourceAmiId": "ami-0123456789abcdef0", "AutomationAssumeRole": "AutomationRole"}, "parameters.AutomationAssumeRole"),
    ],
)
def test_bad_update_linux_ami_parameters_are_refused_naming_the_option(parameters, option):
    with pytest.raises(InvalidInputError) as raised:
        AutomationRequest.from_params(automation_params({"parameters": parameters}))
    assert raised.value.option == option


def test_other_documents_take_any_parameters():
    request = AutomationRequest.from_params(automation_params({"document_name": "MyOrg-HardenAmi", "parameters": {"Level": 2, "Flags": {"a": 1}}}))
    assert request.parameters == {"Level": ["2"], "Flags": ['{"a": 1}']}


def automation_params(given):
    return module_params("ssm_automation", **dict({"region": "us-east-1"}, **given))
