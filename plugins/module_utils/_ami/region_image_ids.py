# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One image per region, the way ``image_copy`` returns them (``image_ids``) and the modules after it take them."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import validate_region, validate_resource_id


def image_ids_by_region(image_ids, region):
    """``{region: image_id}`` from option ``image_ids``: that dict, or a single id in the module's ``region``."""
    if isinstance(image_ids, str):
        if not region:
            raise InvalidInputError("region", "is needed with a single image id in image_ids (or give image_ids as {region: image_id})")
        image_ids = {region: image_ids}
    if not isinstance(image_ids, dict) or not image_ids:
        raise InvalidInputError("image_ids", "must be an image id (with region) or a non-empty dict of region to image id, like image_copy's image_ids")
    checked = {}
    for region_name, image_id in image_ids.items():
        validate_region("image_ids key", region_name)
        checked[region_name] = validate_resource_id("image_ids[%s]" % region_name, image_id, "image")
    return checked
