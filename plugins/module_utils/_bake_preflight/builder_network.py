# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the builder would run: its subnet (or the default VPC), its instance type offered in that zone, and the image
it boots from, in the home region.

Without a subnet, RunInstances launches into a default subnet of the default VPC; an account or region without a
default VPC refuses the launch (``VPCIdNotSpecified``). An instance type is offered per Availability Zone
(DescribeInstanceTypeOfferings, location type availability-zone): a type missing from the subnet's zone fails the
launch (``Unsupported``).
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.filters import filter_list

SUBNET_NOT_FOUND = ("InvalidSubnetID.NotFound", "InvalidSubnetID.Malformed")
IMAGE_NOT_FOUND = ("InvalidAMIID.NotFound", "InvalidAMIID.Unavailable", "InvalidAMIID.Malformed")


class BuilderPlacement:
    """What the checks learnt: the VPC and zones the builder could land in (for the permission probes)."""

    def __init__(self):
        self.vpc_id = None
        self.zones = []
        self.source_image = None


def check_builder(clients, request, findings):
    placement = BuilderPlacement()
    ec2 = clients.api("ec2", request.home_region)
    if request.source_image_id:
        placement.source_image = _source_image(ec2, request, findings)
    if request.builder is None:
        return placement
    if request.builder.subnet_id:
        _subnet_zones(ec2, request, placement, findings)
    else:
        _default_vpc_zones(ec2, request, placement, findings)
    if placement.zones:
        _check_offered(ec2, request, placement, findings)
    return placement


def _source_image(ec2, request, findings):
    try:
        images = ec2.call("describe_images", ImageIds=[request.source_image_id], IncludeDeprecated=True).get("Images", [])
    except BakeryError as error:
        if getattr(error, "code", None) not in IMAGE_NOT_FOUND:
            findings.call_failed(error, "ec2:DescribeImages", "look up the source image %s" % request.source_image_id)
            return None
        images = []
    if not images:
        findings.problem("source_image_id %s does not exist in %s (or is not visible to this account)" % (request.source_image_id, request.home_region))
        return None
    if images[0].get("State") != "available":
        findings.problem("source_image_id %s in %s is %s, not available" % (request.source_image_id, request.home_region, images[0].get("State")))
    return images[0]


def _subnet_zones(ec2, request, placement, findings):
    subnet_id = request.builder.subnet_id
    try:
        subnets = ec2.call("describe_subnets", SubnetIds=[subnet_id]).get("Subnets", [])
    except BakeryError as error:
        if getattr(error, "code", None) not in SUBNET_NOT_FOUND:
            findings.call_failed(error, "ec2:DescribeSubnets", "look up the builder's subnet %s" % subnet_id)
            return
        subnets = []
    if not subnets:
        findings.problem("builder.subnet_id %s does not exist in %s: give a subnet of that region" % (subnet_id, request.home_region))
        return
    placement.vpc_id = subnets[0].get("VpcId")
    placement.zones = [subnets[0]["AvailabilityZone"]]


def _default_vpc_zones(ec2, request, placement, findings):
    try:
        vpcs = ec2.call("describe_vpcs", Filters=filter_list({"isDefault": "true"})).get("Vpcs", [])
        if not vpcs:
            findings.problem(
                "%s has no default VPC and no subnet is given: set the builder's subnet (builder.subnet_id; in the bake, "
                "bake_subnet_id) to a subnet the controller can reach" % request.home_region
            )
            return
        placement.vpc_id = vpcs[0]["VpcId"]
        subnets = ec2.paginate("describe_subnets", "Subnets", Filters=filter_list({"vpc-id": placement.vpc_id, "default-for-az": "true"}))
    except BakeryError as error:
        findings.call_failed(error, "ec2:DescribeVpcs", "find the default VPC of %s" % request.home_region)
        return
    placement.zones = sorted(set(subnet["AvailabilityZone"] for subnet in subnets))
    if not placement.zones:
        findings.problem(
            "the default VPC %s of %s has no default subnet: set the builder's subnet (builder.subnet_id; in the bake, "
            "bake_subnet_id)" % (placement.vpc_id, request.home_region)
        )


def _check_offered(ec2, request, placement, findings):
    instance_type = request.builder.instance_type
    try:
        offerings = ec2.paginate(
            "describe_instance_type_offerings",
            "InstanceTypeOfferings",
            LocationType="availability-zone",
            Filters=filter_list({"instance-type": instance_type, "location": placement.zones}),
        )
    except BakeryError as error:
        findings.call_failed(error, "ec2:DescribeInstanceTypeOfferings", "check that %s is offered in %s" % (instance_type, ", ".join(placement.zones)))
        return
    offered = sorted(set(offering["Location"] for offering in offerings if offering.get("InstanceType") == instance_type))
    if not offered:
        where = ("the zone of subnet %s" % request.builder.subnet_id) if request.builder.subnet_id else "the zones of the default VPC's subnets"
        findings.problem(
            "instance type %s is not offered in %s (%s) of %s: choose another builder instance type, or a subnet in a "
            "zone that offers it" % (instance_type, ", ".join(placement.zones), where, request.home_region)
        )
    else:
        placement.zones = offered
