"""An Auto Scaling group has one launch source: switching to a launch template drops the
launch configuration, and the other way round.

AWS (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html):
"If you specify LaunchTemplate in your update request, you can't specify
LaunchConfigurationName or MixedInstancesPolicy"; a group uses exactly one of them
(https://docs.aws.amazon.com/autoscaling/ec2/userguide/migrate-to-launch-templates.html: after
the switch DescribeAutoScalingGroups shows only the launch template). moto keeps the old
source next to the new one and reports both.
"""

from __future__ import annotations

import functools

from moto.autoscaling.models import FakeAutoScalingGroup


def _with_one_launch_source(set_launch_source):
    @functools.wraps(set_launch_source)
    def set_single_launch_source(self, launch_config_name, launch_template, mixed_instances_policy):
        set_launch_source(self, launch_config_name, launch_template, mixed_instances_policy)
        if launch_template or mixed_instances_policy:
            self.launch_config = None
            self.__dict__.pop("launch_configuration_name", None)
        elif launch_config_name:
            self.ec2_launch_template = None
            self.provided_launch_template_version = None

    return set_single_launch_source


def install() -> None:
    # Read by the serializer for groups that never had a launch configuration.
    FakeAutoScalingGroup.launch_configuration_name = None
    FakeAutoScalingGroup._set_launch_configuration = _with_one_launch_source(FakeAutoScalingGroup._set_launch_configuration)
