# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: recipe_hash
short_description: The recipe hash of an image layer (parent image, role files, variables, bake settings)
version_added: 0.1.0
description:
  - Returns the SHA-256 (hex) of a layer's inputs - the parent image id, the content of every file of the layer's roles
    (sorted relative paths; C(molecule/), C(tests/) and caches excluded) in the order they are applied, the variables
    the roles run with, and the bake settings that change the image (O(extra)) - computed on the controller. The bake
    role tags images with it (C(bakery:recipe-hash)) and skips a layer whose hash matches an available image.
  - "The variables the roles run with: the layer's own (O(role_vars)), and every variable the roles declare in the
    C(main) entry point of their argument specs (C(meta/argument_specs.yml)) with the value it resolves to wherever it
    was set - extra vars (C(-e), AWX extra vars and survey answers), inventory, C(group_vars), C(host_vars), play
    vars. As in the build, an extra var wins over the layer's variable of the same name, and the layer's variable over
    any other. A declared variable set nowhere takes its role default, which is in the role's files. Variables the
    roles do not declare do not count: declare every variable a role reads."
  - "Roles are found as Ansible finds them for a play with C(collections: [bakery.ami]) - a fully qualified name
    in its collection, otherwise in C(bakery.ami), then in the roles path and the playbook's C(roles/) directory."
options:
  parent_image_id:
    description: The id of the image the layer is built from.
    type: str
    required: true
  roles:
    description: The roles the layer applies, in order.
    type: list
    elements: str
    required: true
  role_vars:
    description: The layer's variables.
    type: dict
    default: {}
  extra:
    description: The bake settings that change the image (root volume size, package list refresh, KMS key...).
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Hash the recipe of web-server-001
  ansible.builtin.set_fact:
    recipe: "{{ lookup('bakery.ami.recipe_hash', parent_image_id='ami-0123456789abcdef0', roles=['redis', 'image_hygiene'],
                role_vars={'redis_maxmemory': '512mb'}) }}"
"""

RETURN = r"""
_raw:
  description: The recipe hash, 64 hexadecimal characters.
  type: list
  elements: str
"""

import os

from ansible import constants as C
from ansible.errors import AnsibleError, AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.collection_loader._collection_finder import _get_collection_role_path
from ansible.utils.vars import load_extra_vars

from ansible_collections.bakery.ami.plugins.plugin_utils.recipe_hash import (
    declared_variables,
    recipe_hash,
    role_file_digests,
    variables_the_build_sees,
)

DEFAULT_COLLECTIONS = ["bakery.ami"]


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        parent_image_id = self.get_option("parent_image_id")
        role_names = self.get_option("roles")
        search_paths = list(C.DEFAULT_ROLES_PATH or [])
        playbook_dir = (variables or {}).get("playbook_dir")
        if playbook_dir:
            search_paths.append(os.path.join(playbook_dir, "roles"))
        role_paths = [(name, self._role_path(name, search_paths)) for name in role_names]
        role_digests = [(name, role_file_digests(path)) for name, path in role_paths]
        declared = sorted(set(variable for _name, path in role_paths for variable in declared_variables(path)))
        variables = variables or {}
        defined = dict((name, self._resolved(name, variables[name])) for name in declared if name in variables)
        # Extra vars win over the layer's variables in the build (include_vars ranks below them): tell them apart.
        command_line = set(load_extra_vars(self._loader))
        seen = variables_the_build_sees(self.get_option("role_vars"), declared, defined, command_line)
        return [recipe_hash(parent_image_id, role_digests, seen, self.get_option("extra"))]

    def _resolved(self, name, value):
        try:
            return self._templar.template(value)
        except AnsibleError as error:
            raise AnsibleLookupError("recipe_hash: variable %s (declared by a role of the layer) does not resolve: %s" % (name, error))

    @staticmethod
    def _role_path(name, search_paths):
        if name.count(".") >= 2:
            found = _get_collection_role_path(name)
        else:
            found = _get_collection_role_path(name, DEFAULT_COLLECTIONS)
        if found:
            return found[1]
        for directory in search_paths:
            candidate = os.path.join(os.path.expanduser(directory), name)
            if os.path.isdir(candidate):
                return candidate
        raise AnsibleLookupError(
            "recipe_hash: role %r not found in the collection bakery.ami nor in the roles path %s" % (name, search_paths)
        )
