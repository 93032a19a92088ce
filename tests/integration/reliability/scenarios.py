"""One scenario per module for the fault matrix: arrange AWS state, the tasks to run, and what AWS
must hold afterwards (including that nothing was duplicated).

A scenario is data plus two small functions, so adding a module to the matrix is adding an entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

DEBIAN_12 = "debian-12-amd64-20250510-2108"
DEBIAN_OWNER = "136693071363"


@dataclass
class Scenario:
    name: str
    arrange: Callable  # (aws) -> context dict
    tasks: Callable  # (context) -> list of task dicts; the task under test is named "under test"
    verify: Callable  # (aws, context, first_result) -> None, asserts on AWS state
    regions: list = field(default_factory=lambda: ["us-east-1"])


def _launch_builder(aws, region="us-east-1"):
    ec2 = aws.client("ec2", region)
    base = ec2.describe_images(Owners=[DEBIAN_OWNER], Filters=[{"Name": "name", "Values": [DEBIAN_12]}])["Images"][0]
    return ec2.run_instances(ImageId=base["ImageId"], MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]


def _own_images(aws, name, region="us-east-1"):
    ec2 = aws.client("ec2", region)
    return ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [name]}])["Images"]


# ---- image ----


def _image_arrange(aws):
    return {"instance_id": _launch_builder(aws)}


def _image_tasks(context):
    return [
        {
            "name": "under test",
            "bakery.ami.image": {
                "name": "reliability-image",
                "instance_id": context["instance_id"],
                "tags": {"bakery:layer": "reliability"},
                "deprecate_at": "365d",
                "deregistration_protection": "enabled",
            },
        }
    ]


def _image_verify(aws, context, result):
    images = _own_images(aws, "reliability-image")
    assert len(images) == 1, "expected exactly one image, found %d" % len(images)
    image = images[0]
    assert image["ImageId"] == result["image_id"]
    assert {"Key": "bakery:layer", "Value": "reliability"} in image["Tags"]
    assert image.get("DeprecationTime")
    assert image.get("DeregistrationProtection", "").startswith("enabled")


SCENARIOS = {
    "image": Scenario("image", _image_arrange, _image_tasks, _image_verify),
}
