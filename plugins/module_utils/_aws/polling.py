# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for AWS state with exponential backoff.

botocore's waiters poll at a fixed delay (15 s for ``image_available``), which makes a 20-second
copy cost 30 s and a local emulator run minutes. This is the one polling loop of the collection:
the first look comes quickly, later ones back off up to ``max_delay``.
"""

from __future__ import annotations

import time

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError


class WaitTimeoutError(BakeryError):
    def __init__(self, what, timeout, last_state=None):
        self.what = what
        self.timeout = timeout
        self.last_state = last_state
        detail = " (last seen: %s)" % last_state if last_state is not None else ""
        super().__init__("timed out after %ss waiting for %s%s" % (timeout, what, detail))


class Backoff:
    """Delays of 1, 1.5, 2.25 … seconds, capped at ``max_delay``."""

    def __init__(self, initial_delay=1.0, max_delay=15.0, factor=1.5):
        self.initial_delay = initial_delay
        self.max_delay = max_delay
        self.factor = factor

    def delays(self):
        delay = self.initial_delay
        while True:
            yield delay
            delay = min(delay * self.factor, self.max_delay)


def poll_until(probe, what, timeout, backoff=None, sleep=time.sleep, clock=time.monotonic):
    """Call ``probe()`` until it returns ``(True, value)``; return that value.

    ``probe`` returns ``(done, value_or_state)``. It may raise to stop waiting (e.g. an image that
    became ``failed``). Raises ``WaitTimeoutError`` naming ``what`` after ``timeout`` seconds.
    """
    deadline = clock() + timeout
    last_state = None
    for delay in (backoff or Backoff()).delays():
        is_done, value = probe()
        if is_done:
            return value
        last_state = value
        remaining = deadline - clock()
        if remaining <= 0:
            raise WaitTimeoutError(what, timeout, last_state)
        sleep(min(delay, remaining))
    return None  # pragma: no cover - delays() never ends
