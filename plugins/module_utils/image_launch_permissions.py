# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who may launch an image: its launch permissions, readable only by the image's owner."""

from __future__ import annotations

_FIELDS = (
    ("UserId", "user_id"),
    ("Group", "group"),
    ("OrganizationArn", "organization_arn"),
    ("OrganizationalUnitArn", "organizational_unit_arn"),
)


def launch_permission_record(permission):
    return dict((snake, permission[aws]) for aws, snake in _FIELDS if permission.get(aws) is not None)


def describe_launch_permissions(ec2_api, image_id):
    """``[{user_id | group | organization_arn | organizational_unit_arn}]`` of an image the caller owns."""
    response = ec2_api.call("describe_image_attribute", ImageId=image_id, Attribute="launchPermission")
    return [launch_permission_record(permission) for permission in response.get("LaunchPermissions", [])]
