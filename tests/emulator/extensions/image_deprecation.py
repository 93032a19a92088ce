"""AMI deprecation: EnableImageDeprecation / DisableImageDeprecation and what DescribeImages shows.

AWS: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableImageDeprecation.html
(`DeprecateAt`, UTC, seconds rounded to the nearest minute, not in the past, at most
10 years ahead), API_DisableImageDeprecation.html, and API_DescribeImages.html
`IncludeDeprecated`: "Default: No deprecated AMIs are included in the response. If you
are the AMI owner, all deprecated AMIs appear in the response regardless of what you
specify for this parameter." The user guide (ami-deprecate.html) adds that a deprecated
AMI is still described when asked for by its ID. An image shows `DeprecationTime`
(YYYY-MM-DDTHH:MM:SS.000Z) once deprecation is set, also before that time.
moto implements none of this.

A malformed `DeprecateAt`, one in the past, or one more than 10 years ahead answers
`InvalidParameterValue` (code chosen by us). Not emulated, so more lenient than AWS: "The upper limit
for DeprecateAt is 10 years from now, except for public AMIs, where the upper limit is 2 years from the
creation date." (API_EnableImageDeprecation.html) - public AMIs get 10 years here too.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.amis import AmisResponse

MAX_AHEAD = timedelta(days=3653)


def parse_deprecate_at(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise EC2ClientError("InvalidParameterValue", f"DeprecateAt '{value}' is not a UTC time like 2030-01-31T00:00:00Z")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return (moment + timedelta(seconds=30)).replace(second=0, microsecond=0)


def format_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def is_deprecated(image, now: datetime) -> bool:
    deprecation_time = getattr(image, "deprecation_time", None)
    if not deprecation_time:
        return False
    return parse_deprecate_at(deprecation_time) <= now


def enable_image_deprecation(self):
    image = self.ec2_backend.describe_images(ami_ids=[self._get_param("ImageId")])[0]
    deprecate_at = parse_deprecate_at(self._get_param("DeprecateAt"))
    now = datetime.now(timezone.utc)
    if deprecate_at < now.replace(second=0, microsecond=0):
        raise EC2ClientError("InvalidParameterValue", f"DeprecateAt {format_time(deprecate_at)} is in the past; give a future time")
    if deprecate_at > now + MAX_AHEAD:
        raise EC2ClientError("InvalidParameterValue", f"DeprecateAt {format_time(deprecate_at)} is more than 10 years ahead")
    self.error_on_dryrun()
    image.deprecation_time = format_time(deprecate_at)
    return ActionResult({"Return": True})


def disable_image_deprecation(self):
    image = self.ec2_backend.describe_images(ami_ids=[self._get_param("ImageId")])[0]
    self.error_on_dryrun()
    image.deprecation_time = None
    return ActionResult({"Return": True})


def install() -> None:
    AmisResponse.enable_image_deprecation = enable_image_deprecation
    AmisResponse.disable_image_deprecation = disable_image_deprecation

    original = AmisResponse.describe_images

    @functools.wraps(original)
    def describe_images(self):
        result = original(self)
        include_deprecated = str(self._get_param("IncludeDeprecated", "false")).lower() == "true"
        if include_deprecated or self._get_param("ImageIds"):
            return result
        now = datetime.now(timezone.utc)
        account_id = self.ec2_backend.account_id
        images = [
            image for image in result.result["Images"] if image.owner_id == account_id or not is_deprecated(image, now)
        ]
        return ActionResult({**result.result, "Images": images})

    AmisResponse.describe_images = describe_images
