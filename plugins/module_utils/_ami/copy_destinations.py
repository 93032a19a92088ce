# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One destination of an image copy as users write it: a region name, or a dict with region, kms_key_id, name and
description. Shared by ``image_copy`` (which copies) and ``bake_preflight`` (which checks the same list first)."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import validate_region

DESTINATION_KEYS = frozenset(("region", "kms_key_id", "name", "description"))


def copy_destination(option, entry):
    """``entry`` as a dict with every key of DESTINATION_KEYS (absent ones None), its region validated."""
    if isinstance(entry, str):
        entry = {"region": entry}
    if not isinstance(entry, dict):
        raise InvalidInputError(option, "must be a region name or a dict with region, kms_key_id, name, description")
    unknown = sorted(set(entry) - DESTINATION_KEYS)
    if unknown:
        raise InvalidInputError(option, "has unknown key(s) %s; known: %s" % (", ".join(unknown), ", ".join(sorted(DESTINATION_KEYS))))
    destination = dict((key, entry.get(key)) for key in DESTINATION_KEYS)
    destination["region"] = validate_region("%s.region" % option, entry.get("region"))
    return destination


def kms_key_region(kms_key_id):
    """The region of a KMS key or alias ARN (``arn:<partition>:kms:<region>:...``); None for ids and alias names."""
    parts = (kms_key_id or "").split(":")
    if len(parts) >= 6 and parts[0] == "arn" and parts[2] == "kms":
        return parts[3]
    return None
