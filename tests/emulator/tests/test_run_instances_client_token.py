"""RunInstances is idempotent for a repeated ClientToken (extensions/run_instances_client_token.py)."""

import botocore.exceptions
import pytest

from tests.emulator.tests.conftest import DEBIAN_12_AMD64, error_code

TOKEN = "builder-web-server-000-20261126T120000-abc123"


def launch(ec2, **options):
    return ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1, **options)["Instances"][0]["InstanceId"]


def instances(ec2):
    return [i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]


def test_the_same_token_returns_the_first_instance_and_launches_nothing_more(ec2):
    first = launch(ec2, ClientToken=TOKEN)

    assert launch(ec2, ClientToken=TOKEN) == first
    assert instances(ec2) == [first]


def test_a_retry_after_a_lost_answer_gets_the_instance_it_launched(aws, ec2):
    aws.control.set_faults([{"action": "ec2:RunInstances", "kind": "after_commit", "rate": 1.0, "times_per_action": 1}])

    launched = launch(ec2, ClientToken=TOKEN)

    assert instances(ec2) == [launched]


def test_the_same_token_with_other_parameters_is_refused(ec2):
    launch(ec2, ClientToken=TOKEN)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        launch(ec2, ClientToken=TOKEN, InstanceType="t3.large")
    assert error_code(raised) == "IdempotentParameterMismatch"


def test_tokens_are_scoped_to_the_region(aws, ec2):
    here = launch(ec2, ClientToken=TOKEN)
    there = launch(aws.client("ec2", region="eu-west-1"), ClientToken=TOKEN)
    assert here != there
