# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether this account is subscribed to the AWS Marketplace product behind an image.

EC2 has no "am I subscribed" call, but RunInstances checks the subscription before anything else,
also for a DryRun: ``DryRunOperation`` means the launch would have been allowed (subscribed),
``OptInRequired`` means the product's terms were not accepted (not subscribed). Any other answer
(missing permission, instance type the product does not allow, ...) decides nothing: unknown.
A DryRun never launches anything.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError

SUBSCRIBED = "subscribed"
NOT_SUBSCRIBED = "not_subscribed"
UNKNOWN = "unknown"
NOT_CHECKED = "not_checked"

# The smallest current instance type of each architecture, for the DryRun only.
PROBE_INSTANCE_TYPES = {"x86_64": "t3.micro", "arm64": "t4g.micro", "i386": "t2.micro"}
DEFAULT_PROBE_INSTANCE_TYPE = "t3.micro"


class SubscriptionCheck:
    """The outcome of one DryRun: ``status`` (one of the constants above) and why."""

    def __init__(self, status, reason=None):
        self.status = status
        self.reason = reason

    @property
    def subscribed(self):
        """True, False, or None when the DryRun could not tell."""
        return {SUBSCRIBED: True, NOT_SUBSCRIBED: False}.get(self.status)


def check_subscription(ec2_api, image, instance_type=None):
    instance_type = instance_type or PROBE_INSTANCE_TYPES.get(image.get("Architecture"), DEFAULT_PROBE_INSTANCE_TYPE)
    try:
        ec2_api.call(
            "run_instances", ImageId=image["ImageId"], InstanceType=instance_type, MinCount=1, MaxCount=1, DryRun=True
        )
    except BakeryError as error:
        code = getattr(error, "code", None)
        if code == "DryRunOperation":
            return SubscriptionCheck(SUBSCRIBED)
        if code == "OptInRequired":
            return SubscriptionCheck(NOT_SUBSCRIBED, getattr(error, "aws_message", str(error)))
        return SubscriptionCheck(UNKNOWN, str(error))
    # A DryRun that returns normally would be an endpoint ignoring DryRun: nothing can be concluded.
    return SubscriptionCheck(UNKNOWN, "RunInstances with DryRun returned without DryRunOperation")
