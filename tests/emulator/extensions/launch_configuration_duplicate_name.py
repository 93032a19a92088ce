"""A launch configuration name is unique per account and region: a second one is refused.

AWS (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateLaunchConfiguration.html,
Errors): `AlreadyExists` (HTTP 400) "You already have an Auto Scaling group or launch
configuration with this name." moto silently replaces the existing launch configuration,
which would hide a rollout that overwrites a configuration still in use.
"""

from __future__ import annotations

import functools

from moto.autoscaling.exceptions import AutoscalingClientError
from moto.autoscaling.models import AutoScalingBackend


class AlreadyExistsError(AutoscalingClientError):
    code = "AlreadyExists"


def _refusing_duplicates(create):
    @functools.wraps(create)
    def create_unique_launch_configuration(self, *args, **kwargs):
        name = kwargs.get("name", args[0] if args else None)
        if name in self.launch_configurations:
            raise AlreadyExistsError(f"Launch Configuration by this name already exists - A launch configuration already exists with the name {name}")
        return create(self, *args, **kwargs)

    return create_unique_launch_configuration


def install() -> None:
    AutoScalingBackend.create_launch_configuration = _refusing_duplicates(AutoScalingBackend.create_launch_configuration)
