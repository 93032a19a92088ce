# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ordering images newest first and picking "the newest one that matches"."""

from __future__ import annotations


def _newest_first_key(image):
    # CreationDate is ISO 8601 in UTC with a fixed width (2025-05-12T19:41:37.000Z), so text order is time order.
    # The image id breaks ties, so the pick is the same on every run.
    return (image.get("CreationDate") or "", image.get("ImageId") or "")


def newest_first(images):
    return sorted(images, key=_newest_first_key, reverse=True)


def newest(images):
    """The most recently created image, or None."""
    ordered = newest_first(images)
    return ordered[0] if ordered else None
