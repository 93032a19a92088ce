# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every region of the bake enabled for the account, and in the home region's partition.

An opt-in region ("Regions launched after March 20, 2019 are disabled by default",
https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html) answers no call until the account
enables it: a copy to it fails only after the build. DescribeRegions with AllRegions lists every region of the
caller's partition with its OptInStatus (opt-in-not-required | opted-in | not-opted-in); an image never leaves its
partition (aws, aws-cn, aws-us-gov).
"""

from __future__ import annotations

import functools

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError

try:
    import botocore.session
except ImportError:  # pragma: no cover - reported by the module base as a missing library
    botocore = None

NOT_OPTED_IN = "not-opted-in"


@functools.lru_cache(maxsize=None)
def partition_of(region):
    """The partition botocore's endpoint data puts ``region`` in (None when it knows none)."""
    session = botocore.session.get_session()
    for partition in session.get_available_partitions():
        if region in session.get_available_regions("ec2", partition_name=partition):
            return partition
    return None


def describe(request, region):
    if region == request.home_region:
        return "home region %s" % region
    copy = next(copy for copy in request.copies if copy.region == region)
    return "copy region %s (%s)" % (region, copy.option)


def check_regions(clients, request, findings):
    """The regions further checks can call: those not found disabled."""
    home_partition = partition_of(request.home_region)
    usable = []
    for region in request.regions:
        if region != request.home_region and partition_of(region) != home_partition:
            findings.problem(
                "%s is in partition %s, the home region %s in %s: an image cannot be copied out of its partition"
                % (describe(request, region), partition_of(region), request.home_region, home_partition)
            )
        else:
            usable.append(region)
    try:
        answered = clients.api("ec2", request.home_region).call("describe_regions", AllRegions=True)["Regions"]
    except BakeryError as error:
        findings.call_failed(error, "ec2:DescribeRegions", "read which regions are enabled for the account")
        return usable
    statuses = dict((region["RegionName"], region.get("OptInStatus")) for region in answered)
    enabled = []
    for region in usable:
        status = statuses.get(region)
        if status is None:
            findings.problem("%s is not a region this account has (DescribeRegions in %s does not list it)" % (describe(request, region), request.home_region))
        elif status == NOT_OPTED_IN:
            findings.problem(
                "%s is not enabled for this account (opt-in status %s): enable it (AWS Account Management, Regions) "
                "or leave it out" % (describe(request, region), status)
            )
        else:
            enabled.append(region)
    return enabled
