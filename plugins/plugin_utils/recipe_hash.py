# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The recipe hash of a layer (tag ``bakery:recipe-hash``): what decides whether a layer must be baked again.

Inputs: the parent image id (a new parent means a new child), the content of every file of every role the
layer applies (sorted relative paths; Molecule scenarios, tests and caches excluded: they never reach the
image), the variables the roles see (the layer's variables, and the value of every variable the roles declare in
their argument specs wherever it was set: extra vars, inventory, group_vars), and the bake settings that change
what is imaged. Serialised as canonical JSON, hashed with SHA-256: the same inputs give the same hash on any
controller.

Version 2 added the declared variables set outside the layer and the bake settings; a version-1 image is rebuilt once.
"""

from __future__ import annotations

import hashlib
import json
import os

import yaml

RECIPE_VERSION = 2
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


def declared_variables(role_path):
    """The variables a role declares: the options of the ``main`` entry point of its argument specs
    (``meta/argument_specs.yml``, or ``argument_specs`` in ``meta/main.yml``), sorted. None declared: []."""
    for name in ("argument_specs.yml", "argument_specs.yaml", "main.yml", "main.yaml"):
        path = os.path.join(role_path, "meta", name)
        if not os.path.isfile(path):
            continue
        with open(path) as handle:
            meta = yaml.safe_load(handle) or {}
        specs = meta.get("argument_specs") if isinstance(meta, dict) else None
        if specs:
            return sorted((specs.get("main") or {}).get("options") or {})
    return []


def variables_the_build_sees(layer_vars, declared, defined, command_line):
    """``{name: value}`` the layer's roles run with, for the layer's own variables and every declared variable set
    anywhere: the build loads the layer's variables with include_vars, so an extra var (``-e``, AWX extra vars) wins over
    them and they win over everything else (inventory, group_vars, play vars). ``defined`` holds the resolved value of
    each declared variable that is set; ``command_line`` the names given as extra vars. A declared variable set nowhere
    takes its role default, which the role's files carry into the hash."""
    values = dict(layer_vars or {})
    for name in declared:
        if name in defined and (name in command_line or name not in values):
            values[name] = defined[name]
    return values


def recipe_hash(parent_image_id, role_digests, variables, extra=None):
    """SHA-256 (hex) of the layer's inputs. ``role_digests`` is an ordered list of (role name, file digests):
    the order roles are applied in is part of the recipe. ``variables``: what the roles see
    (``variables_the_build_sees``); ``extra``: the bake settings that change the image."""
    recipe = {
        "version": RECIPE_VERSION,
        "parent_image_id": parent_image_id,
        "roles": [[name, digests] for name, digests in role_digests],
        "variables": variables or {},
        "extra": extra or {},
    }
    canonical = json.dumps(recipe, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
