"""New images are `pending` for a while before they become `available`.

AWS: CreateImage/RegisterImage/CopyImage return at once while the image is still
`pending` (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html, `imageState`: "The
current state of the AMI. If the state is available, the image is successfully registered and can be
used to launch an instance."; the `image_available` waiter of botocore polls DescribeImages for it). moto makes every
image `available` immediately, so waiting code is never exercised. Here an image made by
those calls records `_available_at = now + seconds` and its state is computed from it. The seconds are
`config.image_pending_seconds[<action>]` where given (a copy takes longer than a creation on AWS), else
`config.pending_seconds`; 0 (the default) keeps moto's behaviour.
"""

from __future__ import annotations

import functools
import time

from moto.ec2.models.amis import Ami, AmiBackend

from ..config import emulator_config

IMAGE_CREATING_ACTIONS = {"create_image": "CreateImage", "register_image": "RegisterImage", "copy_image": "CopyImage"}


def _get_state(image: Ami) -> str:
    # Instances made before install() keep their state in __dict__ (the property shadows it).
    state = image.__dict__.get("_state", image.__dict__.get("state", "available"))
    if state == "available" and time.time() < image.__dict__.get("_available_at", 0.0):
        return "pending"
    return state


def _set_state(image: Ami, state: str) -> None:
    image.__dict__["_state"] = state


def pending_seconds_of(action: str) -> float:
    return float(emulator_config.image_pending_seconds.get(action, emulator_config.pending_seconds))


def _with_pending_period(create, action):
    @functools.wraps(create)
    def create_pending_image(self, *args, **kwargs):
        image = create(self, *args, **kwargs)
        image._available_at = time.time() + pending_seconds_of(action)
        return image

    return create_pending_image


def install() -> None:
    Ami.state = property(_get_state, _set_state)
    for name, action in IMAGE_CREATING_ACTIONS.items():
        setattr(AmiBackend, name, _with_pending_period(getattr(AmiBackend, name), action))
