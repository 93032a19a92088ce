# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: recipe_hash
short_description: The recipe hash of an image layer (parent image, role files, variables)
version_added: 0.1.0
description:
  - Returns the SHA-256 (hex) of a layer's inputs - the parent image id, the content of every file of the layer's roles
    (sorted relative paths; C(molecule/), C(tests/) and caches excluded) in the order they are applied, and the layer's
    variables - computed on the controller. The bake role tags images with it (C(bakery:recipe-hash)) and skips a layer
    whose hash matches an available image.
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
    description: Other inputs that change the image (for example the root volume size).
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
from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.collection_loader._collection_finder import _get_collection_role_path

from ansible_collections.bakery.ami.plugins.plugin_utils.recipe_hash import recipe_hash, role_file_digests

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
        role_digests = [(name, role_file_digests(self._role_path(name, search_paths))) for name in role_names]
        return [recipe_hash(parent_image_id, role_digests, self.get_option("role_vars"), self.get_option("extra"))]

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
