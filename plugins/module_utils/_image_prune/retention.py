# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retention of one image family in one region: keep the newest N and anything younger than D days.

Pure: it sorts and splits DescribeImages entries, it calls nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ansible_collections.bakery.ami.plugins.module_utils._ami.deprecation import parse_aws_time


class Retention:
    """Images to keep (each with why) and images past retention, both newest first."""

    def __init__(self, kept, expired):
        self.kept = kept
        self.expired = expired


def newest_first(images):
    # CreationDate ties (same second) are broken by id so every run orders a family the same way.
    return sorted(images, key=lambda image: (image.get("CreationDate") or "", image["ImageId"]), reverse=True)


def apply_retention(images, keep, older_than_days, now=None):
    """Split ``images`` into ``Retention.kept`` (``[(image, reason)]``) and ``Retention.expired`` (``[image]``).

    An image is expired only when it is not among the ``keep`` newest AND it is at least
    ``older_than_days`` old. Every image of the family counts towards ``keep``, whatever its state,
    so a re-run splits the family the same way after the first run deprecated or disabled some.
    """
    now = now or datetime.now(timezone.utc)
    cutoff = now - timedelta(days=older_than_days)
    kept = []
    expired = []
    for position, image in enumerate(newest_first(images)):
        if position < keep:
            kept.append((image, "one of the newest %d" % keep))
        elif parse_aws_time(image.get("CreationDate")) > cutoff:
            kept.append((image, "younger than %s days" % _days(older_than_days)))
        else:
            expired.append(image)
    return Retention(kept, expired)


def _days(value):
    return int(value) if float(value).is_integer() else value
