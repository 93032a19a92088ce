# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The recipe hash of a layer (tag ``bakery:recipe-hash``): what decides whether a layer must be baked again.

Inputs: the parent image id (a new parent means a new child), the content of every file of every role the
layer applies (sorted relative paths; Molecule scenarios, tests and caches excluded: they never reach the
image), and the layer's variables. Serialised as canonical JSON, hashed with SHA-256: the same inputs give
the same hash on any controller.
"""

from __future__ import annotations

import hashlib
import json
import os

RECIPE_VERSION = 1
# Parts of a role that do not end up in the image.
EXCLUDED_DIRECTORIES = frozenset(("molecule", "tests", ".git", "__pycache__", ".pytest_cache"))
EXCLUDED_SUFFIXES = (".pyc", ".pyo", ".swp", "~")


def role_file_digests(role_path):
    """{relative path: sha256 of the content} of every file of a role."""
    digests = {}
    for directory, subdirectories, files in os.walk(role_path):
        subdirectories[:] = sorted(name for name in subdirectories if name not in EXCLUDED_DIRECTORIES)
        for name in sorted(files):
            if name.endswith(EXCLUDED_SUFFIXES):
                continue
            path = os.path.join(directory, name)
            with open(path, "rb") as handle:
                digests[os.path.relpath(path, role_path).replace(os.sep, "/")] = hashlib.sha256(handle.read()).hexdigest()
    return digests


def recipe_hash(parent_image_id, role_digests, variables, extra=None):
    """SHA-256 (hex) of the layer's inputs. ``role_digests`` is an ordered list of (role name, file digests):
    the order roles are applied in is part of the recipe."""
    recipe = {
        "version": RECIPE_VERSION,
        "parent_image_id": parent_image_id,
        "roles": [[name, digests] for name, digests in role_digests],
        "variables": variables or {},
        "extra": extra or {},
    }
    canonical = json.dumps(recipe, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
