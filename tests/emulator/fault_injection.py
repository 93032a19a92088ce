"""WSGI middleware that makes AWS misbehave on purpose, around moto.

Every kind but `after_commit` answers BEFORE moto sees the request, so the faulted call changes
nothing: exactly what AWS promises for throttled and 5xx answers, and what makes retrying them
safe. `after_commit` is the other case a client must survive: the request took effect, and the
answer was lost on the way back (a 500, or a dropped connection), so the client retries a call
that already happened.

Rules are data: {"action": "ec2:CopyImage" | "ec2:*" | "*", "kind": KIND, "rate": 0.3,
"latency_ms": 200, "region": "us-west-2" | "eu-*" | "*", "mutating": true, "times_per_action": 1,
"answer": "http_500" | "drop"}.
  region            a glob over the region the request is signed for (default every region);
  mutating          true: only mutating calls (not Describe/Get/List/Search, not DryRun) match;
  times_per_action  the rule fires at most this often for each action in each region (default: no limit);
  answer            what `after_commit` answers once moto has handled the request (default http_500).
KIND is one of
  throttle      the protocol's throttling error: EC2 HTTP 503 RequestLimitExceeded, other query
                services HTTP 400 Throttling, JSON services HTTP 400 ThrottlingException;
  http_500      HTTP 500 InternalError;  http_503  HTTP 503 ServiceUnavailable;
  drop          the client socket is closed with no answer;
  latency       sleep latency_ms, then pass the request through;
  after_commit  moto handles the request (it takes effect), then the client gets HTTP 500
                InternalError (answer http_500) or the socket is closed (answer drop).
The first matching rule whose dice roll hits wins (latency rules do not stop the search).
The dice are one seeded random.Random, so a run is repeatable for a given call order.

AWS's answers (cited once here, used by _FAILURES):
- EC2 throttling: "If an API request exceeds the API request rate for its category, the request
  returns the RequestLimitExceeded error code."
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/query-api-troubleshooting.html). The EC2
  error codes page lists RequestLimitExceeded among the server errors, and "Server errors ... are
  accompanied by a 500-series HTTP response code"
  (https://docs.aws.amazon.com/ec2/latest/devguide/errors-overview.html); botocore's retry table
  (botocore/data/_retry.json, "ec2" → "request_limit_exceeded") expects it with HTTP 503.
- Auto Scaling and other query services: `Throttling`, HTTP 400 ("Rate exceeded"); JSON services
  `ThrottlingException`, HTTP 400 (both in botocore/retries/standard.py `_THROTTLED_ERROR_CODES`).
"""

from __future__ import annotations

import fnmatch
import random
import socket
import threading
import time
from collections import Counter
from typing import Callable, Iterable

from .aws_request import AwsRequest
from .call_counter import AWS_REQUEST_KEY, FAULT_KEY
from .error_bodies import error_response

FAULT_KINDS = ("throttle", "http_500", "http_503", "drop", "latency", "after_commit")
AFTER_COMMIT_ANSWERS = ("http_500", "drop")


def validate_rule(index: int, rule: dict) -> dict:
    if not isinstance(rule, dict):
        raise ValueError(f"rules[{index}] must be an object, got {rule!r}")
    kind = rule.get("kind")
    if kind not in FAULT_KINDS:
        raise ValueError(f"rules[{index}].kind {kind!r} is not one of {list(FAULT_KINDS)}")
    rate = float(rule.get("rate", 1.0))
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rules[{index}].rate {rate} must be between 0 and 1")
    answer = rule.get("answer", "http_500")
    if answer not in AFTER_COMMIT_ANSWERS:
        raise ValueError(f"rules[{index}].answer {answer!r} is not one of {list(AFTER_COMMIT_ANSWERS)}")
    if "answer" in rule and kind != "after_commit":
        raise ValueError(f"rules[{index}].answer only applies to kind after_commit, not {kind!r}")
    times = rule.get("times_per_action")
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise ValueError(f"rules[{index}].times_per_action {times!r} must be a whole number, 1 or more")
    return {
        "action": str(rule.get("action", "*")),
        "kind": kind,
        "rate": rate,
        "latency_ms": int(rule.get("latency_ms", 200)),
        "region": str(rule.get("region", "*")),
        "mutating": bool(rule.get("mutating", False)),
        "times_per_action": times,
        "answer": answer,
    }


class FaultPlan:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.seed = 0
        self.rules: list[dict] = []
        self._random = random.Random(0)
        self._fired: Counter = Counter()

    def set(self, rules: list[dict], seed: int = 0) -> None:
        checked = [validate_rule(index, rule) for index, rule in enumerate(rules)]
        with self._lock:
            self.seed = seed
            self.rules = checked
            self._random = random.Random(seed)
            self._fired = Counter()

    def clear(self) -> None:
        self.set([], 0)

    def as_dict(self) -> dict:
        with self._lock:
            return {"seed": self.seed, "rules": list(self.rules)}

    def draw(self, request: AwsRequest) -> list[dict]:
        """The rules that fire for this request: latency ones, then at most one failure."""
        fired = []
        with self._lock:
            for index, rule in enumerate(self.rules):
                if not _matches(rule, request):
                    continue
                key = (index, request.qualified_action, request.region)
                if rule["times_per_action"] is not None and self._fired[key] >= rule["times_per_action"]:
                    continue
                if self._random.random() >= rule["rate"]:
                    continue
                self._fired[key] += 1
                fired.append(rule)
                if rule["kind"] != "latency":
                    break
        return fired


def _matches(rule: dict, request: AwsRequest) -> bool:
    action, region = rule["action"], rule["region"]
    return (
        (action == "*" or fnmatch.fnmatchcase(request.qualified_action, action))
        and (region == "*" or fnmatch.fnmatchcase(request.region, region))
        and (request.is_mutating or not rule["mutating"])
    )


_FAILURES = {
    "throttle": {
        "ec2": (503, "RequestLimitExceeded", "Request limit exceeded."),
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
            elif kind == "after_commit":
                _handle_and_discard_answer(self.app, environ)
                if rule["answer"] == "drop":
                    _drop_connection(environ)
                return _fail(start_response, request, "http_500")
            else:
                return _fail(start_response, request, kind)
        return self.app(environ, start_response)


def _fail(start_response: Callable, request: AwsRequest, kind: str) -> list[bytes]:
    status, code, message = _FAILURES[kind][request.protocol]
    status_line, headers, body = error_response(request.protocol, status, code, message)
    start_response(status_line, headers)
    return [body]


def _handle_and_discard_answer(app: Callable, environ: dict) -> None:
    """Let moto handle the request to the end (so it takes effect) and throw its answer away."""

    def discarding_start_response(status: str, headers: list, exc_info=None) -> Callable:
        return lambda data: None

    answer = app(environ, discarding_start_response)
    try:
        for _ in answer:
            pass
    finally:
        close = getattr(answer, "close", None)
        if close is not None:
            close()


def _drop_connection(environ: dict) -> None:
    connection = environ.get("werkzeug.socket")
    if connection is not None:
        try:
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    # werkzeug treats ConnectionError as "client went away" and writes nothing more.
    raise ConnectionResetError("bakery emulator: connection dropped by fault injection")
