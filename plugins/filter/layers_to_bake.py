# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: layers_to_bake
short_description: Validate image layers and order the ones a bake goes through
version_added: 0.1.0
description:
  - Validates the layer definitions of C(playbooks/vars/layers.yml) (names, exactly one of C(parent)/C(base), known keys,
    existing parents, no cycles) and returns the layers to bake, parents before children.
  - Without a target, a layer with C(optional=true) and the layers below it are left out; a target brings its chain,
    optional layers included.
positional: base_images, target, chain
options:
  target:
    description: The layer to bake. Empty - every layer but the optional ones (and the layers below them).
    type: str
  chain:
    description: With a target, also go through its ancestors (unchanged ones are cache hits).
    type: bool
    default: true
extends_documentation_fragment:
  - bakery.ami.layer_chain
"""

EXAMPLES = r"""
- name: The layers up to web-server-002
  ansible.builtin.debug:
    msg: "{{ bake_layers | bakery.ami.layers_to_bake(bake_base_images, 'web-server-002') | map(attribute='name') }}"
"""

RETURN = r"""
_value:
  description: The layers, parents first.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.plugin_utils.layer_chain import layers_to_bake


def layers_to_bake_filter(layers, base_images, target=None, chain=True):
    try:
        return layers_to_bake(layers, base_images, target or None, chain)
    except InvalidInputError as error:
        raise AnsibleFilterError(str(error))


class FilterModule:
    def filters(self):
        return {"layers_to_bake": layers_to_bake_filter}
