# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The input of the filters that read playbooks/vars/layers.yml.
    DOCUMENTATION = r"""
options:
  _input:
    description: The layers (C(bake_layers)).
    type: list
    elements: dict
    required: true
  base_images:
    description: The base image selectors by name (C(bake_base_images)).
    type: dict
    required: true
"""
