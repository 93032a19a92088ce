# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``bake_preflight`` module's options: what one bake of one layer would do, checked for shape before any AWS call.

Malformed input (an unknown region, an account id of 11 digits) is refused here, every such option at once, before any
call. Whether AWS would accept the bake (the name after templating, the tag count, keys, regions, permissions) is the
preflight's own finding, reported with everything else it finds.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.copy_destinations import copy_destination
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.module_request import ModuleRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import (
    each_indexed,
    validate_account_id,
    validate_organization_arn,
    validate_organizational_unit_arn,
    validate_resource_id,
)

_BUILDER_KEYS = frozenset(("instance_type", "subnet_id", "iam_instance_profile", "key_pair", "security_group"))


class PreflightInputError(InvalidInputError):
    """Every malformed option, the first one leading the message (so it still starts with that option's name)."""

    def __init__(self, errors):
        self.errors = errors
        first = errors[0]
        super().__init__(first.option, first.problem)
        if len(errors) > 1:
            self.args = ("%s; and: %s" % (first, "; ".join(str(error) for error in errors[1:])),)

    def __str__(self):
        return self.args[0]

    def result_fields(self):
        return {"invalid_option": self.option, "problems": [str(error) for error in self.errors]}


class CopyTarget:
    """A region the image is copied to, with the key its copy is encrypted with (None: the region's default EBS key)."""

    def __init__(self, option, region, kms_key_id=None, name=None, description=None):
        self.option = option
        self.region = region
        self.kms_key_id = kms_key_id
        self.name = name
        self.description = description


class BuilderSettings:
    """The builder the bake launches: None when this bake launches none of its own (an Automation patch)."""

    def __init__(self, spec):
        self.instance_type = spec.get("instance_type") or "t3.micro"
        self.subnet_id = spec.get("subnet_id") or None
        self.iam_instance_profile = spec.get("iam_instance_profile") or None
        self.makes_key_pair = spec.get("key_pair", True) is not False
        self.makes_security_group = spec.get("security_group", True) is not False


class PreflightRequest(ModuleRequest):
    def __init__(self, params):
        super().__init__(params)
        self.image_name = params.get("image_name")
        self.image_description = params.get("image_description")
        self.image_tags = params.get("image_tags") or {}
        self.deprecate_at = params.get("deprecate_at")
        self.kms_key_id = params.get("kms_key_id") or None
        self.source_image_id = params.get("source_image_id") or None
        self.copies = []
        self.accounts = []
        self.organization_arns = []
        self.organizational_unit_arns = []
        self.builder = None
        self.home_region = None
        self._errors = []

    @property
    def is_shared(self):
        return bool(self.accounts or self.organization_arns or self.organizational_unit_arns)

    @property
    def share_targets(self):
        return self.accounts + self.organization_arns + self.organizational_unit_arns

    @property
    def copy_regions(self):
        return [copy.region for copy in self.copies]

    @property
    def regions(self):
        """The home region, then every copy region."""
        return [self.home_region] + [region for region in self.copy_regions if region != self.home_region]

    def validate(self):
        params = self.params
        self.home_region = self._checked(self.region_option)
        for option, entry in each_indexed("copy_regions", params.get("copy_regions")):
            copy = self._checked(lambda option=option, entry=entry: self._copy_target(option, entry))
            if copy is not None and copy.region != self.home_region and copy.region not in self.copy_regions:
                self.copies.append(copy)
        self.accounts = self._each("share_accounts", validate_account_id)
        self.organization_arns = self._each("share_organization_arns", validate_organization_arn)
        self.organizational_unit_arns = self._each("share_organizational_unit_arns", validate_organizational_unit_arn)
        if self.source_image_id:
            self._checked(lambda: validate_resource_id("source_image_id", self.source_image_id, "image"))
        if not isinstance(self.image_tags, dict):
            self._errors.append(InvalidInputError("image_tags", "must be a dict of tag names to values"))
        builder = params.get("builder")
        if builder is not None:
            unknown = sorted(set(builder) - _BUILDER_KEYS)
            if unknown:
                self._errors.append(InvalidInputError("builder", "has unknown key(s) %s; known: %s" % (", ".join(unknown), ", ".join(sorted(_BUILDER_KEYS)))))
            self.builder = BuilderSettings(builder)
            if self.builder.subnet_id:
                self._checked(lambda: validate_resource_id("builder.subnet_id", self.builder.subnet_id, "subnet"))
        if self._errors:
            raise PreflightInputError(self._errors)

    def _checked(self, check):
        try:
            return check()
        except InvalidInputError as error:
            self._errors.append(error)
            return None

    def _each(self, option, validate):
        values = []
        for indexed, value in each_indexed(option, self.params.get(option)):
            checked = self._checked(lambda indexed=indexed, value=value: validate(indexed, value))
            if checked is not None:
                values.append(checked)
        return values

    def _copy_target(self, option, entry):
        entry = copy_destination(option, entry)
        return CopyTarget(option, entry["region"], entry["kms_key_id"] or self.kms_key_id, entry["name"], entry["description"])
