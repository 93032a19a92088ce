"""WSGI middleware that records every AWS call the emulator answers.

Tests use it to prove idempotence and check mode: a second run (or a check-mode run)
must make zero mutating calls. A call is mutating unless its action starts with
Describe/Get/List/Search or it is a DryRun. Faulted calls are recorded too, marked
with the fault kind, so a test can tell a retried call from a repeated one.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Callable, Iterable

from .aws_request import parse_aws_request

AWS_REQUEST_KEY = "bakery.aws_request"
FAULT_KEY = "bakery.fault"


class CallLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[dict] = []

    def record(self, call: dict) -> None:
        with self._lock:
            self._calls.append(call)

    def calls(self) -> list[dict]:
        with self._lock:
            return list(self._calls)

    def counts(self) -> dict[str, int]:
        return dict(Counter(f"{call['service']}:{call['action']}" for call in self.calls()))

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()


class CallCounter:
    def __init__(self, app: Callable, call_log: CallLog) -> None:
        self.app = app
        self.call_log = call_log

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = parse_aws_request(environ)
        environ[AWS_REQUEST_KEY] = request
        status_holder: dict[str, int] = {}

        def recording_start_response(status: str, headers: list, exc_info=None):
            status_holder["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        try:
            return self.app(environ, recording_start_response)
        finally:
            self.call_log.record(
                {
                    "service": request.service,
                    "region": request.region,
                    "action": request.action,
                    "dry_run": request.dry_run,
                    "mutating": request.is_mutating,
                    "status": status_holder.get("status"),  # None: the connection was dropped
                    "fault": environ.get(FAULT_KEY),
                    "time": time.time(),
                }
            )
