"""AWS's managed policy AmazonSSMManagedInstanceCore exists in every account (extensions/iam_managed_instance_core_policy.py)."""

import botocore.exceptions
import pytest

from tests.emulator.tests.conftest import error_code

CORE_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"


def test_the_core_policy_can_be_attached_to_a_role(aws):
    iam = aws.client("iam")
    iam.create_role(RoleName="builder", AssumeRolePolicyDocument="{}")

    iam.attach_role_policy(RoleName="builder", PolicyArn=CORE_POLICY_ARN)

    assert [policy["PolicyArn"] for policy in iam.list_attached_role_policies(RoleName="builder")["AttachedPolicies"]] == [CORE_POLICY_ARN]


def test_the_core_policy_lets_the_agent_register_and_carry_sessions(aws):
    iam = aws.client("iam")
    policy = iam.get_policy(PolicyArn=CORE_POLICY_ARN)["Policy"]
    document = iam.get_policy_version(PolicyArn=CORE_POLICY_ARN, VersionId=policy["DefaultVersionId"])["PolicyVersion"]["Document"]
    actions = [action for statement in document["Statement"]
               for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])]
    assert "ssm:UpdateInstanceInformation" in actions and "ssmmessages:OpenDataChannel" in actions


def test_other_aws_managed_policies_stay_unknown(aws):
    iam = aws.client("iam")
    iam.create_role(RoleName="builder", AssumeRolePolicyDocument="{}")
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        iam.attach_role_policy(RoleName="builder", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    assert error_code(raised) == "NoSuchEntity"
