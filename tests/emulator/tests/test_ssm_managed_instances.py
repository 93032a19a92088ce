"""DescribeInstanceInformation of podman-backed managed nodes (extensions/ssm_managed_instances.py)."""

import botocore.exceptions
import pytest

from tests.emulator.tests.conftest import error_code
from tests.emulator.tests.managed_node_arrangements import instance_profile, launch, managed_node, needs_podman, start_agent, stop_agent

pytestmark = needs_podman


@pytest.fixture
def podman_aws(aws):
    aws.control.configure(podman_instances=True)
    yield aws
    aws.control.reset()


def information(aws, instance_id):
    return aws.client("ssm").describe_instance_information(Filters=[{"Key": "InstanceIds", "Values": [instance_id]}])["InstanceInformationList"]


def refused(aws, instance_id):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        information(aws, instance_id)
    return error_code(raised)


def test_a_running_instance_with_the_core_profile_and_a_running_agent_is_online(podman_aws):
    instance_id = managed_node(podman_aws)

    node = information(podman_aws, instance_id)[0]

    assert node["PingStatus"] == "Online" and node["PlatformType"] == "Linux" and node["PlatformName"] == "Debian GNU/Linux"
    assert node["ResourceType"] == "EC2Instance" and node["IamRole"] == "managed-node"


def test_an_instance_without_an_instance_profile_never_registers(podman_aws):
    instance_id = launch(podman_aws.client("ec2"))
    start_agent(instance_id)
    assert refused(podman_aws, instance_id) == "InvalidInstanceId"


def test_a_profile_without_the_agents_permissions_does_not_register(podman_aws):
    instance_id = launch(podman_aws.client("ec2"), instance_profile(podman_aws.client("iam"), policy_arn=None))
    start_agent(instance_id)
    assert refused(podman_aws, instance_id) == "InvalidInstanceId"


def test_an_instance_without_a_running_agent_is_not_a_managed_node(podman_aws):
    instance_id = launch(podman_aws.client("ec2"), instance_profile(podman_aws.client("iam")))
    assert refused(podman_aws, instance_id) == "InvalidInstanceId"


def test_a_registered_node_whose_agent_stops_is_connection_lost(podman_aws):
    instance_id = managed_node(podman_aws)
    information(podman_aws, instance_id)

    stop_agent(instance_id)

    assert information(podman_aws, instance_id)[0]["PingStatus"] == "ConnectionLost"


def test_stopped_nodes_are_not_returned(podman_aws):
    instance_id = managed_node(podman_aws)
    information(podman_aws, instance_id)
    podman_aws.client("ec2").stop_instances(InstanceIds=[instance_id])
    assert refused(podman_aws, instance_id) == "InvalidInstanceId"


def test_plain_moto_instances_are_never_managed_nodes(aws):
    instance_id = launch(aws.client("ec2"), instance_profile(aws.client("iam")))
    assert aws.client("ssm").describe_instance_information()["InstanceInformationList"] == []
    assert refused(aws, instance_id) == "InvalidInstanceId"


def test_filters_the_emulator_does_not_apply_are_refused(aws):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        aws.client("ssm").describe_instance_information(Filters=[{"Key": "AgentVersion", "Values": ["3.3"]}])
    assert error_code(raised) == "InvalidFilterKey"
