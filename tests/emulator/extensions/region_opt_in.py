"""Regions are enabled or not for the account: DescribeRegions tells which, and a disabled region answers no call.

AWS (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html): "Default Regions – Regions
launched before March 20, 2019 are enabled by default. ... Default Regions cannot be enabled or disabled." Later
regions are opt-in regions, "disabled by default". DescribeRegions
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html) "Describes the Regions that are
enabled for your account, or all Regions": `AllRegions` - "Indicates whether to display all Regions, including
Regions that are disabled for your account"; `RegionName.N` - "You can specify any Regions, whether they are enabled
and disabled for your account"; filters `endpoint`, `opt-in-status` ("opt-in-not-required | opted-in |
not-opted-in") and `region-name`. Partitions do not mix: "You can't describe or access the Regions of one type of
account from another" (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html).

moto ignores `AllRegions` and the filters, lists the regions of every partition together, and calls three opt-in
regions (af-south-1, ap-southeast-3, eu-south-1) `opt-in-not-required`. Here:
- the default regions are `opt-in-not-required`; every other region of the `aws` partition is an opt-in region,
  `opted-in` where moto had it enabled (those three) and `not-opted-in` otherwise; `config.region_opt_in_status`
  ({region: "opted-in" | "not-opted-in"}) changes opt-in regions only;
- DescribeRegions answers the regions of the partition of the region it is called in; without `AllRegions`, only the
  enabled ones; a name in `RegionNames` that is not a region of that partition, or an unknown filter, is refused with
  `InvalidParameterValue` (chosen by us: AWS documents no answer);
- any call signed for a `not-opted-in` region is refused before anything else: EC2 answers `AuthFailure` (HTTP 401,
  "AWS was not able to validate the provided access credentials", as users report for disabled regions:
  https://github.com/turbot/steampipe-plugin-aws/issues/75, https://github.com/fog/fog-aws/issues/585); Query APIs
  answer `InvalidClientTokenId` (HTTP 403, as STS answered in https://github.com/segmentio/aws-okta/issues/225) and
  JSON APIs `UnrecognizedClientException` (HTTP 400): both chosen by us for services users have not reported on.
A setting AWS could not have (a default region disabled, a status that is not `opted-in` / `not-opted-in`) makes
every call answer `InternalError` (HTTP 500, chosen by us) naming it, rather than be ignored.
"""

from __future__ import annotations

import functools

from moto.core.responses import ActionResult, BaseResponse
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.availability_zones_and_regions import Region, RegionsAndZonesBackend
from moto.ec2.responses.availability_zones_and_regions import AvailabilityZonesAndRegions

from ..config import emulator_config
from ..error_bodies import call_action_error, protocol_of

OPT_IN_NOT_REQUIRED = "opt-in-not-required"
OPTED_IN = "opted-in"
NOT_OPTED_IN = "not-opted-in"
# The aws partition's regions launched before 2019-03-20.
DEFAULT_REGIONS = frozenset((
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
    "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
))
SETTABLE_STATUSES = (OPTED_IN, NOT_OPTED_IN)
DISABLED_REGION_ANSWERS = {
    "ec2": ("AuthFailure", 401, "AWS was not able to validate the provided access credentials"),
    "query": ("InvalidClientTokenId", 403, "The security token included in the request is invalid."),
    "json": ("UnrecognizedClientException", 400, "The security token included in the request is invalid."),
}
KNOWN_FILTERS = ("endpoint", "opt-in-status", "region-name")


def partition_of(region_name: str) -> str:
    if region_name.startswith("cn-"):
        return "aws-cn"
    if region_name.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def opt_in_status(region: Region) -> str:
    """The region's status for the emulated account."""
    if partition_of(region.name) != "aws" or region.name in DEFAULT_REGIONS:
        return OPT_IN_NOT_REQUIRED
    configured = emulator_config.region_opt_in_status.get(region.name)
    if configured is not None:
        if configured not in SETTABLE_STATUSES:
            raise ValueError("region_opt_in_status[%r] must be one of %s, got %r" % (region.name, SETTABLE_STATUSES, configured))
        return configured
    return OPTED_IN if region.opt_in_status == OPT_IN_NOT_REQUIRED else NOT_OPTED_IN


def check_settings() -> None:
    """Refuse settings AWS could not have: a default region (it cannot be enabled or disabled), an unknown one."""
    known = {region.name: region for region in RegionsAndZonesBackend.regions}
    for name, status in emulator_config.region_opt_in_status.items():
        if name not in known:
            raise ValueError("region_opt_in_status names %r, which is not a region" % name)
        if name in DEFAULT_REGIONS or partition_of(name) != "aws":
            raise ValueError("region_opt_in_status names %r, a default region: it cannot be enabled or disabled" % name)
        opt_in_status(known[name])


def is_enabled(region_name: str) -> bool:
    check_settings()
    region = next((region for region in RegionsAndZonesBackend.regions if region.name == region_name), None)
    return region is None or opt_in_status(region) != NOT_OPTED_IN


def _matches(filters: dict, region: Region, status: str) -> bool:
    values_of = {"endpoint": region.endpoint, "opt-in-status": status, "region-name": region.name}
    return all(values_of[name] in values for name, values in filters.items())


def describe_regions(self) -> ActionResult:
    self.error_on_dryrun()
    filters = self._filters_from_querystring()
    unknown = sorted(set(filters) - set(KNOWN_FILTERS))
    if unknown:
        raise EC2ClientError("InvalidParameterValue", "The filter '%s' is invalid" % unknown[0])
    partition = partition_of(self.region)
    regions = [region for region in RegionsAndZonesBackend.regions if partition_of(region.name) == partition]
    names = self._get_param("RegionNames", [])
    if names:
        known = {region.name for region in regions}
        for name in names:
            if name not in known:
                raise EC2ClientError("InvalidParameterValue", "Invalid region name: %s" % name)
        regions = [region for region in regions if region.name in names]
    all_regions = str(self._get_param("AllRegions", False)).lower() == "true"
    answered = []
    for region in regions:
        status = opt_in_status(region)
        if not (all_regions or names) and status == NOT_OPTED_IN:
            continue
        if _matches(filters, region, status):
            answered.append(Region(region.name, region.endpoint, status))
    return ActionResult({"Regions": answered})


def install() -> None:
    AvailabilityZonesAndRegions.describe_regions = describe_regions
    original = BaseResponse.call_action

    @functools.wraps(original)
    def call_action(self):
        try:
            enabled = is_enabled(self.region)
        except ValueError as misconfigured:
            return call_action_error(protocol_of(self), 500, "InternalError", "emulator misconfigured: %s" % misconfigured)
        if not enabled:
            code, status, message = DISABLED_REGION_ANSWERS[protocol_of(self)]
            return call_action_error(protocol_of(self), status, code, message)
        return original(self)

    BaseResponse.call_action = call_action
