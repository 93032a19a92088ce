"""The emulator's minimal SSM Automation (extensions/ssm_automation.py)."""

import botocore.exceptions
import pytest

SOURCE = "ami-0de12a0d640000002"
TOKEN = "0b1a9b57-1f8c-4c35-9f5a-7b6d1d1b2a10"


@pytest.fixture
def ssm(aws):
    return aws.client("ssm")


def start(ssm, **fields):
    values = {"DocumentName": "AWS-UpdateLinuxAmi", "Parameters": {"SourceAmiId": [SOURCE]}}
    values.update(fields)
    return ssm.start_automation_execution(**values)["AutomationExecutionId"]


def execution(ssm, execution_id):
    return ssm.get_automation_execution(AutomationExecutionId=execution_id)["AutomationExecution"]


def test_update_linux_ami_creates_an_image_from_an_instance_of_the_source_and_terminates_it(ssm, ec2):
    result = execution(ssm, start(ssm))

    assert result["AutomationExecutionStatus"] == "Success"
    image = ec2.describe_images(ImageIds=result["Outputs"]["createImage.ImageId"])["Images"][0]
    assert image["Name"].startswith("UpdateLinuxAmi_from_%s_on_" % SOURCE)
    instance_id = result["StepExecutions"][0]["Outputs"]["InstanceIds"][0]
    instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    assert instance["ImageId"] == SOURCE and instance["State"]["Name"] == "terminated"


def test_steps_progress_with_the_configured_step_time(aws, ssm):
    aws.control.configure(automation_step_seconds=30)

    result = execution(ssm, start(ssm))

    assert result["AutomationExecutionStatus"] == "InProgress" and result["CurrentStepName"] == "launchInstance"


def test_a_missing_source_image_fails_the_launch_step(ssm):
    result = execution(ssm, start(ssm, Parameters={"SourceAmiId": ["ami-0123456789abcdef0"]}))

    assert result["AutomationExecutionStatus"] == "Failed"
    assert result["StepExecutions"][0]["StepStatus"] == "Failed" and "does not exist" in result["FailureMessage"]


def test_the_same_client_token_returns_the_same_execution(ssm):
    assert start(ssm, ClientToken=TOKEN) == start(ssm, ClientToken=TOKEN)


def test_the_same_client_token_with_other_parameters_is_refused(ssm):
    start(ssm, ClientToken=TOKEN)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        start(ssm, ClientToken=TOKEN, Parameters={"SourceAmiId": [SOURCE], "InstanceType": ["t3.large"]})
    assert raised.value.response["Error"]["Code"] == "IdempotentParameterMismatch"


def test_unknown_documents_and_parameters_are_refused_at_the_start(ssm):
    with pytest.raises(botocore.exceptions.ClientError) as unknown_document:
        start(ssm, DocumentName="AWS-UpdateWindowsAmi")
    with pytest.raises(botocore.exceptions.ClientError) as unknown_parameter:
        start(ssm, Parameters={"SourceAmiId": [SOURCE], "Colour": ["blue"]})
    assert unknown_document.value.response["Error"]["Code"] == "AutomationDefinitionNotFoundException"
    assert unknown_parameter.value.response["Error"]["Code"] == "InvalidAutomationExecutionParametersException"


def test_executions_are_found_by_tag_key(ssm):
    tagged = start(ssm, Tags=[{"Key": "bakery:ssm-automation:x", "Value": "AWS-UpdateLinuxAmi"}])
    start(ssm)

    found = ssm.describe_automation_executions(Filters=[{"Key": "TagKey", "Values": ["bakery:ssm-automation:x"]}])["AutomationExecutionMetadataList"]

    assert [entry["AutomationExecutionId"] for entry in found] == [tagged]
