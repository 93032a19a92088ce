# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``image_parameter`` module's options, checked before any AWS call."""

from __future__ import annotations

import re

from ansible_collections.bakery.ami.plugins.module_utils._ami.region_image_ids import image_ids_by_region
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.module_request import ModuleRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import validate_tags
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import validate_region

IMAGE_DATA_TYPE = "aws:ec2:image"
TEXT_DATA_TYPE = "text"
# https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
# (requirements and constraints for parameter names)
PARAMETER_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.\-/]+$")
MAX_PARAMETER_NAME_LENGTH = 1011
MAX_HIERARCHY_LEVELS = 15
MAX_DESCRIPTION_LENGTH = 1024
RESERVED_PREFIXES = ("aws", "ssm")


class ImageParameterRequest(ModuleRequest):
    """One parameter name, and per region the image id it must hold (or that it must be gone)."""

    def __init__(self, params):
        super().__init__(params)
        self.name = params["name"]
        self.state = params["state"]
        self.data_type = params["data_type"]
        self.description = params["description"]
        self.tags = params["tags"]
        self.purge_tags = params["purge_tags"]
        self.wait = params["wait"]
        # {region: image id}; for state absent, {region: None}
        self.image_ids = {}

    @property
    def regions(self):
        return sorted(self.image_ids)

    def validate(self):
        params = self.params
        self.name = validate_parameter_name("name", self.name)
        if self.description is not None and len(self.description) > MAX_DESCRIPTION_LENGTH:
            raise InvalidInputError("description", "is %d characters long; AWS allows at most %d" % (len(self.description), MAX_DESCRIPTION_LENGTH))
        self.tags = validate_tags("tags", self.tags)
        self.max_concurrency = self.max_concurrency_option()
        self.wait_timeout = self.wait_timeout_option()
        if self.state == "present":
            self.image_ids = image_ids_by_region(params.get("image_ids"), params.get("region"))
            if params.get("regions"):
                raise InvalidInputError("regions", "is for state: absent; with state: present, image_ids names the regions")
        else:
            self.image_ids = self._regions_to_clear()

    def _regions_to_clear(self):
        regions = self.regions_option(required=False) if self.params.get("regions") else []
        if isinstance(self.params.get("image_ids"), dict):
            regions.extend(validate_region("image_ids key", region) for region in self.params["image_ids"])
        if not regions and self.params.get("region"):
            # The connection region (often from AWS_REGION) only when nothing else names one.
            regions.append(validate_region("region", self.params["region"]))
        if not regions:
            raise InvalidInputError("regions", "names no region to delete the parameter from (give regions, image_ids or region)")
        return dict((region_name, None) for region_name in regions)


def validate_parameter_name(option, name):
    if not isinstance(name, str) or not name:
        raise InvalidInputError(option, "is required: the parameter's name, such as /bakery/web-server-003/latest")
    if len(name) > MAX_PARAMETER_NAME_LENGTH:
        raise InvalidInputError(option, "is %d characters long; Parameter Store allows at most %d" % (len(name), MAX_PARAMETER_NAME_LENGTH))
    if not PARAMETER_NAME_PATTERN.match(name):
        raise InvalidInputError(option, "%r has characters Parameter Store refuses: use letters, digits and . - _ /" % name)
    if name.lower().lstrip("/").startswith(RESERVED_PREFIXES):
        raise InvalidInputError(option, "%r starts with aws or ssm, prefixes reserved by Parameter Store" % name)
    if "/" in name and not name.startswith("/"):
        raise InvalidInputError(option, "%r is a path, and a path must start with / (e.g. /%s)" % (name, name))
    if "//" in name or (name.endswith("/") and name != "/"):
        raise InvalidInputError(option, "%r has an empty path level" % name)
    if name.count("/") > MAX_HIERARCHY_LEVELS:
        raise InvalidInputError(option, "%r has %d levels; Parameter Store allows at most %d" % (name, name.count("/"), MAX_HIERARCHY_LEVELS))
    return name
