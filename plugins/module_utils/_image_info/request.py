# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``image_info`` looks for, validated, and the DescribeImages request that asks AWS for exactly that."""

from __future__ import annotations

import re

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.filters import filter_list, tag_filters
from ansible_collections.bakery.ami.plugins.module_utils._aws.module_request import ModuleRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import validate_tags
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import (
    ACCOUNT_ID_PATTERN,
    each_indexed,
    validate_resource_id,
)

# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html (Owners)
OWNER_ALIASES = ("self", "amazon", "aws-marketplace", "aws-backup-vault")
# ExecutableBy: "an AWS account ID, self (the sender of the request), or all (public AMIs)".
EXECUTABLE_BY_GROUPS = ("self", "all")
ARCHITECTURES = ("i386", "x86_64", "arm64", "x86_64_mac", "arm64_mac")
PLATFORMS = ("linux", "windows")
ROOT_DEVICE_TYPES = ("ebs", "instance-store")
VIRTUALIZATION_TYPES = ("hvm", "paravirtual")
# Parameter names: letters, digits and . - _ / (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html)
SSM_PARAMETER_PATTERN = re.compile(r"^/?[A-Za-z0-9_.\-]+(?:/[A-Za-z0-9_.\-]+)*$")


class ImageQuery(ModuleRequest):
    """The selectors of one ``image_info`` call. Validation happens in ``from_params``, before any AWS call."""

    def validate(self):
        params = self.params
        self.regions = self.regions_option()
        for indexed, image_id in each_indexed("image_ids", params["image_ids"]):
            validate_resource_id(indexed, image_id, "image")
        for indexed, owner in each_indexed("owners", params["owners"]):
            _validate_principal(indexed, owner, OWNER_ALIASES, "an owner alias (%s)" % ", ".join(OWNER_ALIASES))
        for indexed, principal in each_indexed("executable_by", params["executable_by"]):
            _validate_principal(indexed, principal, EXECUTABLE_BY_GROUPS, "'self', 'all'")
        _validate_choice("architecture", params["architecture"], ARCHITECTURES)
        _validate_choice("platform", params["platform"], PLATFORMS)
        _validate_choice("root_device_type", params["root_device_type"], ROOT_DEVICE_TYPES)
        _validate_choice("virtualization_type", params["virtualization_type"], VIRTUALIZATION_TYPES)
        self.filters = _validate_raw_filters(params["filters"]) or {}
        self.ssm_parameter = params["ssm_parameter"]
        if self.ssm_parameter is not None and not SSM_PARAMETER_PATTERN.match(self.ssm_parameter):
            raise InvalidInputError(
                "ssm_parameter",
                "%r is not an SSM parameter name (e.g. /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64)"
                % self.ssm_parameter,
            )
        if self.ssm_parameter and params["image_ids"]:
            raise InvalidInputError("ssm_parameter", "cannot be combined with image_ids: the parameter names the image")
        self.image_ids = [str(image_id) for image_id in params["image_ids"]]
        self.owners = [str(owner) for owner in params["owners"]]
        self.name = params["name"]
        self.architecture = params["architecture"]
        self.platform = params["platform"]
        self.root_device_type = params["root_device_type"]
        self.virtualization_type = params["virtualization_type"]
        self.executable_by = [str(principal) for principal in params["executable_by"]]
        self.tags = validate_tags("tags", params["tags"]) or {}
        self.include_deprecated = params["include_deprecated"]
        self.include_disabled = params["include_disabled"]
        self.most_recent = params["most_recent"]
        self.describe_launch_permissions = params["describe_launch_permissions"]

    @property
    def selects_by_id(self):
        return bool(self.image_ids or self.ssm_parameter)

    def filters_for_aws(self):
        """Every selector EC2 can filter on, as DescribeImages ``Filters``.

        EC2's ``platform`` filter only knows ``windows`` (Linux images have no platform value), so
        ``platform: linux`` cannot be pushed; ``matches_locally`` drops Windows images instead.
        """
        filters = {}
        if not self.selects_by_id:
            # Without ids, only usable images: a pending or failed image is never "the newest that matches".
            filters["state"] = ["available", "disabled"] if self.include_disabled else ["available"]
        filters.update(
            {
                "name": self.name,
                "architecture": self.architecture,
                "root-device-type": self.root_device_type,
                "virtualization-type": self.virtualization_type,
                "platform": "windows" if self.platform == "windows" else None,
            }
        )
        filters.update(tag_filters(self.tags))
        # Raw filters come last: they are the user's explicit word, e.g. state: [available, pending].
        filters.update(self.filters)
        return filter_list(filters)

    def describe_images_params(self, image_ids=None):
        """DescribeImages input for one region; ``image_ids`` overrides the query's ids (a resolved SSM parameter)."""
        params = {"IncludeDeprecated": self.include_deprecated, "IncludeDisabled": self.include_disabled}
        image_ids = image_ids if image_ids is not None else self.image_ids
        if image_ids:
            params["ImageIds"] = list(image_ids)
        if self.owners:
            params["Owners"] = list(self.owners)
        if self.executable_by:
            params["ExecutableUsers"] = list(self.executable_by)
        filters = self.filters_for_aws()
        if filters:
            params["Filters"] = filters
        return params

    def matches_locally(self, image):
        """What AWS cannot filter on: ``platform: linux`` means "not Windows"."""
        if self.platform == "linux":
            return (image.get("Platform") or "").lower() != "windows"
        return True


def _validate_principal(option, value, aliases, alias_text):
    value = str(value)
    if value not in aliases and not ACCOUNT_ID_PATTERN.match(value):
        raise InvalidInputError(option, "%r is neither a 12-digit AWS account id nor %s" % (value, alias_text))


def _validate_choice(option, value, choices):
    if value is not None and value not in choices:
        raise InvalidInputError(option, "%r is not one of %s" % (value, ", ".join(choices)))


def _validate_raw_filters(filters):
    if not filters:
        return {}
    if not isinstance(filters, dict):
        raise InvalidInputError("filters", "must be a dict of DescribeImages filter names to values")
    for name in filters:
        if not str(name).strip():
            raise InvalidInputError("filters", "has an empty filter name")
    return dict((str(name), value) for name, value in filters.items())
