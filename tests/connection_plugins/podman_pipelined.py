# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only connection: containers.podman.podman with pipelining.

The tests reach podman containers (Molecule's platforms, the emulator's podman-backed instances) hundreds of times per
run. Without pipelining every module costs four or five `podman` calls (mount, mkdir, chmod, exec, rm); with it, one `podman
exec -i` that reads the module on stdin. SSH bakes of real builders are unaffected: this plugin is loaded only through
ANSIBLE_CONNECTION_PLUGINS, which the test harnesses set (tests/integration/playbook_runner.py, the Molecule scenarios,
tests/demo/run-demo.sh).
"""

from __future__ import annotations

import shlex

from ansible.module_utils.common.text.converters import to_native
from ansible_collections.containers.podman.plugins.connection import podman as upstream

DOCUMENTATION = """
    name: podman_pipelined
    short_description: Run modules in an existing podman container, piped through one podman exec
    description:
      - The containers.podman.podman connection, with pipelining (C(podman exec -i) with the module on stdin).
      - Files (template, copy) still go through the container's mounted root, as with containers.podman.podman.
      - For tests only; loaded from the tests' ANSIBLE_CONNECTION_PLUGINS.
    options:
      remote_addr:
        description: The name or ID of the container.
        default: inventory_hostname
        vars:
          - name: ansible_host
          - name: inventory_hostname
          - name: ansible_podman_host
      remote_user:
        description: The user (name or UID) commands run as inside the container.
        env:
          - name: ANSIBLE_REMOTE_USER
        vars:
          - name: ansible_user
      podman_extra_args:
        description: Extra arguments for every podman command line.
        default: ''
        vars:
          - name: ansible_podman_extra_args
        env:
          - name: ANSIBLE_PODMAN_EXTRA_ARGS
      podman_executable:
        description: The podman executable.
        default: podman
        vars:
          - name: ansible_podman_executable
        env:
          - name: ANSIBLE_PODMAN_EXECUTABLE
      pipelining:
        description: Pipe modules to the container instead of copying them in. On by default, the reason this plugin exists.
        type: boolean
        default: true
        vars:
          - name: ansible_pipelining
"""


class Connection(upstream.Connection):
    transport = "podman_pipelined"
    # containers.podman.podman says pipelining "does not work with podman": its exec_command never passes -i, so a
    # module sent on stdin never arrives. With -i it does (podman 4 and 5).
    has_pipelining = True

    def exec_command(self, cmd, in_data=None, sudoable=False):
        if in_data is None:
            return super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        if not self._connected:
            self._connect()
        exec_args = ["exec", "-i"] + (["--user", self.user] if self.user else [])
        return self._podman(exec_args, shlex.split(to_native(cmd, errors="surrogate_or_strict")), in_data)
