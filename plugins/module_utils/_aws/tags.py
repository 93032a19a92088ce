# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tags as dicts for users, as ``[{Key, Value}]`` lists for AWS, and the difference between two tag sets."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError

# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions
MAX_TAGS_PER_RESOURCE = 50
MAX_TAG_KEY_LENGTH = 128
MAX_TAG_VALUE_LENGTH = 256
# Tags under the aws: prefix belong to AWS: users cannot set or delete them, so purge ignores them.
RESERVED_TAG_PREFIX = "aws:"


def tag_list_to_dict(tag_list):
    return dict((tag["Key"], tag.get("Value", "")) for tag in tag_list or [])


def tag_dict_to_list(tags):
    return [{"Key": key, "Value": value} for key, value in sorted((tags or {}).items())]


def tag_specifications(resource_types, tags):
    """``TagSpecifications`` for creating resources of the given types with ``tags`` (empty when none)."""
    if not tags:
        return []
    return [{"ResourceType": resource_type, "Tags": tag_dict_to_list(tags)} for resource_type in resource_types]


class TagChanges:
    """What to set and what to remove to go from one tag set to another."""

    def __init__(self, to_set, to_remove):
        self.to_set = to_set
        self.to_remove = to_remove

    @property
    def is_empty(self):
        return not self.to_set and not self.to_remove

    def applied_to(self, current):
        result = dict(current)
        for key in self.to_remove:
            result.pop(key, None)
        result.update(self.to_set)
        return result


def compute_tag_changes(current, desired, purge):
    """Tags to set and to remove. ``desired`` None means tags are not managed: no change."""
    current = current or {}
    if desired is None:
        return TagChanges({}, [])
    to_set = dict((key, value) for key, value in desired.items() if current.get(key) != value)
    to_remove = []
    if purge:
        to_remove = sorted(
            key for key in current if key not in desired and not key.startswith(RESERVED_TAG_PREFIX)
        )
    return TagChanges(to_set, to_remove)


def validate_tags(option, tags):
    """Tags as AWS accepts them, values as strings. Raises naming the offending key."""
    if tags is None:
        return None
    if not isinstance(tags, dict):
        raise InvalidInputError(option, "must be a dict of tag names to values, got %s" % type(tags).__name__)
    if len(tags) > MAX_TAGS_PER_RESOURCE:
        raise InvalidInputError(option, "has %d tags; AWS allows at most %d per resource" % (len(tags), MAX_TAGS_PER_RESOURCE))
    normalized = {}
    for key, value in tags.items():
        key = str(key)
        if not key or len(key) > MAX_TAG_KEY_LENGTH:
            raise InvalidInputError(option, "key %r must be 1 to %d characters" % (key, MAX_TAG_KEY_LENGTH))
        if key.lower().startswith(RESERVED_TAG_PREFIX):
            raise InvalidInputError(option, "key %r uses the reserved prefix 'aws:'" % key)
        value = "" if value is None else str(value)
        if len(value) > MAX_TAG_VALUE_LENGTH:
            raise InvalidInputError(option, "value of %r is longer than %d characters" % (key, MAX_TAG_VALUE_LENGTH))
        normalized[key] = value
    return normalized
