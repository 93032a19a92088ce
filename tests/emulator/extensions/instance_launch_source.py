"""Each Auto Scaling instance reports the launch configuration or launch template version it
was launched from, not the group's current one.

AWS (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AutoScalingInstanceDetails.html):
`LaunchConfigurationName` / `LaunchTemplate` are "the launch configuration / launch template
used to launch the instance"; after the group is switched, older instances keep reporting the
old one until they are replaced (that is how instance refresh and skip matching tell them
apart). moto computes both from the group at describe time. Here an instance records its
source when it joins the group.
"""

from __future__ import annotations

import functools

from moto.autoscaling.models import InstanceState

_moto_launch_template = InstanceState.launch_template
_moto_launch_configuration_name = InstanceState.launch_configuration_name


def group_launch_template(group):
    """The group's launch template spec as AWS reports it for instances (explicit version)."""
    template = group.ec2_launch_template if group is not None else None
    if template is None:
        return None
    version = getattr(group, "launch_template_version", None) or "$Default"
    return {
        "LaunchTemplateId": template.id,
        "LaunchTemplateName": template.name,
        "Version": str(template.get_version(version).number),
    }


def _recording_source(init):
    @functools.wraps(init)
    def init_with_source(self, *args, **kwargs):
        init(self, *args, **kwargs)
        group = self.auto_scaling_group
        self.launched_from_template = group_launch_template(group)
        self.launched_from_configuration = group.launch_config.name if group is not None and group.launch_config is not None else None

    return init_with_source


def _launch_template(self):
    if "launched_from_template" in self.__dict__:
        return self.launched_from_template
    return _moto_launch_template.fget(self)


def _launch_configuration_name(self):
    if "launched_from_configuration" in self.__dict__:
        return self.launched_from_configuration
    return _moto_launch_configuration_name.fget(self)


def install() -> None:
    InstanceState.__init__ = _recording_source(InstanceState.__init__)
    InstanceState.launch_template = property(_launch_template)
    InstanceState.launch_configuration_name = property(_launch_configuration_name)
