# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whom an image is shared with: public, accounts, organizations, OUs.

A shared image may be launched by other accounts (their Auto Scaling groups and launch templates name it by id), and
nothing in this account shows that. Disabling it "removes all launch permissions from the AMI ... If an AMI was shared
with an AWS account, organization, or Organizational Unit, they lose access to the disabled AMI"
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisableImage.html), and deregistering it ends their
launches. DescribeImages says whether an image is public; the accounts, organizations and OUs it is shared with take
one DescribeImageAttribute ``launchPermission`` per image (only the owner may read them; the family is the caller's).

Distribution into other accounts (later work) shares an image only until every target account holds its own copy;
its exception belongs here, as one more rule on these permissions.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.launch_permissions import PermissionSet


def launch_permissions(ec2_api, image):
    """The image's launch permissions as a ``PermissionSet``; a public image needs no call."""
    if image.get("Public"):
        return PermissionSet(public=True)
    response = ec2_api.call("describe_image_attribute", ImageId=image["ImageId"], Attribute="launchPermission")
    return PermissionSet.from_aws(response.get("LaunchPermissions", []))


def shared_with(permissions):
    """``["public", "account 111122223333", "organization arn:...", "organizational unit arn:..."]`` (empty: not shared)."""
    targets = ["public"] if permissions.public else []
    targets += ["account %s" % account for account in sorted(permissions.accounts)]
    targets += ["organization %s" % arn for arn in sorted(permissions.organization_arns)]
    targets += ["organizational unit %s" % arn for arn in sorted(permissions.organizational_unit_arns)]
    return targets
