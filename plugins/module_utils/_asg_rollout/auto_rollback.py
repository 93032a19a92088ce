# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where AWS cannot roll an instance refresh back, so ``auto_rollback`` is refused before anything changes.

AWS (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html, ``AutoRollback``): "A rollback
is not supported in the following situations: There is no desired configuration specified for the instance refresh.
The Auto Scaling group has a launch template that uses an AWS Systems Manager parameter instead of an AMI ID for the
ImageId property. The Auto Scaling group uses the launch template's $Latest or $Default version." A rollback goes back
to "the configuration that you last saved on the Auto Scaling group before starting the instance refresh"
(https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html), so it is the group's launch
source when the refresh starts that counts: a group on a launch configuration (also while it migrates to a launch
template) has nothing to go back to.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError

NO_DESIRED_CONFIGURATION = "there is no desired configuration specified for the instance refresh"
SSM_PARAMETER_IMAGE = "the Auto Scaling group has a launch template that uses an AWS Systems Manager parameter instead of an AMI ID"
VERSION_ALIAS = "the Auto Scaling group uses the launch template's $Latest or $Default version"
# https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
PREVIOUS_TEMPLATE_VERSION_ONLY = (
    "what it would go back to is not a launch template version (\"You can only roll back to a previous version of a launch "
    "template if the version is a specific numbered version\")"
)


class AutoRollbackRefusedError(BakeryError):
    """``auto_rollback`` asked for a group AWS cannot roll back; raised while planning, before any change."""

    def __init__(self, group, region, situation, rule, advice):
        self.group = group
        self.region = region
        super().__init__(
            "group %s in %s %s: AWS does not support a rollback when %s. %s" % (group, region, situation, rule, advice)
        )


def launch_configuration_refusal(group, region, migrating):
    if migrating:
        return AutoRollbackRefusedError(
            group, region, "still uses a launch configuration while it moves to a launch template", PREVIOUS_TEMPLATE_VERSION_ONLY,
            "Migrate it with instance_refresh.auto_rollback: false; later rollouts of the launch template can use it.",
        )
    return AutoRollbackRefusedError(
        group, region, "uses a launch configuration, so its refresh has no desired configuration", NO_DESIRED_CONFIGURATION,
        "Set instance_refresh.auto_rollback: false, or move the group to a launch template (migrate_to_launch_template: true) "
        "and use auto rollback from the next rollout on.",
    )


def version_alias_refusal(group, region, alias):
    return AutoRollbackRefusedError(
        group, region, "stays on its launch template's %s version (keep_version_alias: true)" % alias, VERSION_ALIAS,
        "Let asg_rollout pin the group to numbered versions (keep_version_alias: false), or set instance_refresh.auto_rollback: false.",
    )


def ssm_parameter_refusal(group, region, reference, keeps_parameter):
    advice = (
        "Set instance_refresh.auto_rollback: false; to go back, point the parameter at the previous image and refresh again."
        if keeps_parameter
        else "Set instance_refresh.auto_rollback: false for this rollout: it gives the group a launch template version that "
        "names the image directly, after which rollouts can use auto rollback."
    )
    return AutoRollbackRefusedError(group, region, "has a launch template that names its image as %s" % reference, SSM_PARAMETER_IMAGE, advice)
