# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Launch permissions of an AMI as a set of principals, and the changes between two such sets.

AWS lists them as ``[{"UserId"}, {"Group": "all"}, {"OrganizationArn"}, {"OrganizationalUnitArn"}]``
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchPermission.html).
"""

from __future__ import annotations

PUBLIC_GROUP = "all"


class PermissionSet:
    """Accounts, organizations, OUs and whether the image is public. Immutable."""

    def __init__(self, accounts=(), organization_arns=(), organizational_unit_arns=(), public=False):
        self.accounts = frozenset(accounts)
        self.organization_arns = frozenset(organization_arns)
        self.organizational_unit_arns = frozenset(organizational_unit_arns)
        self.public = bool(public)

    @classmethod
    def from_aws(cls, launch_permissions):
        permissions = launch_permissions or []
        return cls(
            accounts=[item["UserId"] for item in permissions if item.get("UserId")],
            organization_arns=[item["OrganizationArn"] for item in permissions if item.get("OrganizationArn")],
            organizational_unit_arns=[item["OrganizationalUnitArn"] for item in permissions if item.get("OrganizationalUnitArn")],
            public=any(item.get("Group") == PUBLIC_GROUP for item in permissions),
        )

    def to_aws(self):
        items = [{"UserId": account} for account in sorted(self.accounts)]
        items += [{"OrganizationArn": arn} for arn in sorted(self.organization_arns)]
        items += [{"OrganizationalUnitArn": arn} for arn in sorted(self.organizational_unit_arns)]
        if self.public:
            items.append({"Group": PUBLIC_GROUP})
        return items

    def as_dict(self):
        return {
            "accounts": sorted(self.accounts),
            "organization_arns": sorted(self.organization_arns),
            "organizational_unit_arns": sorted(self.organizational_unit_arns),
            "public": self.public,
        }

    @property
    def is_empty(self):
        return not (self.accounts or self.organization_arns or self.organizational_unit_arns or self.public)

    def minus(self, other):
        return PermissionSet(
            self.accounts - other.accounts,
            self.organization_arns - other.organization_arns,
            self.organizational_unit_arns - other.organizational_unit_arns,
            self.public and not other.public,
        )

    def intersection(self, other):
        return PermissionSet(
            self.accounts & other.accounts,
            self.organization_arns & other.organization_arns,
            self.organizational_unit_arns & other.organizational_unit_arns,
            self.public and other.public,
        )

    def union(self, other):
        return PermissionSet(
            self.accounts | other.accounts,
            self.organization_arns | other.organization_arns,
            self.organizational_unit_arns | other.organizational_unit_arns,
            self.public or other.public,
        )

    def __eq__(self, other):
        return isinstance(other, PermissionSet) and self.as_dict() == other.as_dict()

    def __hash__(self):
        return hash((self.accounts, self.organization_arns, self.organizational_unit_arns, self.public))

    def __repr__(self):
        return "PermissionSet(%r)" % self.as_dict()


class PermissionChanges:
    def __init__(self, to_add, to_remove):
        self.to_add = to_add
        self.to_remove = to_remove

    @property
    def is_empty(self):
        return self.to_add.is_empty and self.to_remove.is_empty

    def applied_to(self, current):
        return current.minus(self.to_remove).union(self.to_add)


def compute_permission_changes(current, given, state="present", purge=False):
    """Changes from ``current`` for ``given``: add only (default), make exactly ``given`` (purge), or remove (absent)."""
    if state == "absent":
        return PermissionChanges(PermissionSet(), given.intersection(current))
    to_add = given.minus(current)
    to_remove = current.minus(given) if purge else PermissionSet()
    return PermissionChanges(to_add, to_remove)


def describe_launch_permissions(ec2_api, image_id):
    """The launch permissions of an image the caller owns (only the owner may read them), as ``PermissionSet.as_dict()``."""
    response = ec2_api.call("describe_image_attribute", ImageId=image_id, Attribute="launchPermission")
    return PermissionSet.from_aws(response.get("LaunchPermissions", [])).as_dict()
