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
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import each_indexed, validate_resource_id
from ansible_collections.bakery.ami.plugins.module_utils._builder.resource_names import bucket_name, iam_name, resource_name

# Key pair and security group names are built from the build id: both allow 255 characters, and
# security group names may not start with "sg-".
BUILD_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
SSH = "ssh"
SSM = "ssm"
CONNECTIONS = (SSH, SSM)
# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html: "user data is limited to 16 KB, in raw form,
# before it is base64-encoded".
MAX_USER_DATA_BYTES = 16384
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
BUCKET_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
INSTANCE_PROFILE_PATTERN = re.compile(r"^(?:[\w+=,.@-]{1,128}|arn:aws[a-z-]*:iam::\d{12}:instance-profile/[\w+=,.@/-]{1,512})$")


def validate_build_id(option, build_id):
    if not isinstance(build_id, str) or not BUILD_ID_PATTERN.match(build_id):
        raise InvalidInputError(
            option, "%r is not a build id: 1 to 100 characters from letters, digits, '.', '_' and '-', starting with a letter or digit" % (build_id,)
        )
    return build_id


def validate_cidrs(option, cidrs):
    validated = []
    for indexed, cidr in each_indexed(option, cidrs):
        try:
            validated.append(str(ipaddress.ip_network(cidr, strict=False)))
        except ValueError:
            raise InvalidInputError(indexed, "%r is not a CIDR like 203.0.113.7/32 or 10.0.0.0/16" % (cidr,))
    return validated


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
        self.connection = params.get("connection")
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

    @property
    def sweeps_ssm_resources(self):
        """With state=absent: whether to look for instance profiles and transfer buckets (omitted connection: yes)."""
        return self.connection != SSH

    def _validate_present(self, params):
        self.connection = self.connection or SSH
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
        self.security_group_ids = [validate_resource_id(indexed, group_id, "security_group")
                                   for indexed, group_id in each_indexed("security_group_ids", params.get("security_group_ids"))]
        self.associate_public_ip_address = params.get("associate_public_ip_address")
        if self.associate_public_ip_address is None and self.connection == SSM:
            # Session Manager needs no address of the builder: never one from the subnet's default.
            self.associate_public_ip_address = False
        self.iam_instance_profile = params.get("iam_instance_profile")
        if self.iam_instance_profile and not INSTANCE_PROFILE_PATTERN.match(self.iam_instance_profile):
            raise InvalidInputError("iam_instance_profile", "%r is not an instance profile name or ARN" % (self.iam_instance_profile,))
        self.user_data = params.get("user_data")
        user_data_bytes = len(self.user_data.encode("utf-8")) if self.user_data is not None else 0
        if user_data_bytes > MAX_USER_DATA_BYTES:
            raise InvalidInputError("user_data", "is %d bytes; EC2 takes at most %d (before base64)" % (user_data_bytes, MAX_USER_DATA_BYTES))
        self.transfer_bucket = params.get("transfer_bucket")
        self.key_type = params["key_type"]
        if self.connection == SSH:
            self._validate_ssh(params)
        else:
            self._validate_ssm(params)
        if len(self.regions) != 1:
            raise InvalidInputError("regions", "state=present launches one builder in one region; give region, not %d regions" % len(self.regions))
        self.region = self.regions[0]

    def _validate_ssh(self, params):
        if self.transfer_bucket:
            raise InvalidInputError("transfer_bucket", "is for connection=ssm (the Session Manager connection moves files through S3)")
        cidrs = params.get("ssh_cidrs")
        if cidrs is not None and not cidrs:
            raise InvalidInputError("ssh_cidrs", "must list at least one CIDR allowed to reach the builder on port 22, e.g. 203.0.113.7/32; "
                                                 "omit it to allow the builder's VPC")
        if cidrs and self.security_group_ids:
            raise InvalidInputError("ssh_cidrs", "cannot be given with security_group_ids: the given groups are used as they are, and no group of "
                                                 "this build is made for the CIDRs")
        # None: the CIDR blocks of the builder's VPC (read in the plan).
        self.ssh_cidrs = validate_cidrs("ssh_cidrs", cidrs) if cidrs else None
        if not self.private_key_path:
            raise InvalidInputError("private_key_path", "is required with connection=ssh: the build's private key is written there (mode 0600)")
        directory = os.path.dirname(os.path.abspath(self.private_key_path))
        if not os.path.isdir(directory):
            raise InvalidInputError("private_key_path", "%r: the directory %s does not exist" % (self.private_key_path, directory))

    def _validate_ssm(self, params):
        if params.get("ssh_cidrs"):
            raise InvalidInputError("ssh_cidrs", "has no meaning with connection=ssm: the builder's security group allows no inbound traffic")
        if self.private_key_path:
            raise InvalidInputError("private_key_path", "has no meaning with connection=ssm: no key pair is made")
        if self.transfer_bucket and not BUCKET_NAME_PATTERN.match(self.transfer_bucket):
            raise InvalidInputError("transfer_bucket", "%r is not an S3 bucket name (3-63 lowercase letters, digits, '.' and '-')" % (self.transfer_bucket,))
        self.ssh_cidrs = None

    @property
    def name(self):
        return resource_name(self.build_id)

    @property
    def iam_name(self):
        return iam_name(self.build_id)

    @property
    def bucket_name(self):
        return bucket_name(self.build_id)

    @property
    def makes_instance_profile(self):
        return self.connection == SSM and not self.iam_instance_profile

    @property
    def makes_transfer_bucket(self):
        return self.connection == SSM and not self.transfer_bucket

    @property
    def makes_security_group(self):
        return not self.security_group_ids

    def resource_tags(self):
        tags = dict(self.tags)
        tags[BUILD_ID_TAG] = self.build_id
        tags.setdefault("Name", self.name)
        return tags
