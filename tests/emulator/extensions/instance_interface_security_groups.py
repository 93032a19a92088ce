"""An instance launched with NetworkInterfaces reports its primary interface's security groups, as EC2 does.

AWS: RunInstances' NetworkInterfaces `Groups` are "The IDs of the security groups for the network interface"
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceNetworkInterfaceSpecification.html), and
DescribeInstances reports an instance's `SecurityGroups` as "The security groups for the instance"
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Instance.html) - for a VPC instance, those of its
primary network interface (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html: "When you
launch an instance, you can specify one or more security groups ... the security groups are associated with the
primary network interface").

moto 5.2.5 puts NetworkInterfaces `Groups` on the interface only: DescribeInstances shows no security group for such an
instance, and a test could not see which groups guard it. Here, after RunInstances, an instance without groups of its
own takes those of its primary interface (device index 0). No error code of its own.
"""

from __future__ import annotations

import functools

from moto.ec2.models.instances import InstanceBackend


def _reporting_interface_groups(original):
    @functools.wraps(original)
    def run_instances(self, *args, **kwargs):
        reservation = original(self, *args, **kwargs)
        for instance in reservation.instances:
            primary = getattr(instance, "nics", {}).get(0)
            if not instance.security_groups and primary is not None and primary._group_set:
                instance.security_groups = list(primary._group_set)
        return reservation

    return run_instances


def install() -> None:
    InstanceBackend.run_instances = _reporting_interface_groups(InstanceBackend.run_instances)
