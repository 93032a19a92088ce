# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``marketplace_info`` module's options, checked before any AWS call."""

from __future__ import annotations

import re

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.filters import filter_list
from ansible_collections.bakery.ami.plugins.module_utils._aws.module_request import ModuleRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import each_indexed

# AWS Marketplace product codes are 25 lowercase letters and digits (e.g. aw0evgkw8e5c1q413zgy5pjce).
PRODUCT_CODE_PATTERN = re.compile(r"^[a-z0-9]{25}$")
ARCHITECTURES = ("i386", "x86_64", "arm64")
MARKETPLACE_OWNER = "aws-marketplace"


class MarketplaceQuery(ModuleRequest):
    """Which Marketplace products, where, and whether to check the subscription."""

    def validate(self):
        params = self.params
        self.regions = self.regions_option()
        for indexed, code in each_indexed("product_codes", params["product_codes"]):
            if not isinstance(code, str) or not PRODUCT_CODE_PATTERN.match(code):
                raise InvalidInputError(
                    indexed, "%r is not an AWS Marketplace product code (25 lowercase letters and digits)" % (code,)
                )
        if not params["product_codes"] and not params["name"]:
            raise InvalidInputError("product_codes", "or name is required to choose the products")
        if params["architecture"] is not None and params["architecture"] not in ARCHITECTURES:
            raise InvalidInputError("architecture", "%r is not one of %s" % (params["architecture"], ", ".join(ARCHITECTURES)))
        self.product_codes = list(dict.fromkeys(params["product_codes"]))
        self.name = params["name"]
        self.architecture = params["architecture"]
        self.check_subscription = params["check_subscription"]
        self.instance_type = params["instance_type"]

    def describe_images_params(self):
        filters = {
            "product-code": self.product_codes or None,
            "name": self.name,
            "architecture": self.architecture,
            "state": "available",
        }
        return {"Owners": [MARKETPLACE_OWNER], "Filters": filter_list(filters)}


def product_codes_of(image):
    return [code["ProductCodeId"] for code in image.get("ProductCodes", []) if code.get("ProductCodeId")]
