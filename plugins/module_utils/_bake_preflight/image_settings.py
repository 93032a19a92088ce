# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What AWS would refuse about the image itself, known without a call: its name after templating, its description,
its tags once the lineage tags are in, its deprecation time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ansible_collections.bakery.ami.plugins.module_utils._ami.deprecation import DeprecationSchedule
from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import SOURCE_IMAGE_TAG
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import (
    MAX_TAG_KEY_LENGTH,
    MAX_TAG_VALUE_LENGTH,
    MAX_TAGS_PER_RESOURCE,
    RESERVED_TAG_PREFIX,
)
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import validate_image_description, validate_image_name

# "The upper limit for DeprecateAt is 10 years from now" (API_EnableImageDeprecation.html); ten years are never
# shorter than 3652 days.
MAX_DEPRECATION_AHEAD = timedelta(days=3652)


def check_image_settings(request, findings, now=None):
    now = now or datetime.now(timezone.utc)
    _check_name("image_name", request.image_name, findings)
    for copy in request.copies:
        if copy.name is not None:
            _check_name("%s.name" % copy.option, copy.name, findings)
        if copy.description is not None:
            _check(lambda copy=copy: validate_image_description("%s.description" % copy.option, copy.description), findings)
    _check(lambda: validate_image_description("image_description", request.image_description), findings)
    _check_tags(request, findings)
    _check_deprecation(request.deprecate_at, now, findings)


def _check(validation, findings):
    try:
        validation()
    except InvalidInputError as error:
        findings.problem(str(error))


def _check_name(option, name, findings):
    if name is None:
        findings.problem("%s is not set: the preflight checks the AMI name the bake would give" % option)
        return
    _check(lambda: validate_image_name(option, name), findings)


def _check_tags(request, findings):
    tags = request.image_tags
    # A copy carries the image's tags (CopyImageTags) and bakery:source-image.
    copy_extra = 0 if not request.copies or SOURCE_IMAGE_TAG in tags else 1
    limit = MAX_TAGS_PER_RESOURCE - copy_extra
    if len(tags) > limit:
        findings.problem(
            "image_tags: the image would carry %d tags (the lineage tags and the extra image tags)%s; AWS allows %d per "
            "resource: drop %d of the extra tags"
            % (len(tags), ", its copies one more (%s)" % SOURCE_IMAGE_TAG if copy_extra else "", MAX_TAGS_PER_RESOURCE, len(tags) - limit)
        )
    for key, value in sorted(tags.items()):
        key = str(key)
        if not key or len(key) > MAX_TAG_KEY_LENGTH:
            findings.problem("image_tags: key %r is %d characters; AWS allows 1 to %d" % (key, len(key), MAX_TAG_KEY_LENGTH))
        if key.lower().startswith(RESERVED_TAG_PREFIX):
            findings.problem("image_tags: key %r uses the prefix %r, which AWS reserves for itself" % (key, RESERVED_TAG_PREFIX))
        value = "" if value is None else str(value)
        if len(value) > MAX_TAG_VALUE_LENGTH:
            findings.problem("image_tags: the value of %r is %d characters; AWS allows at most %d" % (key, len(value), MAX_TAG_VALUE_LENGTH))


def _check_deprecation(value, now, findings):
    try:
        schedule = DeprecationSchedule.parse("deprecate_at", value)
    except InvalidInputError as error:
        findings.problem(str(error))
        return
    if schedule is None or schedule.never:
        return
    # A relative age counts from the image's creation, which is later than now: checking from now is the strict side
    # for the lower bound; the upper bound moves with creation, so the age itself must stay within it.
    moment = schedule.time_for(now)
    if schedule.age is not None and schedule.age <= timedelta(0):
        findings.problem("deprecate_at %r would deprecate the image when it is made; give a positive age" % value)
    elif schedule.at is not None and moment <= now:
        findings.problem("deprecate_at %r is in the past; AWS refuses a deprecation time that is not in the future" % value)
    if (schedule.age is not None and schedule.age > MAX_DEPRECATION_AHEAD) or (schedule.at is not None and moment > now + MAX_DEPRECATION_AHEAD):
        findings.problem("deprecate_at %r is more than 10 years ahead; AWS allows at most 10 years" % value)
