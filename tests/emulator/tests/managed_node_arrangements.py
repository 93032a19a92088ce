"""Arrange Session Manager managed nodes on the podman-backed emulator: an instance profile with AWS's core policy,
and an instance whose container runs a stand-in for the SSM agent (a systemd service named amazon-ssm-agent)."""

from __future__ import annotations

import pytest

from tests.emulator.extensions.podman_instances import DEBIAN12_IMAGE, runtime

DEBIAN_12_AMD64 = "ami-0de12a0d640000002"
CORE_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
AGENT_UNIT = "[Unit]\nDescription=SSM agent stand-in\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n"

needs_podman = pytest.mark.skipif(
    not runtime.is_available() or not runtime.image_exists(DEBIAN12_IMAGE),
    reason=f"needs podman and {DEBIAN12_IMAGE} (tests/molecule/setup-host.sh)",
)


def instance_profile(iam, name="managed-node", policy_arn=CORE_POLICY_ARN):
    iam.create_role(RoleName=name, AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": []}')
    if policy_arn:
        iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
    iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name)
    return name


def start_agent(instance_id):
    runtime.wait_for_boot(instance_id)
    runtime.execute(instance_id, "sh", "-c", "printf '%s' \"$0\" > /etc/systemd/system/amazon-ssm-agent.service && "
                    "systemctl daemon-reload && systemctl enable --now amazon-ssm-agent", AGENT_UNIT)


def stop_agent(instance_id):
    runtime.execute(instance_id, "systemctl", "stop", "amazon-ssm-agent")


def launch(ec2, profile=None, **options):
    if profile:
        options["IamInstanceProfile"] = {"Name": profile}
    return ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1, **options)["Instances"][0]["InstanceId"]


def managed_node(aws):
    """A running podman-backed instance with the core instance profile and a running agent stand-in."""
    ec2 = aws.client("ec2")
    instance_id = launch(ec2, instance_profile(aws.client("iam")))
    start_agent(instance_id)
    return instance_id
