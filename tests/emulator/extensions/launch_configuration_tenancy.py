"""Launch configurations keep `PlacementTenancy`.

AWS (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LaunchConfiguration.html):
`PlacementTenancy` - "The tenancy of the instance, either default or dedicated. An instance with
dedicated tenancy runs on isolated, single-tenant hardware and can only be launched into a VPC." It is
stored with the launch configuration and returned by DescribeLaunchConfigurations when it was set. moto 5.2.5 drops it on create, so a
copy of a dedicated-tenancy launch configuration could not be checked.
"""

from __future__ import annotations

import functools

from moto.autoscaling.models import FakeLaunchConfiguration
from moto.autoscaling.responses import AutoScalingResponse


def _keeping_tenancy(create_response):
    @functools.wraps(create_response)
    def create_launch_configuration_with_tenancy(self):
        result = create_response(self)
        tenancy = self._get_param("PlacementTenancy")
        if tenancy:
            name = self._get_param("LaunchConfigurationName")
            self.autoscaling_backend.launch_configurations[name].placement_tenancy = tenancy
        return result

    return create_launch_configuration_with_tenancy


def install() -> None:
    # Read by moto's response serializer as the `PlacementTenancy` member; None leaves it out.
    FakeLaunchConfiguration.placement_tenancy = None
    AutoScalingResponse.create_launch_configuration = _keeping_tenancy(AutoScalingResponse.create_launch_configuration)
