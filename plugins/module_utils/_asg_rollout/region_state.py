# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a rollout reads once per region and shares between the groups it rolls out, planning and pruning."""

from __future__ import annotations

import threading

from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.group_selection import RegionGroups
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError


class RegionState:
    """One region's clients and what the rollout reads once: its groups and launch configurations."""

    def __init__(self, client_factory, region):
        self.region = region
        self.autoscaling = client_factory.api("autoscaling", region)
        self.ec2 = client_factory.api("ec2", region)
        self.groups = RegionGroups(self.autoscaling)
        self._client_factory = client_factory
        self._ssm = None
        self._launch_configurations = None
        self._lock = threading.Lock()

    @property
    def ssm(self):
        """Systems Manager, for the groups whose launch template names its image through a parameter (few do)."""
        with self._lock:
            if self._ssm is None:
                self._ssm = self._client_factory.api("ssm", self.region)
            return self._ssm

    def launch_configurations(self, refresh=False):
        with self._lock:
            if self._launch_configurations is None or refresh:
                listed = self.autoscaling.paginate("describe_launch_configurations", "LaunchConfigurations")
                self._launch_configurations = dict((lc["LaunchConfigurationName"], lc) for lc in listed)
            return self._launch_configurations

    def launch_configuration(self, name, refresh=False):
        found = self.launch_configurations(refresh).get(name)
        if found is None:
            raise BakeryError("launch configuration %s not found in %s" % (name, self.region))
        return found
