# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The validated input of the ``builder`` module: the temporary resources of one bake, named by its build id."""

from __future__ import annotations

import ipaddress
import os
import re

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import validate_tags
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import REGION_PATTERN, validate_resource_id

BUILD_ID_TAG = "bakery:build-id"
# Key pair and security group names are built from the build id: both allow 255 characters, and
# security group names may not start with "sg-".
BUILD_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
RESOURCE_NAME_PREFIX = "bakery-build-"


def validate_build_id(option, build_id):
    if not isinstance(build_id, str) or not BUILD_ID_PATTERN.match(build_id):
        raise InvalidInputError(
            option, "%r is not a build id: 1 to 100 characters from letters, digits, '.', '_' and '-', starting with a letter or digit" % (build_id,)
        )
    return build_id


def resource_name(build_id):
    """The name of the key pair and the security group of a build."""
    return RESOURCE_NAME_PREFIX + build_id


class BuilderRequest:
    def __init__(self, **fields):
        self.__dict__.update(fields)

    @classmethod
    def from_params(cls, params, default_region=None):
        state = params["state"]
        build_id = params.get("build_id")
        if build_id is not None or state != "absent":
            if build_id is None:
                raise InvalidInputError("build_id", "is required with state=%s" % state)
            validate_build_id("build_id", build_id)
        regions = list(params.get("regions") or [])
        for index, region in enumerate(regions):
            if not isinstance(region, str) or not REGION_PATTERN.match(region):
                raise InvalidInputError("regions[%d]" % index, "%r is not a region name like us-east-1" % (region,))
        request = cls(
            state=state,
            build_id=build_id,
            regions=regions or ([default_region] if default_region else []),
            include_images=bool(params.get("include_images")),
            private_key_path=params.get("private_key_path"),
            tags=validate_tags("tags", params.get("tags")) or {},
            wait=params.get("wait", True),
            wait_timeout=params.get("wait_timeout") or 600,
        )
        if state == "present":
            request._validate_present(params)
        elif state == "stopped":
            if len(request.regions) != 1:
                raise InvalidInputError("regions", "state=stopped works in one region; give region")
            request.region = request.regions[0]
        return request

    def _validate_present(self, params):
        self.image_id = validate_resource_id("image_id", params.get("image_id"), "image")
        self.instance_type = params.get("instance_type") or "t3.micro"
        self.volume_size = params.get("volume_size")
        if self.volume_size is not None and not 1 <= self.volume_size <= 16384:
            raise InvalidInputError("volume_size", "%r must be 1 to 16384 GiB" % (self.volume_size,))
        self.volume_type = params.get("volume_type") or "gp3"
        self.kms_key_id = params.get("kms_key_id")
        self.subnet_id = params.get("subnet_id")
        if self.subnet_id:
            validate_resource_id("subnet_id", self.subnet_id, "subnet")
        self.associate_public_ip_address = params.get("associate_public_ip_address")
        self.key_type = params.get("key_type") or "ed25519"
        self.iam_instance_profile = params.get("iam_instance_profile")
        self.ssh_cidrs = []
        cidrs = params.get("ssh_cidrs") or []
        if not cidrs:
            raise InvalidInputError("ssh_cidrs", "must list at least one CIDR allowed to reach the builder on port 22, e.g. 203.0.113.7/32")
        for index, cidr in enumerate(cidrs):
            try:
                network = ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                raise InvalidInputError("ssh_cidrs[%d]" % index, "%r is not a CIDR like 203.0.113.7/32" % (cidr,))
            self.ssh_cidrs.append(str(network))
        if not self.private_key_path:
            raise InvalidInputError("private_key_path", "is required with state=present: the new key pair's private key is written there (mode 0600)")
        directory = os.path.dirname(os.path.abspath(self.private_key_path))
        if not os.path.isdir(directory):
            raise InvalidInputError("private_key_path", "%r: the directory %s does not exist" % (self.private_key_path, directory))
        if len(self.regions) != 1:
            raise InvalidInputError("regions", "state=present launches one builder in one region; give region, not %d regions" % len(self.regions))
        self.region = self.regions[0]

    @property
    def name(self):
        return resource_name(self.build_id)

    def resource_tags(self):
        tags = dict(self.tags)
        tags[BUILD_ID_TAG] = self.build_id
        tags.setdefault("Name", self.name)
        return tags
