# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The builder's instance profile for Session Manager, made for one build: an IAM role EC2 may assume, with AWS's
managed policy AmazonSSMManagedInstanceCore (what the SSM agent needs to register and carry sessions), in an instance
profile of the same name. Both live under the path /bakery-build/ and carry the build's tag, so a sweep finds them.

IAM has no idempotency tokens: a retried create after a lost response answers EntityAlreadyExists, and the role or
profile is adopted when it carries this build's tag. AttachRolePolicy is idempotent; the role is added to the profile
only when the profile does not hold it yet (a second AddRoleToInstanceProfile would exceed the quota of one role).

https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html
"""

from __future__ import annotations

import json

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import BUILD_ID_TAG
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError, BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import tag_dict_to_list, tag_list_to_dict
from ansible_collections.bakery.ami.plugins.module_utils._builder.resource_names import IAM_PATH

CORE_POLICY_NAME = "AmazonSSMManagedInstanceCore"
ASSUME_ROLE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def partition_of(region):
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def core_policy_arn(region):
    return "arn:%s:iam::aws:policy/%s" % (partition_of(region), CORE_POLICY_NAME)


def _ignore_missing(call):
    try:
        return call()
    except AwsCallError as error:
        if error_code(error) != "NoSuchEntity":
            raise
        return None


# The listing calls return no tags ("this operation does not return tags, even though they are an attribute of the
# returned object", https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfiles.html): the Get calls do.
def _build_id_of_profile(iam, name):
    return tag_list_to_dict(iam.call("get_instance_profile", InstanceProfileName=name)["InstanceProfile"].get("Tags")).get(BUILD_ID_TAG)


def _build_id_of_role(iam, name):
    return tag_list_to_dict(iam.call("get_role", RoleName=name)["Role"].get("Tags")).get(BUILD_ID_TAG)


class BuildInstanceProfile:
    def __init__(self, iam, request):
        self.iam = iam
        self.request = request
        self.name = request.iam_name

    def find(self):
        """The build's instance profile with this build's role in it, or None (also when half made)."""
        found = _ignore_missing(lambda: self.iam.call("get_instance_profile", InstanceProfileName=self.name))
        if found is None:
            return None
        profile = found["InstanceProfile"]
        self._check_ours("instance profile", _build_id_of_profile(self.iam, self.name))
        if self.name not in [role["RoleName"] for role in profile.get("Roles", [])]:
            return None
        return profile

    def _check_ours(self, what, build_id):
        if build_id != self.request.build_id:
            raise BakeryError("an IAM %s named %s exists that is not build %s's: remove it or use another build id" % (what, self.name, self.request.build_id))

    def create(self):
        tags = tag_dict_to_list(self.request.resource_tags())
        try:
            self.iam.call(
                "create_role",
                RoleName=self.name,
                Path=IAM_PATH,
                AssumeRolePolicyDocument=json.dumps(ASSUME_ROLE_POLICY),
                Description="bakery.ami builder %s: Session Manager (deleted with the build)" % self.request.build_id,
                Tags=tags,
            )
        except AwsCallError as error:
            if error_code(error) != "EntityAlreadyExists":
                raise
            self._check_ours("role", _build_id_of_role(self.iam, self.name))
        self.iam.call("attach_role_policy", RoleName=self.name, PolicyArn=core_policy_arn(self.request.region))
        try:
            profile = self.iam.call("create_instance_profile", InstanceProfileName=self.name, Path=IAM_PATH, Tags=tags)["InstanceProfile"]
        except AwsCallError as error:
            if error_code(error) != "EntityAlreadyExists":
                raise
            self._check_ours("instance profile", _build_id_of_profile(self.iam, self.name))
            profile = self.iam.call("get_instance_profile", InstanceProfileName=self.name)["InstanceProfile"]
        if self.name not in [role["RoleName"] for role in profile.get("Roles", [])]:
            try:
                self.iam.call("add_role_to_instance_profile", InstanceProfileName=self.name, RoleName=self.name)
            except AwsCallError as error:
                # A retry after a lost answer meets the role already in the profile (a profile holds one role).
                if error_code(error) != "LimitExceeded":
                    raise
            profile = self.iam.call("get_instance_profile", InstanceProfileName=self.name)["InstanceProfile"]
            if self.name not in [role["RoleName"] for role in profile.get("Roles", [])]:
                raise BakeryError("the instance profile %s of build %s holds another role: remove the build with state=absent and start a new one"
                                  % (self.name, self.request.build_id))
        return profile


def build_instance_profiles(iam):
    """{build id: [IAM names]} of every build role or instance profile under the builds' path."""
    found = {}
    for role in iam.paginate("list_roles", "Roles", PathPrefix=IAM_PATH):
        build_id = _ignore_missing(lambda: _build_id_of_role(iam, role["RoleName"]))
        if build_id:
            found.setdefault(build_id, set()).add(role["RoleName"])
    for profile in iam.paginate("list_instance_profiles", "InstanceProfiles", PathPrefix=IAM_PATH):
        build_id = _ignore_missing(lambda: _build_id_of_profile(iam, profile["InstanceProfileName"]))
        if build_id:
            found.setdefault(build_id, set()).add(profile["InstanceProfileName"])
    return dict((build_id, sorted(names)) for build_id, names in found.items())


def find_build_instance_profile(iam, name, build_id):
    """``name`` if a role or instance profile of that name belongs to ``build_id``, else None."""
    for reader in (_build_id_of_profile, _build_id_of_role):
        owner = _ignore_missing(lambda: reader(iam, name))
        if owner == build_id:
            return name
    return None


def remove_instance_profile(iam, name):
    """Remove the build's instance profile and role of this name (whichever exist)."""
    profile = _ignore_missing(lambda: iam.call("get_instance_profile", InstanceProfileName=name))
    if profile is not None:
        for role in profile["InstanceProfile"].get("Roles", []):
            _ignore_missing(lambda: iam.call("remove_role_from_instance_profile", InstanceProfileName=name, RoleName=role["RoleName"]))
        _ignore_missing(lambda: iam.call("delete_instance_profile", InstanceProfileName=name))
    if _ignore_missing(lambda: iam.call("get_role", RoleName=name)) is None:
        return
    for policy in iam.paginate("list_attached_role_policies", "AttachedPolicies", RoleName=name):
        _ignore_missing(lambda: iam.call("detach_role_policy", RoleName=name, PolicyArn=policy["PolicyArn"]))
    for policy_name in iam.paginate("list_role_policies", "PolicyNames", RoleName=name):
        _ignore_missing(lambda: iam.call("delete_role_policy", RoleName=name, PolicyName=policy_name))
    # A profile made by hand around the build's role would keep it from being deleted (DeleteConflict).
    for other in iam.paginate("list_instance_profiles_for_role", "InstanceProfiles", RoleName=name):
        _ignore_missing(lambda: iam.call("remove_role_from_instance_profile", InstanceProfileName=other["InstanceProfileName"], RoleName=name))
    _ignore_missing(lambda: iam.call("delete_role", RoleName=name))
