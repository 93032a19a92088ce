# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the builder goes: its subnet, that subnet's VPC and the VPC's address ranges, read before anything is made.

Without a subnet the builder goes to a default subnet of the region's default VPC. Many estates delete the default VPC;
this is found in the plan, so the module fails naming ``subnet_id`` instead of failing later at CreateSecurityGroup
with a security group or key pair already made.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError, InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code


class BuilderNetwork:
    def __init__(self, subnet, vpc):
        self.subnet = subnet
        self.vpc = vpc

    @property
    def subnet_id(self):
        return self.subnet["SubnetId"]

    @property
    def vpc_id(self):
        return self.vpc["VpcId"]

    @property
    def cidr_blocks(self):
        """The VPC's IPv4 and IPv6 ranges: the sources a builder reached on its private address can be reached from
        (the controller in the VPC, a bastion, an EC2 Instance Connect Endpoint)."""
        ipv4 = [association["CidrBlock"] for association in self.vpc.get("CidrBlockAssociationSet", [])
                if association.get("CidrBlockState", {}).get("State", "associated") == "associated"]
        ipv6 = [association["Ipv6CidrBlock"] for association in self.vpc.get("Ipv6CidrBlockAssociationSet", [])
                if association.get("Ipv6CidrBlockState", {}).get("State", "associated") == "associated"]
        return sorted(set(ipv4 or [self.vpc["CidrBlock"]])) + sorted(set(ipv6))


def find_network(ec2, region, subnet_id):
    """The builder's subnet and VPC; raises ``InvalidInputError`` naming subnet_id when there is none to use."""
    if subnet_id:
        try:
            subnets = ec2.call("describe_subnets", SubnetIds=[subnet_id]).get("Subnets", [])
        except AwsCallError as error:
            if error_code(error) != "InvalidSubnetID.NotFound":
                raise
            subnets = []
        if not subnets:
            raise InvalidInputError("subnet_id", "%s does not exist in %s" % (subnet_id, region))
        subnet = subnets[0]
    else:
        defaults = ec2.call("describe_vpcs", Filters=[{"Name": "is-default", "Values": ["true"]}]).get("Vpcs", [])
        if not defaults:
            raise InvalidInputError(
                "subnet_id", "is required: %s has no default VPC; give the subnet the builder is launched in (a private subnet "
                "with outbound access to the package mirrors and AWS endpoints, see the first real bake guide)" % region
            )
        subnets = ec2.call("describe_subnets", Filters=[{"Name": "vpc-id", "Values": [defaults[0]["VpcId"]]},
                                                        {"Name": "default-for-az", "Values": ["true"]}]).get("Subnets", [])
        if not subnets:
            raise InvalidInputError("subnet_id", "is required: the default VPC %s of %s has no default subnet" % (defaults[0]["VpcId"], region))
        # The first zone by name: the same subnet on every run of a build.
        subnet = sorted(subnets, key=lambda candidate: (candidate.get("AvailabilityZone", ""), candidate["SubnetId"]))[0]
    vpc = ec2.call("describe_vpcs", VpcIds=[subnet["VpcId"]])["Vpcs"][0]
    return BuilderNetwork(subnet, vpc)


def check_security_groups(ec2, network, group_ids):
    """The given security groups exist and are in the builder's VPC (RunInstances would refuse them, but only after the
    rest of the build was made)."""
    if not group_ids:
        return []
    try:
        groups = ec2.call("describe_security_groups", GroupIds=list(group_ids)).get("SecurityGroups", [])
    except AwsCallError as error:
        if error_code(error) not in ("InvalidGroup.NotFound", "InvalidGroupId.Malformed"):
            raise
        raise InvalidInputError("security_group_ids", "name security groups that do not exist in this region: %s" % error.aws_message)
    elsewhere = ["%s (in %s)" % (group["GroupId"], group.get("VpcId")) for group in groups if group.get("VpcId") != network.vpc_id]
    if elsewhere:
        raise InvalidInputError("security_group_ids", "must be groups of the builder's VPC %s (subnet %s): %s" % (
            network.vpc_id, network.subnet_id, ", ".join(elsewhere)))
    return groups
