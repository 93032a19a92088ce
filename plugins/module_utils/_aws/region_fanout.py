# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one piece of work per region (or per account, per group) concurrently and collect every outcome."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError, InvalidInputError


class FanOutResult:
    """Results by key for the work that succeeded, errors by key for the work that failed."""

    def __init__(self):
        self.results = {}
        self.errors = {}

    @property
    def failed(self):
        return bool(self.errors)

    def error_messages(self):
        return dict((key, str(error)) for key, error in self.errors.items())

    def raise_first_error(self):
        """Re-raise the first failure, so single-key callers keep their natural error."""
        for key in self.errors:
            raise self.errors[key]

    def results_or_refusal(self, refused_error):
        """For read-only planning: the results, or one ``refused_error`` naming every key that failed ("nothing was
        changed"). A single failure, or bad input, is raised as it is: its message already names the input."""
        if not self.errors:
            return self.results
        invalid = [error for error in self.errors.values() if isinstance(error, InvalidInputError)]
        if len(self.errors) == 1 or invalid:
            raise (invalid or list(self.errors.values()))[0]
        raise refused_error("nothing was changed: %s" % "; ".join("%s: %s" % (key, message) for key, message in sorted(self.error_messages().items())))


def fan_out(keys, work, max_concurrency=None):
    """Call ``work(key)`` for every key, at most ``max_concurrency`` at a time (default: all at once).

    Failures of one key never stop the others: a region that fails is reported, the rest complete.
    Only ``BakeryError`` is collected; anything else is a bug and propagates.
    """
    keys = list(dict.fromkeys(keys))
    outcome = FanOutResult()
    if not keys:
        return outcome
    workers = min(len(keys), max_concurrency or len(keys))
    if workers == 1:
        for key in keys:
            _run_one(outcome, key, work)
        return outcome
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = dict((key, pool.submit(work, key)) for key in keys)
        for key, future in futures.items():
            try:
                outcome.results[key] = future.result()
            except BakeryError as error:
                outcome.errors[key] = error
    return outcome


def _run_one(outcome, key, work):
    try:
        outcome.results[key] = work(key)
    except BakeryError as error:
        outcome.errors[key] = error
