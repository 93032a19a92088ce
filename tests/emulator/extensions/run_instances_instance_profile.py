"""RunInstances with an instance profile EC2 does not know answers InvalidParameterValue, and so does a new one for a
while (IAM is eventually consistent).

AWS: RunInstances' IamInstanceProfile is "The name or Amazon Resource Name (ARN) of an IAM instance profile"
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html). An unknown one fails with
InvalidParameterValue, message "Value (<name>) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance
Profile name" (as AWS answers it, e.g. https://github.com/hashicorp/terraform-provider-aws/issues/27516, where the
profile had been created a second before). IAM: "changes that you make in IAM ... take time to become visible ...
we recommend that you do not include such IAM changes in the critical, high-availability code paths of your
application" (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).

moto answers an unknown profile with IAM's own NoSuchEntity (not an EC2 error code) and knows no propagation delay.
Here: an unknown profile, or one created or given a role less than `config.instance_profile_propagation_seconds`
ago (0 by default), is refused with InvalidParameterValue before anything is launched. The ARN form's message
("... parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN") is chosen by us.
"""

from __future__ import annotations

import functools
import time

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.instances import InstanceResponse
from moto.iam.models import IAMBackend, iam_backends

from ..config import emulator_config


def _stamped(original):
    @functools.wraps(original)
    def change(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        name = kwargs.get("name") or kwargs.get("profile_name") or (args[0] if args else None)
        profile = self.instance_profiles.get(name) if isinstance(name, str) else None
        if profile is not None:
            profile._bakery_changed_at = time.monotonic()
        return result

    return change


def _profile(account_id: str, partition: str, name: str | None, arn: str | None):
    backend = iam_backends[account_id][partition]
    for profile in backend.instance_profiles.values():
        if (name and profile.name == name) or (arn and profile.arn == arn):
            return profile
    return None


def _checking_profile(original):
    @functools.wraps(original)
    def run_instances(self):
        name = self._get_param("IamInstanceProfile.Name")
        arn = self._get_param("IamInstanceProfile.Arn")
        if name or arn:
            profile = _profile(self.current_account, self.partition, name, arn)
            changed_at = profile.__dict__.get("_bakery_changed_at") if profile is not None else None
            is_fresh = changed_at is not None and time.monotonic() - changed_at < float(emulator_config.instance_profile_propagation_seconds)
            if profile is None or is_fresh:
                if arn:
                    raise EC2ClientError("InvalidParameterValue",
                                         f"Value ({arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN")
                raise EC2ClientError("InvalidParameterValue",
                                     f"Value ({name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name")
        return original(self)

    return run_instances


def install() -> None:
    IAMBackend.create_instance_profile = _stamped(IAMBackend.create_instance_profile)
    IAMBackend.add_role_to_instance_profile = _stamped(IAMBackend.add_role_to_instance_profile)
    InstanceResponse.run_instances = _checking_profile(InstanceResponse.run_instances)
