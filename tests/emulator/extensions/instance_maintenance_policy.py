"""An Auto Scaling group's instance maintenance policy: set by CreateAutoScalingGroup / UpdateAutoScalingGroup,
shown by DescribeAutoScalingGroups, used by instance refreshes that give no healthy percentages of their own.

AWS (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstanceMaintenancePolicy.html):
"Both MinHealthyPercentage and MaxHealthyPercentage must be specified, and the difference between them cannot be
greater than 100." MinHealthyPercentage: "Value range is 0 to 100. To clear a previously set value, specify a value
of -1." MaxHealthyPercentage: "Value range is 100 to 200." And
(https://docs.aws.amazon.com/autoscaling/ec2/userguide/set-instance-maintenance-policy-on-group.html): "By setting an
instance maintenance policy on your Auto Scaling group, you no longer have to specify values for minimum and maximum
healthy percentage parameters for the instance refresh feature unless you want to override the instance maintenance
policy." (extensions/instance_refresh.py reads it through `maintenance_policy_of`.)

moto 5.2.5 ignores the policy. A policy that breaks these rules answers `ValidationError` (HTTP 400; the Auto Scaling
validation code, its wording chosen by us).
"""

from __future__ import annotations

import functools

from moto.autoscaling.exceptions import AutoscalingClientError
from moto.autoscaling.models import FakeAutoScalingGroup
from moto.autoscaling.responses import AutoScalingResponse

CLEAR = -1


class ValidationError(AutoscalingClientError):
    code = "ValidationError"


def maintenance_policy_of(group: FakeAutoScalingGroup) -> dict | None:
    return group.__dict__.get("instance_maintenance_policy")


def _checked(policy: dict) -> dict | None:
    """The policy to keep (None: cleared), or ValidationError."""
    minimum, maximum = policy.get("MinHealthyPercentage"), policy.get("MaxHealthyPercentage")
    if minimum is None or maximum is None:
        raise ValidationError("Both MinHealthyPercentage and MaxHealthyPercentage must be specified in an InstanceMaintenancePolicy.")
    minimum, maximum = int(minimum), int(maximum)
    if minimum == CLEAR and maximum == CLEAR:
        return None
    if not 0 <= minimum <= 100 or not 100 <= maximum <= 200 or maximum - minimum > 100:
        raise ValidationError(
            "InstanceMaintenancePolicy: MinHealthyPercentage must be 0-100 and MaxHealthyPercentage 100-200, "
            "at most 100 apart (or both -1 to clear the policy)."
        )
    return {"MinHealthyPercentage": minimum, "MaxHealthyPercentage": maximum}


def _keeping_policy(handler):
    @functools.wraps(handler)
    def with_maintenance_policy(self):
        given = self._get_param("InstanceMaintenancePolicy")
        policy = _checked(given) if given else None
        result = handler(self)
        if given:
            group = self.autoscaling_backend.autoscaling_groups[self._get_param("AutoScalingGroupName")]
            # An attribute of moto's group: DescribeAutoScalingGroups serializes it as InstanceMaintenancePolicy.
            group.instance_maintenance_policy = policy
        return result

    return with_maintenance_policy


def install() -> None:
    FakeAutoScalingGroup.instance_maintenance_policy = None
    AutoScalingResponse.create_auto_scaling_group = _keeping_policy(AutoScalingResponse.create_auto_scaling_group)
    AutoScalingResponse.update_auto_scaling_group = _keeping_policy(AutoScalingResponse.update_auto_scaling_group)
