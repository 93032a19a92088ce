# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``image_prune`` module's options, checked before any AWS call so a bad input changes nothing."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.module_request import ModuleRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import validate_tags

PRUNE_ACTIONS = ("deprecate", "disable", "deregister")
# The actions after which the image can no longer be launched, by anyone: only these are held back for images that
# are shared or were launched recently. A deprecated image still launches by id ("existing users and launch services,
# such as launch templates and Auto Scaling groups, can continue to use a deprecated AMI by specifying its ID",
# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ami-deprecate.html).
LAUNCH_ENDING_ACTIONS = ("disable", "deregister")


class PruneRequest(ModuleRequest):
    """Which image family to prune, where, and how. Built only through ``from_params``."""

    def __init__(self, params):
        super().__init__(params)
        self.name = params.get("name")
        self.tags = params.get("tags")
        self.keep = params.get("keep")
        self.older_than_days = params.get("older_than_days")
        self.action = params["action"]
        self.delete_snapshots = params["delete_snapshots"]
        self.exclude_in_use = params["exclude_in_use"]
        self.include_shared = params["include_shared"]
        self.launched_within_days = params["launched_within_days"]

    def validate(self):
        if not self.name and not self.tags:
            raise InvalidInputError(
                "name", "or tags is required: give the image family as a name prefix (name: web-server-000-) or tags ({bakery:layer: web-server-000})"
            )
        if self.name is not None and (not isinstance(self.name, str) or not self.name.strip()):
            raise InvalidInputError("name", "must be a non-empty name prefix, got %r" % (self.name,))
        self.tags = validate_tags("tags", self.tags)
        self.regions = self.regions_option()
        if self.keep is None or isinstance(self.keep, bool) or not isinstance(self.keep, int) or self.keep < 0:
            raise InvalidInputError("keep", "must be a whole number of images to keep, 0 or more, got %r" % (self.keep,))
        if self.older_than_days is None or isinstance(self.older_than_days, bool) or self.older_than_days < 0:
            raise InvalidInputError("older_than_days", "must be a number of days, 0 or more, got %r" % (self.older_than_days,))
        if self.launched_within_days is None or isinstance(self.launched_within_days, bool) or self.launched_within_days < 0:
            raise InvalidInputError(
                "launched_within_days", "must be a number of days, 0 (no protection) or more, got %r" % (self.launched_within_days,)
            )
        if self.action not in PRUNE_ACTIONS:
            raise InvalidInputError("action", "must be one of %s, got %r" % (", ".join(PRUNE_ACTIONS), self.action))
        self.max_concurrency = self.max_concurrency_option()

    @property
    def ends_launches(self):
        """Whether the action stops every launch of the image (then shared and recently launched images are kept)."""
        return self.action in LAUNCH_ENDING_ACTIONS

    def family_filters(self):
        """DescribeImages filters selecting the family (state filtering is the pruner's)."""
        filters = {}
        if self.name:
            filters["name"] = self.name if self.name.endswith("*") else self.name + "*"
        for key, value in (self.tags or {}).items():
            filters["tag:%s" % key] = value
        return filters

    def describe_family(self):
        parts = []
        if self.name:
            parts.append("name %s*" % self.name.rstrip("*"))
        if self.tags:
            parts.append("tags %s" % ", ".join("%s=%s" % item for item in sorted(self.tags.items())))
        return " and ".join(parts)
