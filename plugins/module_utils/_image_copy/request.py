# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``image_copy`` module's options, checked and resolved per destination region before any AWS call."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.copy_destinations import copy_destination, kms_key_region
from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import SOURCE_IMAGE_TAG
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.module_request import ModuleRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import validate_tags
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import (
    each_indexed,
    validate_image_description,
    validate_image_name,
    validate_region,
    validate_resource_id,
)


def source_image_reference(source_region, source_image_id):
    return "%s/%s" % (source_region, source_image_id)


class CopyTarget:
    """One destination region and what its copy should look like. ``name`` None means the source's name."""

    def __init__(self, region, name=None, description=None, kms_key_id=None, encrypted=True):
        self.region = region
        self.name = name
        self.description = description
        self.kms_key_id = kms_key_id
        self.encrypted = encrypted

    def __repr__(self):
        return "CopyTarget(%r, name=%r, kms_key_id=%r, encrypted=%r)" % (self.region, self.name, self.kms_key_id, self.encrypted)


class CopyRequest(ModuleRequest):
    """What the user asked: one source image, N destination regions. Built only through ``from_params``."""

    def __init__(self, params):
        super().__init__(params)
        self.source_image_id = params["source_image_id"]
        self.source_region = params["source_region"] or params.get("region")
        self.name = params["name"]
        self.description = params["description"]
        self.encrypted = params["encrypted"]
        self.kms_key_id = params["kms_key_id"]
        self.copy_tags = params["copy_tags"]
        self.tags = params["tags"]
        self.wait = params["wait"]
        self.targets = []

    @property
    def source_reference(self):
        return source_image_reference(self.source_region, self.source_image_id)

    @property
    def regions(self):
        return [target.region for target in self.targets]

    def target(self, region):
        return next(target for target in self.targets if target.region == region)

    def validate(self):
        validate_resource_id("source_image_id", self.source_image_id, "image")
        if not self.source_region:
            raise InvalidInputError("source_region", "is not set: give source_region (or region, or set AWS_REGION)")
        validate_region("source_region", self.source_region)
        if self.name is not None:
            validate_image_name("name", self.name)
        validate_image_description("description", self.description)
        self.tags = validate_tags("tags", self.tags) or {}
        if SOURCE_IMAGE_TAG in self.tags:
            raise InvalidInputError("tags", "must not set %r: image_copy sets it to the source region/image id" % SOURCE_IMAGE_TAG)
        if self.kms_key_id and not self.encrypted:
            raise InvalidInputError("kms_key_id", "needs encrypted: true (AWS refuses a KMS key for an unencrypted copy)")
        self.max_concurrency = self.max_concurrency_option()
        self.wait_timeout = self.wait_timeout_option()
        regions = self.params["regions"]
        if not regions:
            raise InvalidInputError("regions", "must name at least one destination region")
        for option, entry in each_indexed("regions", regions):
            target = self._target_of(option, entry)
            if target.region in self.regions:
                raise InvalidInputError(option, "repeats region %r; give each destination region once" % target.region)
            self.targets.append(target)

    def _target_of(self, option, entry):
        entry = copy_destination(option, entry)
        region = entry["region"]
        name = entry.get("name") or self.name
        if name is not None:
            validate_image_name("%s.name" % option, name)
        description = entry.get("description")
        if description is None:
            description = self.description
        validate_image_description("%s.description" % option, description)
        kms_key_id = entry.get("kms_key_id") or self.kms_key_id
        if kms_key_id and not self.encrypted:
            raise InvalidInputError("%s.kms_key_id" % option, "needs encrypted: true (AWS refuses a KMS key for an unencrypted copy)")
        key_region = kms_key_region(kms_key_id)
        if key_region and key_region != region:
            # KMS keys are regional: CopyImage would fail in that region only, after the other regions were copied.
            raise InvalidInputError(
                "%s.kms_key_id" % option if entry.get("kms_key_id") else "kms_key_id",
                "%r is a key in %s, but %s copies to %s: KMS keys are regional, give that region a kms_key_id of its own"
                % (kms_key_id, key_region, option, region),
            )
        if region == self.source_region and name is None:
            raise InvalidInputError(
                option, "copies into the source region %s: give it a name, since AMI names are unique per region" % region
            )
        return CopyTarget(region, name, description, kms_key_id, self.encrypted)
