"""ssm_automation through real ansible-playbook runs against the emulator's AWS-UpdateLinuxAmi."""

import pytest

SOURCE = "ami-0de12a0d640000002"


@pytest.fixture
def ec2(aws):
    return aws.client("ec2")


def update_task(**parameters):
    values = {"SourceAmiId": SOURCE, "TargetAmiName": "web-server-002-patched", "InstanceType": "t3.small"}
    values.update(parameters)
    return [{"name": "patch", "bakery.ami.ssm_automation": {"parameters": values, "wait_timeout": 60}}]


def test_success_returns_the_new_image_made_from_the_source(ec2, playbook):
    run = playbook(update_task())

    task = run.task("patch")
    assert task["status"] == "Success", run.stdout[-2000:]
    image = ec2.describe_images(ImageIds=[task["image_id"]])["Images"][0]
    assert image["Name"] == "web-server-002-patched"
    assert SOURCE in image["Description"]
    assert [step["status"] for step in task["step_executions"]] == ["Success"] * 5


def test_a_failing_step_fails_the_task_with_its_name_and_message(aws, playbook):
    aws.control.configure(automation_failing_steps=["updateOSSoftware"])

    run = playbook(update_task())

    task = run.task("patch")
    assert task.failed and task["failed_step"] == "updateOSSoftware"
    assert "updateOSSoftware" in task["msg"] and task["status"] == "Failed"


def test_a_rerun_adopts_the_succeeded_execution_without_mutating_calls(aws, ec2, playbook):
    first = playbook(update_task()).task("patch")
    aws.control.clear_calls()

    second = playbook(update_task()).task("patch")

    assert not second.changed and second["execution_id"] == first["execution_id"]
    assert aws.control.mutating_calls() == []
    assert len(ec2.describe_images(Owners=["self"])["Images"]) == 1


def test_check_mode_reports_what_would_start_and_starts_nothing(aws, playbook):
    aws.control.clear_calls()

    task = playbook(update_task(), check=True).task("patch")

    assert task.changed and task["would_start"]["parameters"]["SourceAmiId"] == [SOURCE]
    assert aws.control.mutating_calls() == []
    assert aws.client("ssm").describe_automation_executions()["AutomationExecutionMetadataList"] == []


def test_bad_parameters_fail_naming_the_option_before_any_aws_call(aws, playbook):
    aws.control.clear_calls()

    task = playbook(update_task(SourceAmiId="latest-debian")).task("patch")

    assert task.failed and task["invalid_option"] == "parameters.SourceAmiId"
    assert aws.control.calls() == []
