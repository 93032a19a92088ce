# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The build's security group: SSH (port 22) from the given ranges only, or, for Session Manager, no inbound rule at
all (the agent connects out; outbound stays AWS's default, everything allowed).

CreateSecurityGroup has no idempotency token: a retried call after a lost response answers InvalidGroup.Duplicate,
and the group is adopted when it is in the same VPC and carries this build's tag. A run interrupted between creating
the group and authorizing its rule finds the rule missing and adds it.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import BUILD_ID_TAG
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError, BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import tag_list_to_dict, tag_specifications

SSH_PORT = 22
RULE_DESCRIPTION = "bakery.ami controller"


def find_security_groups(ec2, build_id):
    return ec2.paginate("describe_security_groups", "SecurityGroups", Filters=[{"Name": "tag:%s" % BUILD_ID_TAG, "Values": [build_id]}])


def ssh_cidrs_allowed(group):
    """The CIDRs a group lets in on port 22 (TCP)."""
    allowed = set()
    for rule in group.get("IpPermissions", []):
        if rule.get("IpProtocol") in ("tcp", "6", "-1") and rule.get("FromPort", 0) <= SSH_PORT <= rule.get("ToPort", 65535):
            allowed.update(address["CidrIp"] for address in rule.get("IpRanges", []))
            allowed.update(address["CidrIpv6"] for address in rule.get("Ipv6Ranges", []))
    return allowed


class BuildSecurityGroup:
    def __init__(self, ec2, request):
        self.ec2 = ec2
        self.request = request

    def find(self):
        groups = find_security_groups(self.ec2, self.request.build_id)
        return groups[0] if groups else None

    def missing_cidrs(self, group, cidrs):
        """The CIDRs of ``cidrs`` the group does not let in yet (a run interrupted before its rule was added)."""
        if group is None:
            return list(cidrs)
        allowed = ssh_cidrs_allowed(group)
        return [cidr for cidr in cidrs if cidr not in allowed]

    def create(self, vpc_id, purpose):
        try:
            created = self.ec2.call(
                "create_security_group",
                GroupName=self.request.name,
                Description="bakery.ami builder %s: %s" % (self.request.build_id, purpose),
                VpcId=vpc_id,
                TagSpecifications=tag_specifications(["security-group"], self.request.resource_tags()),
            )
        except AwsCallError as error:
            if error_code(error) != "InvalidGroup.Duplicate":
                raise
            return self._adopt(vpc_id)
        return {"GroupId": created["GroupId"], "GroupName": self.request.name, "VpcId": vpc_id, "IpPermissions": []}

    def _adopt(self, vpc_id):
        groups = self.ec2.call("describe_security_groups", Filters=[{"Name": "group-name", "Values": [self.request.name]},
                                                                    {"Name": "vpc-id", "Values": [vpc_id]}]).get("SecurityGroups", [])
        ours = [group for group in groups if tag_list_to_dict(group.get("Tags")).get(BUILD_ID_TAG) == self.request.build_id]
        if not ours:
            raise BakeryError("a security group named %s exists in %s that is not this build's: remove it or use another build id"
                              % (self.request.name, vpc_id))
        return ours[0]

    def allow_ssh(self, group_id, cidrs):
        if not cidrs:
            return
        try:
            self.ec2.call(
                "authorize_security_group_ingress",
                GroupId=group_id,
                IpPermissions=[
                    {
                        "IpProtocol": "tcp",
                        "FromPort": SSH_PORT,
                        "ToPort": SSH_PORT,
                        "IpRanges": [{"CidrIp": cidr, "Description": RULE_DESCRIPTION} for cidr in cidrs if ":" not in cidr],
                        "Ipv6Ranges": [{"CidrIpv6": cidr, "Description": RULE_DESCRIPTION} for cidr in cidrs if ":" in cidr],
                    }
                ],
            )
        except AwsCallError as error:
            # The rule was added by the attempt whose response was lost.
            if error_code(error) != "InvalidPermission.Duplicate":
                raise
