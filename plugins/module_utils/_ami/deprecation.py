# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``deprecate_at`` values: an absolute UTC time, a relative age after creation (``90d``), or ``never``."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError

_RELATIVE_AGE = re.compile(r"^\s*(\d+)\s*([mhdwy])\s*$")
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400}
NEVER = "never"


class DeprecationSchedule:
    """When an image should be deprecated. ``age`` is relative to its creation so re-runs stay idempotent."""

    def __init__(self, at=None, age=None, never=False):
        self.at = at
        self.age = age
        self.never = never

    @classmethod
    def parse(cls, option, value):
        if value is None:
            return None
        text = str(value).strip()
        if text.lower() in (NEVER, ""):
            return cls(never=True)
        relative = _RELATIVE_AGE.match(text.lower())
        if relative:
            count, unit = relative.groups()
            return cls(age=timedelta(seconds=int(count) * _UNIT_SECONDS[unit]))
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInputError(
                option,
                "%r is neither a UTC time (2027-01-31T00:00:00Z), an age after creation (90d, 12w, 1y, 36h) nor 'never'" % text,
            )
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return cls(at=moment.astimezone(timezone.utc))

    def time_for(self, creation_date):
        """The deprecation time for an image created at ``creation_date`` (None when ``never``)."""
        if self.never:
            return None
        if self.at is not None:
            return to_minute(self.at)
        return to_minute(parse_aws_time(creation_date) + self.age)


def parse_aws_time(value):
    if value is None:
        return datetime.now(timezone.utc)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(timezone.utc)


def to_minute(moment):
    """AWS keeps deprecation times to the minute; compare and send them that way."""
    return moment.astimezone(timezone.utc).replace(second=0, microsecond=0)


def format_aws_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None
