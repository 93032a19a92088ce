# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the preflight found: problems in words, and the IAM actions the caller lacks. Checks that run at once (one
per region or probe) each fill a Findings of their own, merged in a fixed order afterwards (``extend``), so the same
bake always lists its problems the same way and no Findings is shared between threads."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError

# What AWS answers a caller without the permission: EC2 (UnauthorizedOperation, also a DryRun's answer) and the other
# services (https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html, AccessDeniedException).
ACCESS_DENIED_CODES = frozenset(("UnauthorizedOperation", "AccessDenied", "AccessDeniedException"))


class Findings:
    def __init__(self):
        self._problems = []
        self._missing_actions = set()

    @property
    def problems(self):
        return list(self._problems)

    @property
    def missing_actions(self):
        return sorted(self._missing_actions)

    def problem(self, message):
        if message not in self._problems:
            self._problems.append(message)

    def missing_action(self, action, region, how):
        self._missing_actions.add(action)
        self.problem("missing IAM permission %s in %s (%s)" % (action, region, how))

    def extend(self, other):
        """Add what ``other`` found, in its order."""
        self._missing_actions.update(other.missing_actions)
        for problem in other.problems:
            self.problem(problem)

    def call_failed(self, error, action, purpose):
        """A read the preflight needs failed: a denial is a missing permission (the bake needs it too), anything else
        a problem naming the call, so the preflight never passes on what it could not check."""
        if isinstance(error, AwsCallError) and error.code in ACCESS_DENIED_CODES:
            self.missing_action(action, error.region, "%s answered %s, needed to %s" % (error.operation, error.code, purpose))
        else:
            self.problem("could not %s: %s" % (purpose, error))
