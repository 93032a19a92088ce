"""DescribeImages refuses a filter name it cannot honour with EC2's error, never moto's HTML 500.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html, `Filter.N`)
documents the filter names DescribeImages takes: DOCUMENTED_FILTERS below, copied from that page as
botocore 1.44 ships it ("architecture - The image architecture (i386 | x86_64 | arm64 | x86_64_mac |
arm64_mac)" ... "virtualization-type - The virtualization type (paravirtual | hvm)"). A name outside
that list is refused with HTTP 400 "InvalidParameterValue: The filter 'value' is invalid", as AWS
answers DescribeImages (reported in
https://github.com/github-aws-runners/terraform-aws-github-runner/issues/2253). moto 5.2.5 raises
FilterNotImplementedError for any name it has no attribute for: an HTML 500 page that botocore
cannot parse and retries as a server error, so a typo looked like an outage.

Names AWS documents but moto cannot evaluate (DOCUMENTED_FILTERS minus EMULATED_FILTERS) are refused
the same way, with a message that says the emulator does not implement them: that answer is chosen by
us (AWS would filter), stricter than AWS rather than silently wrong; add a name to EMULATED_FILTERS
together with what evaluates it. `tag-value` is no longer in AWS's list, so it is refused although
moto knows it.

Evaluated: moto's own filters, plus three moto reads from attributes that may be missing
(`description`, `boot-mode`, `ena-support`: an image registered without one would make moto answer
500; here it matches no value), and `creation-date`, which moto compares only as an exact timestamp
while AWS says "You can use a wildcard (*), for example, 2021-09-29T*, which matches an entire day";
here it is matched as the ISO 8601 text DescribeImages shows.
"""

from __future__ import annotations

import functools

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.amis import Ami
from moto.ec2.responses.amis import AmisResponse
from moto.ec2.utils import format_timestamp

TAG_FILTER_PREFIX = "tag:"

DOCUMENTED_FILTERS = frozenset(
    {
        "architecture",
        "block-device-mapping.delete-on-termination",
        "block-device-mapping.device-name",
        "block-device-mapping.snapshot-id",
        "block-device-mapping.volume-size",
        "block-device-mapping.volume-type",
        "block-device-mapping.encrypted",
        "boot-mode",
        "creation-date",
        "description",
        "ena-support",
        "free-tier-eligible",
        "hypervisor",
        "image-allowed",
        "image-id",
        "image-watermark.source-image-creation-time",
        "image-watermark.source-image-id",
        "image-watermark.source-image-region",
        "image-watermark.watermark-creation-time",
        "image-watermark.watermark-key",
        "image-type",
        "instance-type-specification.supported-instance-type",
        "instance-type-specification.unsupported-instance-type",
        "is-public",
        "kernel-id",
        "manifest-location",
        "name",
        "owner-alias",
        "owner-id",
        "platform",
        "product-code",
        "product-code.type",
        "public-ssm-parameter-name",
        "ramdisk-id",
        "root-device-name",
        "root-device-type",
        "scan-result.critical-fix-available-since",
        "scan-result.finding-scan-date",
        "scan-result.high-fix-available-since",
        "scan-result.highest-finding-severity-label",
        "scan-result.informational-fix-available-since",
        "scan-result.low-fix-available-since",
        "scan-result.medium-fix-available-since",
        "source-image-id",
        "source-image-region",
        "source-instance-id",
        "state",
        "state-reason-code",
        "state-reason-message",
        "sriov-net-support",
        "tag-key",
        "virtualization-type",
    }
)

# Read by moto 5.2.5's Ami.get_filter_value (or the attribute fallback of TaggedEC2Resource) from values
# every emulated image has, or by _filter_value below.
EMULATED_FILTERS = frozenset(
    {
        "architecture",
        "boot-mode",
        "creation-date",
        "description",
        "ena-support",
        "image-id",
        "image-type",
        "is-public",
        "kernel-id",
        "name",
        "owner-alias",
        "owner-id",
        "platform",
        "product-code",
        "product-code.type",
        "root-device-name",
        "root-device-type",
        "source-instance-id",
        "state",
        "tag-key",
        "virtualization-type",
    }
)

# Filter name -> the Ami attribute that may be None (no value: the image matches nothing).
_OPTIONAL_ATTRIBUTES = {"description": "description", "boot-mode": "boot_mode", "ena-support": "ena_support"}


def refusal(name: str) -> EC2ClientError | None:
    """The error AWS (or, for a documented name the emulator lacks, we) answer for a filter name; None if it is fine."""
    if name.startswith(TAG_FILTER_PREFIX) and len(name) > len(TAG_FILTER_PREFIX):
        return None
    if name not in DOCUMENTED_FILTERS:
        return EC2ClientError("InvalidParameterValue", f"The filter '{name}' is invalid")
    if name not in EMULATED_FILTERS:
        return EC2ClientError(
            "InvalidParameterValue",
            f"The filter '{name}' is valid in AWS but not implemented by the bakery emulator "
            "(tests/emulator/extensions/describe_images_filters.py)",
        )
    return None


def _filter_value(original):
    @functools.wraps(original)
    def get_filter_value(self, filter_name, method_name=None):
        if filter_name == "creation-date":
            return format_timestamp(self.creation_date) if self.creation_date else None
        if filter_name in _OPTIONAL_ATTRIBUTES:
            return getattr(self, _OPTIONAL_ATTRIBUTES[filter_name], None)
        return original(self, filter_name, method_name)

    return get_filter_value


def install() -> None:
    Ami.get_filter_value = _filter_value(Ami.get_filter_value)

    original = AmisResponse.describe_images

    @functools.wraps(original)
    def describe_images(self):
        for name in self._filters_from_querystring():
            error = refusal(name)
            if error is not None:
                raise error
        return original(self)

    AmisResponse.describe_images = describe_images
