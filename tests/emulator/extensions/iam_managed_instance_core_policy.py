"""AWS's managed policy AmazonSSMManagedInstanceCore exists in every account, as in AWS.

AWS: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html ("The policy
for Amazon EC2 Role to enable AWS Systems Manager service core functionality.") and
https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html ("attach the AWS managed
policy AmazonSSMManagedInstanceCore to your instance profile role").

moto loads AWS's managed policies only with MOTO_IAM_LOAD_MANAGED_POLICIES=true (about 1,300, on every reset); without
them AttachRolePolicy of this ARN answers NoSuchEntity. This adds the one policy a Session Manager builder needs, from
moto's own copy of AWS's policy data (the same ARN, path and document). Every other AWS managed policy stays unknown:
attaching one answers NoSuchEntity, stricter than AWS.
"""

from __future__ import annotations

import functools
import json

from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.models import AWSManagedPolicy, IAMBackend

POLICY_NAME = "AmazonSSMManagedInstanceCore"


@functools.lru_cache(maxsize=1)
def _policy_data() -> dict:
    return json.loads(aws_managed_policies_data)[POLICY_NAME]


def _with_core_policy(original):
    @functools.wraps(original)
    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        policy = AWSManagedPolicy.from_data(POLICY_NAME, self.account_id, self.region_name, _policy_data())
        if policy.arn not in self.managed_policies:
            self.aws_managed_policies.append(policy)
            self.managed_policies[policy.arn] = policy

    return init


def install() -> None:
    IAMBackend.__init__ = _with_core_policy(IAMBackend.__init__)
