# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fingerprint of a distribution's update feeds: what tells a scheduled patch run, without launching anything,
whether the package repositories changed since an image was last baked or patched.

A feed is the index file of an apt repository (its Release or InRelease). Such a file is re-signed and re-dated
regularly even when no package changed (its Date and Valid-Until fields move), so the fingerprint keeps only the lines
that name a package index (`<hash> <size> main/binary-amd64/Packages...`): they change exactly when a package is
added, updated or removed. Any other feed (an advisory list, a yum repomd.xml) is fingerprinted whole.
"""

from __future__ import annotations

import hashlib
import re

FINGERPRINT_LENGTH = 16
# `<hash> <size> <path>` where the file of the path is a package index, compressed or not.
PACKAGE_INDEX_LINE = re.compile(r"^\s*[0-9a-fA-F]{32,128}\s+\d+\s+(\S*/)?Packages(\.[A-Za-z0-9]+)?\s*$")


def package_index_lines(text):
    """The package index lines of a Release/InRelease file, sorted; empty when the text is not one."""
    return sorted(line.strip() for line in text.splitlines() if PACKAGE_INDEX_LINE.match(line))


def feed_digest_input(url, text):
    lines = package_index_lines(text)
    body = "\n".join(lines) if lines else text
    return "%s\n%s\n" % (url, body)


def fingerprint(feeds):
    """One short hex digest of several feeds: [(url, text)], in the given order."""
    digest = hashlib.sha256()
    for url, text in feeds:
        digest.update(feed_digest_input(url, text).encode("utf-8"))
    return digest.hexdigest()[:FINGERPRINT_LENGTH]
