# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""EC2 ``Filters`` from plain dicts, so selection is pushed to AWS instead of done locally."""

from __future__ import annotations


def _filter_values(value):
    if isinstance(value, (list, tuple, set)):
        return [_filter_value(item) for item in value]
    return [_filter_value(value)]


def _filter_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def filter_list(filters):
    """``{"name": "web-*", "state": ["available", "pending"]}`` → ``[{"Name": ..., "Values": [...]}]``."""
    return [{"Name": name, "Values": _filter_values(value)} for name, value in sorted((filters or {}).items()) if value is not None]


def tag_filters(tags):
    """Filters matching resources that carry every given tag (``tag:<key>`` = value)."""
    return dict(("tag:%s" % key, value) for key, value in (tags or {}).items())
