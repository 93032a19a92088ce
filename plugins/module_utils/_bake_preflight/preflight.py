# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``bake_preflight``'s work: every check of one layer's bake, read calls and DryRuns only, all problems at once.

Order matters only once: the regions first, so the checks after them call only regions the account has enabled (a
disabled region answers AuthFailure to everything, which would drown the one problem that matters).
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._bake_preflight.builder_network import check_builder
from ansible_collections.bakery.ami.plugins.module_utils._bake_preflight.findings import Findings
from ansible_collections.bakery.ami.plugins.module_utils._bake_preflight.image_settings import check_image_settings
from ansible_collections.bakery.ami.plugins.module_utils._bake_preflight.kms_keys import check_keys
from ansible_collections.bakery.ami.plugins.module_utils._bake_preflight.permission_probes import probe_permissions
from ansible_collections.bakery.ami.plugins.module_utils._bake_preflight.regions import check_regions


class PreflightFailedError(BakeryError):
    """The bake would fail: every problem found, numbered, in the message; the whole result in the fields."""

    def __init__(self, result):
        self.result = result
        problems = result["problems"]
        super().__init__(
            "preflight found %d problem(s); nothing was made: %s"
            % (len(problems), " ".join("%d) %s." % (number, problem.rstrip(".")) for number, problem in enumerate(problems, 1)))
        )

    def result_fields(self):
        return dict(self.result)


def run_preflight(clients, request):
    findings = Findings()
    check_image_settings(request, findings)
    regions = check_regions(clients, request, findings)
    check_keys(clients, request, regions, findings)
    placement = check_builder(clients, request, findings) if request.home_region in regions else None
    probes = probe_permissions(clients, request, regions, placement, findings) if placement is not None else {}
    result = {
        "changed": False,
        "problems": findings.problems,
        "missing_actions": findings.missing_actions,
        "regions_checked": regions,
        "probes": probes,
    }
    if result["problems"]:
        raise PreflightFailedError(result)
    return result
