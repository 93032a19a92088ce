"""WSGI middleware that makes AWS misbehave on purpose, before moto sees the request.

Because a faulted call never reaches moto, it changes nothing: exactly what AWS
promises for throttled and 5xx answers, and what makes retrying them safe.

Rules are data: {"action": "ec2:CopyImage" | "ec2:*" | "*", "kind": KIND, "rate": 0.3,
"latency_ms": 200, "region": "us-west-2" | "eu-*" | "*"} (region: of the request's signature; default
every region). KIND is one of
  throttle  HTTP 400 with the protocol's throttling error (EC2 RequestLimitExceeded,
            other query services Throttling, JSON services ThrottlingException);
  http_500  HTTP 500 InternalError;  http_503  HTTP 503 ServiceUnavailable;
  drop      the client socket is closed with no answer;
  latency   sleep latency_ms, then pass the request through.
The first matching rule whose dice roll hits wins (latency rules do not stop the search).
The dice are one seeded random.Random, so a run is repeatable for a given call order.
"""

from __future__ import annotations

import fnmatch
import random
import socket
import threading
import time
from typing import Callable, Iterable

from .aws_request import AwsRequest
from .call_counter import AWS_REQUEST_KEY, FAULT_KEY
from .error_bodies import error_response

FAULT_KINDS = ("throttle", "http_500", "http_503", "drop", "latency")


def validate_rule(index: int, rule: dict) -> dict:
    if not isinstance(rule, dict):
        raise ValueError(f"rules[{index}] must be an object, got {rule!r}")
    kind = rule.get("kind")
    if kind not in FAULT_KINDS:
        raise ValueError(f"rules[{index}].kind {kind!r} is not one of {list(FAULT_KINDS)}")
    rate = float(rule.get("rate", 1.0))
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rules[{index}].rate {rate} must be between 0 and 1")
    return {
        "action": str(rule.get("action", "*")),
        "kind": kind,
        "rate": rate,
        "latency_ms": int(rule.get("latency_ms", 200)),
        "region": str(rule.get("region", "*")),
    }


class FaultPlan:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.seed = 0
        self.rules: list[dict] = []
        self._random = random.Random(0)

    def set(self, rules: list[dict], seed: int = 0) -> None:
        checked = [validate_rule(index, rule) for index, rule in enumerate(rules)]
        with self._lock:
            self.seed = seed
            self.rules = checked
            self._random = random.Random(seed)

    def clear(self) -> None:
        self.set([], 0)

    def as_dict(self) -> dict:
        with self._lock:
            return {"seed": self.seed, "rules": list(self.rules)}

    def draw(self, request: AwsRequest) -> list[dict]:
        """The rules that fire for this request: latency ones, then at most one failure."""
        fired = []
        with self._lock:
            for rule in self.rules:
                if not _matches(rule, request):
                    continue
                if self._random.random() >= rule["rate"]:
                    continue
                fired.append(rule)
                if rule["kind"] != "latency":
                    break
        return fired


def _matches(rule: dict, request: AwsRequest) -> bool:
    action, region = rule["action"], rule["region"]
    return (action == "*" or fnmatch.fnmatchcase(request.qualified_action, action)) and (
        region == "*" or fnmatch.fnmatchcase(request.region, region))


_FAILURES = {
    "throttle": {
        "ec2": (400, "RequestLimitExceeded", "Request limit exceeded."),
        "query": (400, "Throttling", "Rate exceeded"),
        "json": (400, "ThrottlingException", "Rate exceeded"),
    },
    "http_500": {protocol: (500, "InternalError", "An internal error has occurred") for protocol in ("ec2", "query", "json")},
    "http_503": {protocol: (503, "ServiceUnavailable", "The service is unavailable. Please try again shortly.") for protocol in ("ec2", "query", "json")},
}


class FaultInjection:
    def __init__(self, app: Callable, plan: FaultPlan) -> None:
        self.app = app
        self.plan = plan

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request: AwsRequest = environ[AWS_REQUEST_KEY]
        for rule in self.plan.draw(request):
            kind = rule["kind"]
            environ[FAULT_KEY] = kind
            if kind == "latency":
                time.sleep(rule["latency_ms"] / 1000.0)
            elif kind == "drop":
                _drop_connection(environ)
            else:
                status, code, message = _FAILURES[kind][request.protocol]
                status_line, headers, body = error_response(request.protocol, status, code, message)
                start_response(status_line, headers)
                return [body]
        return self.app(environ, start_response)


def _drop_connection(environ: dict) -> None:
    connection = environ.get("werkzeug.socket")
    if connection is not None:
        try:
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    # werkzeug treats ConnectionError as "client went away" and writes nothing more.
    raise ConnectionResetError("bakery emulator: connection dropped by fault injection")
