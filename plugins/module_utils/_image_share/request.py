# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``image_share`` module's options, checked before any AWS call."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.launch_permissions import PermissionSet
from ansible_collections.bakery.ami.plugins.module_utils._ami.region_image_ids import image_ids_by_region
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.module_request import ModuleRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import (
    each_indexed,
    validate_account_id,
    validate_organization_arn,
    validate_organizational_unit_arn,
)


class ShareRequest(ModuleRequest):
    """Which images (``{region: image_id}``) and which principals. Built only through ``from_params``."""

    def __init__(self, params):
        super().__init__(params)
        self.state = params["state"]
        self.purge = params["purge"]
        self.share_snapshots = params["share_snapshots"]
        self.image_ids = {}
        self.principals = PermissionSet()

    @property
    def regions(self):
        return sorted(self.image_ids)

    def validate(self):
        params = self.params
        self.image_ids = image_ids_by_region(params.get("image_ids"), params.get("region"))
        accounts = [validate_account_id(option, account) for option, account in each_indexed("accounts", params.get("accounts"))]
        organizations = [
            validate_organization_arn(option, arn) for option, arn in each_indexed("organization_arns", params.get("organization_arns"))
        ]
        units = [
            validate_organizational_unit_arn(option, arn)
            for option, arn in each_indexed("organizational_unit_arns", params.get("organizational_unit_arns"))
        ]
        self.principals = PermissionSet(accounts, organizations, units, params.get("public") is True)
        if self.state == "absent" and self.purge:
            raise InvalidInputError("purge", "cannot be combined with state: absent, which removes exactly the given principals")
        self.max_concurrency = self.max_concurrency_option()
        if self.principals.is_empty and not self.purge:
            raise InvalidInputError(
                "accounts", "names no principal: give accounts, organization_arns, organizational_unit_arns or public: true (or purge: true to unshare all)"
            )
