"""Accounts created on or after 2024-10-01 cannot create launch configurations.

AWS (https://docs.aws.amazon.com/autoscaling/ec2/userguide/launch-configurations.html): launch
configurations are retired for new accounts; CreateLaunchConfiguration answers HTTP 400
`UnsupportedOperation` "The Launch Configuration creation operation is not available in your
account. Use launch templates to create configuration templates for your Auto Scaling groups."
(not in the API reference, so the code and message are chosen by us, after what Terraform and
CloudFormation users report, e.g.
github.com/serverpod/serverpod/issues/3088, github.com/infrablocks/terraform-aws-bastion/issues/123).
Existing launch configurations can still be described, used and deleted.

Switches: `PUT /_bakery/config {"account_profile": "new"}` (an account created on or after
2024-10-01; `aws.control.configure(account_profile="new")`), or the older, narrower
`{"launch_configurations_unavailable": true}`; reset turns both off.
"""

from __future__ import annotations

import functools

from moto.autoscaling.exceptions import AutoscalingClientError
from moto.autoscaling.models import AutoScalingBackend

from ..config import emulator_config

UNAVAILABLE_MESSAGE = (
    "The Launch Configuration creation operation is not available in your account. "
    "Use launch templates to create configuration templates for your Auto Scaling groups."
)


class UnsupportedOperationError(AutoscalingClientError):
    code = "UnsupportedOperation"
    message = UNAVAILABLE_MESSAGE


def _unless_retired(create):
    @functools.wraps(create)
    def create_launch_configuration_if_available(self, *args, **kwargs):
        if emulator_config.launch_configurations_unavailable or emulator_config.account_profile == "new":
            raise UnsupportedOperationError(UNAVAILABLE_MESSAGE)
        return create(self, *args, **kwargs)

    return create_launch_configuration_if_available


def install() -> None:
    AutoScalingBackend.create_launch_configuration = _unless_retired(AutoScalingBackend.create_launch_configuration)
