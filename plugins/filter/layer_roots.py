# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: layer_roots
short_description: The root layer and base image of every layer's chain
version_added: 0.2.0
description:
  - Validates the layer definitions of C(playbooks/vars/layers.yml) like P(bakery.ami.layers_to_bake#filter) and returns,
    for every layer, the root layer of its chain and the name of that root's base image (a key of C(bake_base_images)).
  - C(playbooks/patch.yml) uses it to compare each chain's base with the newest base image, and C(playbooks/bake.yml) to
    give every layer the update feeds of its base.
positional: base_images
extends_documentation_fragment:
  - bakery.ami.layer_chain
"""

EXAMPLES = r"""
- name: The base image of web-server-003's chain
  ansible.builtin.debug:
    msg: "{{ (bake_layers | bakery.ami.layer_roots(bake_base_images))['web-server-003'].base }}"
"""

RETURN = r"""
_value:
  description: "C({layer: {root: <root layer>, base: <base image name>}})."
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.plugin_utils.layer_chain import layer_roots


def layer_roots_filter(layers, base_images):
    try:
        return layer_roots(layers, base_images)
    except InvalidInputError as error:
        raise AnsibleFilterError(str(error))


class FilterModule:
    def filters(self):
        return {"layer_roots": layer_roots_filter}
