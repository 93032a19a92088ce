"""RunInstances refuses an instance profile EC2 does not know, or not yet (extensions/run_instances_instance_profile.py)."""

import botocore.exceptions
import pytest

from tests.emulator.tests.conftest import DEBIAN_12_AMD64, error_code


def profile(aws, name="builder"):
    iam = aws.client("iam")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument="{}")
    iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name)
    return iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]


def launch(ec2, **profile):
    return ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1, IamInstanceProfile=profile)["Instances"][0]


def running(ec2):
    return [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"] if i["State"]["Name"] != "terminated"]


def test_an_unknown_profile_name_is_an_invalid_parameter_value_and_nothing_is_launched(ec2):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        launch(ec2, Name="no-such-profile")
    assert error_code(raised) == "InvalidParameterValue"
    assert "Value (no-such-profile) for parameter iamInstanceProfile.name is invalid" in raised.value.response["Error"]["Message"]
    assert running(ec2) == []


def test_an_unknown_profile_arn_is_an_invalid_parameter_value(ec2):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        launch(ec2, Arn="arn:aws:iam::123456789012:instance-profile/no-such-profile")
    assert error_code(raised) == "InvalidParameterValue"


def test_a_profile_ec2_knows_is_associated_with_the_instance(aws, ec2):
    made = profile(aws)
    instance = launch(ec2, Name="builder")
    assert instance["IamInstanceProfile"]["Arn"] == made["Arn"]


def test_a_new_profile_is_refused_until_it_has_propagated(aws, ec2):
    aws.control.configure(instance_profile_propagation_seconds=600)
    profile(aws)

    with pytest.raises(botocore.exceptions.ClientError) as raised:
        launch(ec2, Name="builder")
    assert error_code(raised) == "InvalidParameterValue"

    aws.control.configure(instance_profile_propagation_seconds=0)
    assert launch(ec2, Name="builder")["State"]["Name"] in ("pending", "running")
