"""Deregistration protection: EnableImageDeregistrationProtection / Disable…, enforced.

AWS: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableImageDeregistrationProtection.html
and API_DisableImageDeregistrationProtection.html, user guide "Protect an Amazon EC2 AMI
from deregistration" (ami-deregistration-protection.html). While protection is on, the
AMI can't be deregistered. `WithCooldown=true` keeps it protected for 24 hours after
protection is disabled. DescribeImages reports `DeregistrationProtection` as
`disabled`, `enabled-with-cooldown`, `enabled-without-cooldown`, or, during a cooldown,
`disabled-until <UTC time>`. moto implements none of this.

The error code DeregisterImage returns for a protected image is not in the API reference;
the emulator answers `OperationNotPermitted` (HTTP 400, chosen by us), the EC2 code for a
request the resource's current settings forbid. API_EnableImageDeregistrationProtection.html: "When
deregistration protection is enabled, the AMI can't be deregistered."
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.amis import Ami
from moto.ec2.responses.amis import AmisResponse

COOLDOWN = timedelta(hours=24)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _protection(image: Ami) -> str:
    until = image.__dict__.get("_deregistration_protected_until")
    if until is not None and _now() < until:
        return f"disabled-until {until.strftime('%Y-%m-%dT%H:%M:%S.000Z')}"
    return image.__dict__.get("_deregistration_protection", "disabled")


def is_protected(image: Ami) -> bool:
    return _protection(image) != "disabled"


def enable_image_deregistration_protection(self):
    image = self.ec2_backend.describe_images(ami_ids=[self._get_param("ImageId")])[0]
    with_cooldown = str(self._get_param("WithCooldown", "false")).lower() == "true"
    self.error_on_dryrun()
    image._deregistration_protection = "enabled-with-cooldown" if with_cooldown else "enabled-without-cooldown"
    image._deregistration_protected_until = None
    return ActionResult({"Return": "true"})


def disable_image_deregistration_protection(self):
    image = self.ec2_backend.describe_images(ami_ids=[self._get_param("ImageId")])[0]
    self.error_on_dryrun()
    if image.__dict__.get("_deregistration_protection") == "enabled-with-cooldown":
        image._deregistration_protected_until = _now() + COOLDOWN
    image._deregistration_protection = "disabled"
    return ActionResult({"Return": "true"})


def install() -> None:
    Ami.deregistration_protection = property(_protection)
    AmisResponse.enable_image_deregistration_protection = enable_image_deregistration_protection
    AmisResponse.disable_image_deregistration_protection = disable_image_deregistration_protection

    original = AmisResponse.deregister_image

    @functools.wraps(original)
    def deregister_image(self):
        image = self.ec2_backend.amis.get(self._get_param("ImageId"))
        if image is not None and is_protected(image):
            self.error_on_dryrun()
            raise EC2ClientError(
                "OperationNotPermitted",
                f"Image {image.id} has deregistration protection ({_protection(image)}); "
                "call DisableImageDeregistrationProtection first",
            )
        return original(self)

    AmisResponse.deregister_image = deregister_image
