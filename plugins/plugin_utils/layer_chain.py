# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Layers as data (playbooks/vars/layers.yml): validate them and order the layers one bake must go through."""

from __future__ import annotations

import re

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError

# The layer name starts the AMI name (<layer>-<timestamp>), so it follows AMI name rules, tighter.
LAYER_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
KNOWN_KEYS = frozenset((
    "name", "parent", "base", "roles", "vars", "description", "instance_type", "volume_size", "regions", "kms_key_id",
    "share_accounts", "share_organization_arns", "share_organizational_unit_arns", "deprecate_after", "ssh_user",
    "no_reboot", "python_interpreter", "refresh_package_lists", "publish_parameter", "parameter_name", "optional",
))


def validate_layers(layers, base_images):
    """Raise naming the bad entry; return {name: layer}."""
    if not isinstance(layers, list) or not layers:
        raise InvalidInputError("bake_layers", "must be a non-empty list of layers (see playbooks/vars/layers.yml)")
    by_name = {}
    for index, layer in enumerate(layers):
        where = "bake_layers[%d]" % index
        if not isinstance(layer, dict):
            raise InvalidInputError(where, "must be a dict with name, parent or base, roles")
        name = layer.get("name")
        if not isinstance(name, str) or not LAYER_NAME_PATTERN.match(name):
            raise InvalidInputError(where + ".name", "%r must be 1 to 100 letters, digits, '.', '_' or '-'" % (name,))
        where = "bake_layers[%d] (%s)" % (index, name)
        if name in by_name:
            raise InvalidInputError(where, "is defined twice; layer names are unique")
        unknown = sorted(set(layer) - KNOWN_KEYS)
        if unknown:
            raise InvalidInputError(where, "has unknown key(s) %s; known: %s" % (unknown, sorted(KNOWN_KEYS)))
        if bool(layer.get("parent")) == bool(layer.get("base")):
            raise InvalidInputError(where, "needs exactly one of parent (a layer name) or base (a base image name)")
        base = layer.get("base")
        if base and base not in (base_images or {}):
            raise InvalidInputError(where + ".base", "%r is not in bake_base_images (%s)" % (base, sorted(base_images or {})))
        roles = layer.get("roles")
        if not isinstance(roles, list) or not all(isinstance(role, str) and role for role in roles):
            raise InvalidInputError(where + ".roles", "must be a list of role names")
        if not isinstance(layer.get("vars", {}), dict):
            raise InvalidInputError(where + ".vars", "must be a dict of role variables")
        if not isinstance(layer.get("optional", False), bool):
            raise InvalidInputError(where + ".optional", "must be true or false, not %r" % (layer["optional"],))
        by_name[name] = layer
    for name, layer in by_name.items():
        parent = layer.get("parent")
        if parent and parent not in by_name:
            raise InvalidInputError("layer %s" % name, "has parent %r, which is not a layer of bake_layers" % parent)
    for name in by_name:
        _ancestry(by_name, name)
    return by_name


def _ancestry(by_name, name):
    """The layer and its ancestors, root first. Raises on a cycle."""
    chain = []
    current = name
    while current:
        if current in chain:
            raise InvalidInputError("layer %s" % name, "has a parent cycle: %s" % " -> ".join(reversed(chain + [current])))
        chain.append(current)
        current = by_name[current].get("parent")
    return list(reversed(chain))


def layers_to_bake(layers, base_images, target=None, chain=True):
    """The layers to go through, parents before children: the target's chain (or only the target), or every layer
    but the optional ones and the layers below them (an optional layer is baked when a target names it or a layer
    below it: its inputs, such as an application's release, are the user's to give)."""
    by_name = validate_layers(layers, base_images)
    if target:
        if target not in by_name:
            raise InvalidInputError("bake_layer", "%r is not a layer; known: %s" % (target, ", ".join(sorted(by_name))))
        names = _ancestry(by_name, target) if chain else [target]
    else:
        names = []
        for layer in layers:
            ancestry = _ancestry(by_name, layer["name"])
            if any(by_name[name].get("optional", False) for name in ancestry):
                continue
            for name in ancestry:
                if name not in names:
                    names.append(name)
    return [by_name[name] for name in names]


def layer_roots(layers, base_images):
    """{layer name: {"root": the root layer of its chain, "base": that root's base image name}}."""
    by_name = validate_layers(layers, base_images)
    roots = {}
    for name in by_name:
        root = _ancestry(by_name, name)[0]
        roots[name] = {"root": root, "base": by_name[root]["base"]}
    return roots
