"""An image's `lastLaunchedTime`: set by every launch from it, reported only after AWS's delay.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImageAttribute.html, `lastLaunchedTime`;
https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ami-last-launched-time.html): "The date and time, in ISO 8601
date-time format, when the AMI was last used to launch an EC2 instance. When the AMI is used to launch an instance,
there is a 24-hour delay before that usage is reported." moto 5.2.5 fails DescribeImageAttribute `lastLaunchedTime`
with an internal error (it looks for an attribute it never sets).

Here every RunInstances that launches from an image - called directly, by an Auto Scaling group, or by an instance
refresh, in the image's account or in one it is shared with - records the time on the image; DescribeImageAttribute
`lastLaunchedTime` answers the latest launch at least `config.image_last_launched_delay_seconds` old (default 86400,
AWS's 24 hours), in ISO 8601 (`2026-11-29T10:15:00Z`), and `{}` when none is (never launched, or not yet reported).
An image the caller cannot find answers `InvalidAMIID.NotFound` as DescribeImages would. DescribeImages' own
`LastLaunchedTime` member is not filled in. `record_launch()` lets tests backdate a launch instead of waiting a day.
"""

from __future__ import annotations

import functools
import threading
from datetime import datetime, timedelta

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.ec2.exceptions import InvalidAMIIdError
from moto.ec2.models.instances import InstanceBackend
from moto.ec2.responses.amis import AmisResponse

from ..config import emulator_config
from ._accounts import find_image

ATTRIBUTE = "lastLaunchedTime"
_lock = threading.Lock()


def record_launch(image, when: datetime) -> None:
    """Note a launch from ``image`` at ``when`` (moto's naive UTC)."""
    with _lock:
        image.__dict__.setdefault("_launch_times", []).append(when)


def reported_last_launch(image, now: datetime | None = None) -> datetime | None:
    """The latest launch AWS would report by ``now``: one at least the configured delay old."""
    now = now or utcnow()
    reported_before = now - timedelta(seconds=emulator_config.image_last_launched_delay_seconds)
    with _lock:
        times = [when for when in image.__dict__.get("_launch_times", []) if when <= reported_before]
    return max(times) if times else None


def _recording_launches(run_instances):
    @functools.wraps(run_instances)
    def run_instances_noting_the_image(self, image_id, *args, **kwargs):
        reservation = run_instances(self, image_id, *args, **kwargs)
        image = find_image(self.account_id, self.region_name, image_id) if isinstance(image_id, str) else None
        if image is not None:
            record_launch(image, utcnow())
        return reservation

    return run_instances_noting_the_image


def _answering_last_launched_time(describe_image_attribute):
    @functools.wraps(describe_image_attribute)
    def describe_image_attribute_with_last_launch(self):
        if self._get_param("Attribute") != ATTRIBUTE:
            return describe_image_attribute(self)
        image_id = self._get_param("ImageId")
        image = find_image(self.ec2_backend.account_id, self.ec2_backend.region_name, image_id)
        if image is None:
            raise InvalidAMIIdError(image_id)
        last_launch = reported_last_launch(image)
        value = {"Value": last_launch.strftime("%Y-%m-%dT%H:%M:%SZ")} if last_launch else {}
        return ActionResult({"ImageId": image_id, "LastLaunchedTime": value})

    return describe_image_attribute_with_last_launch


def install() -> None:
    InstanceBackend.run_instances = _recording_launches(InstanceBackend.run_instances)
    AmisResponse.describe_image_attribute = _answering_last_launched_time(AmisResponse.describe_image_attribute)
