"""A launch configuration attached to an Auto Scaling group cannot be deleted.

AWS (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteLaunchConfiguration.html):
"The launch configuration must not be attached to an Auto Scaling group." Deleting one that
is answers HTTP 400 `ResourceInUse` ("The operation can't be performed because the resource is
in use."). moto deletes it and leaves the group pointing at nothing, so a pruning bug would go
unnoticed.
"""

from __future__ import annotations

import functools

from moto.autoscaling.exceptions import AutoscalingClientError
from moto.autoscaling.models import AutoScalingBackend


class ResourceInUseError(AutoscalingClientError):
    code = "ResourceInUse"


def _refusing_attached(delete):
    @functools.wraps(delete)
    def delete_unattached_launch_configuration(self, launch_configuration_name):
        for group in self.autoscaling_groups.values():
            if group.launch_config is not None and group.launch_config.name == launch_configuration_name:
                raise ResourceInUseError(
                    f"Cannot delete launch configuration {launch_configuration_name} because it is attached to AutoScalingGroup {group.name}"
                )
        return delete(self, launch_configuration_name)

    return delete_unattached_launch_configuration


def install() -> None:
    AutoScalingBackend.delete_launch_configuration = _refusing_attached(AutoScalingBackend.delete_launch_configuration)
