# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The names of a build's temporary resources, all derived from its build id.

Derived, not random: a re-run after a lost response (or a crash) finds the resource it already made by its name and
adopts it when it also carries the build's ``bakery:build-id`` tag. Each service has its own naming rules, so each
name is cut to fit them.
"""

from __future__ import annotations

import hashlib
import re

RESOURCE_NAME_PREFIX = "bakery-build-"
# IAM roles and instance profiles of builds live under this path: a sweep lists them by it.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-friendly-names
IAM_PATH = "/bakery-build/"
IAM_NAME_MAX_LENGTH = 64
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html: 3-63 characters, lowercase letters,
# digits, hyphens and dots, beginning and ending with a letter or digit.
BUCKET_NAME_MAX_LENGTH = 63
_HASH_LENGTH = 8


def _short_hash(build_id):
    return hashlib.sha256(build_id.encode()).hexdigest()[:_HASH_LENGTH]


def resource_name(build_id):
    """The name of the key pair and the security group of a build (both allow 255 characters)."""
    return RESOURCE_NAME_PREFIX + build_id


def iam_name(build_id):
    """The name of the builder's IAM role and instance profile: 64 characters at most ([\\w+=,.@-])."""
    name = RESOURCE_NAME_PREFIX + build_id
    if len(name) <= IAM_NAME_MAX_LENGTH:
        return name
    # Cut and made unique again by a hash of the whole build id.
    return name[: IAM_NAME_MAX_LENGTH - _HASH_LENGTH - 1] + "-" + _short_hash(build_id)


def bucket_name(build_id):
    """The name of the S3 bucket the build's Session Manager connection moves files through. Bucket names are global
    and lowercase: the build id is lowercased, other characters become hyphens, and a hash of the exact build id keeps
    two builds that differ only in case apart."""
    readable = re.sub(r"[^a-z0-9-]+", "-", build_id.lower()).strip("-")
    room = BUCKET_NAME_MAX_LENGTH - len(RESOURCE_NAME_PREFIX) - _HASH_LENGTH - 1
    readable = re.sub(r"-+", "-", readable[:room]).strip("-")
    return "%s%s-%s" % (RESOURCE_NAME_PREFIX, readable, _short_hash(build_id)) if readable else RESOURCE_NAME_PREFIX + _short_hash(build_id)
