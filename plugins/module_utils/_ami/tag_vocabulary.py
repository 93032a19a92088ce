# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every ``bakery:*`` tag the collection writes or reads, in one place.

The table in docs/docsite/rst/guide_architecture.rst ("Tag vocabulary") is checked against ``VOCABULARY`` by
tests/docs/test_tag_vocabulary.py, and so is every ``bakery:*`` string anywhere in the project, so a new tag is
added here first. The bake role writes the lineage tags in one task file (roles/bake/tasks/lineage_tags.yml).
"""

from __future__ import annotations

LAYER_TAG = "bakery:layer"
PARENT_IMAGE_TAG = "bakery:parent-image"
BASE_IMAGE_TAG = "bakery:base-image"
RECIPE_HASH_TAG = "bakery:recipe-hash"
BUILD_ID_TAG = "bakery:build-id"
ROLES_TAG = "bakery:roles"
SSH_USER_TAG = "bakery:ssh-user"
UPDATE_FEED_TAG = "bakery:update-feed"
PATCH_METHOD_TAG = "bakery:patch-method"
PATCHED_AT_TAG = "bakery:patched-at"
PATCH_OF_TAG = "bakery:patch-of"
SOURCE_IMAGE_TAG = "bakery:source-image"
GROUP_TAG = "bakery:group"
MIGRATED_FROM_TAG = "bakery:migrated-from"
SSM_AUTOMATION_TAG_PREFIX = "bakery:ssm-automation:"

# tag -> (what carries it, what its value is)
VOCABULARY = {
    LAYER_TAG: ("image", "the layer's name (web-server-000); selects a layer's images"),
    PARENT_IMAGE_TAG: ("image", "<region>/<image id> of the image this layer was built on"),
    BASE_IMAGE_TAG: ("image", "<region>/<image id> of the chain's base image (the distribution's image)"),
    RECIPE_HASH_TAG: ("image", "hash of everything that makes the image (parent, roles, variables); equal hash = cache hit"),
    BUILD_ID_TAG: ("image, builder instance, key pair, security group, instance profile, IAM role, transfer bucket",
                   "the bake's build id; sweeps find a build's leftovers by it"),
    ROLES_TAG: ("image", "comma-separated roles applied, in order, up the chain"),
    SSH_USER_TAG: ("image", "the login user of the base distribution (admin, ec2-user)"),
    UPDATE_FEED_TAG: ("image", "fingerprint of the package feeds the image has seen; patch.yml compares it"),
    PATCH_METHOD_TAG: ("image", "how an Automation patch was made (ssm_automation:<document>)"),
    PATCHED_AT_TAG: ("image", "UTC time a patch made this image"),
    PATCH_OF_TAG: ("image", "<region>/<image id> of the original build a patched image descends from"),
    SOURCE_IMAGE_TAG: ("image copy", "<source region>/<source image id> a copy was made from; how a re-run finds it"),
    GROUP_TAG: ("launch template", "the Auto Scaling group a migrated launch template belongs to"),
    MIGRATED_FROM_TAG: ("launch template", "the launch configuration a group was migrated from"),
    SSM_AUTOMATION_TAG_PREFIX + "<request id>": ("Automation execution", "marks the execution a request started (key only)"),
}
