# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The validated input of the ``builder`` module: the temporary resources of one bake, named by its build id."""

from __future__ import annotations

import ipaddress
import os
import re

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import BUILD_ID_TAG
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.module_request import ModuleRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import validate_tags
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import validate_resource_id

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


class BuilderRequest(ModuleRequest):
    """One build's resources: what to launch (state present), stop, or sweep (state absent)."""

    def validate(self):
        params = self.params
        self.state = params["state"]
        self.build_id = params["build_id"]
        if self.build_id is not None or self.state != "absent":
            if self.build_id is None:
                raise InvalidInputError("build_id", "is required with state=%s" % self.state)
            validate_build_id("build_id", self.build_id)
        self.regions = self.regions_option(required=False)
        self.include_images = params["include_images"]
        self.private_key_path = params["private_key_path"]
        self.tags = validate_tags("tags", params["tags"]) or {}
        self.wait = params["wait"]
        self.wait_timeout = self.wait_timeout_option()
        if self.state == "present":
            self._validate_present(params)
        elif self.state == "stopped":
            if len(self.regions) != 1:
                raise InvalidInputError("regions", "state=stopped works in one region; give region")
            self.region = self.regions[0]

    def _validate_present(self, params):
        self.image_id = validate_resource_id("image_id", params.get("image_id"), "image")
        self.instance_type = params["instance_type"]
        self.volume_size = params.get("volume_size")
        if self.volume_size is not None and not 1 <= self.volume_size <= 16384:
            raise InvalidInputError("volume_size", "%r must be 1 to 16384 GiB" % (self.volume_size,))
        self.volume_type = params["volume_type"]
        self.kms_key_id = params.get("kms_key_id")
        self.subnet_id = params.get("subnet_id")
        if self.subnet_id:
            validate_resource_id("subnet_id", self.subnet_id, "subnet")
        self.associate_public_ip_address = params.get("associate_public_ip_address")
        self.key_type = params["key_type"]
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
