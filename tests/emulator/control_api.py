"""WSGI middleware serving the emulator's own HTTP control endpoints under /_bakery/.

  POST   /_bakery/reset   reset every moto backend (what moto's POST /moto-api/reset does),
                          the call log, the fault rules and the config
  GET    /_bakery/calls   {"calls": [...], "counts": {"ec2:CreateImage": n}}
  DELETE /_bakery/calls   forget recorded calls
  PUT    /_bakery/faults  {"seed": 1, "rules": [...]}   (see fault_injection.py)
  GET    /_bakery/faults  the current rules
  DELETE /_bakery/faults  no more faults
  PUT    /_bakery/config  {"pending_seconds": 2}
  GET    /_bakery/config  the current config

Control requests and moto's own /moto-api/ are never counted nor faulted.
"""

from __future__ import annotations

import json
from typing import Callable, Iterable

from .call_counter import CallLog
from .config import EmulatorConfig
from .fault_injection import FaultPlan

CONTROL_PREFIX = "/_bakery/"
MOTO_API_PREFIX = "/moto-api/"


def reset_moto_backends() -> None:
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


class ControlApi:
    def __init__(
        self,
        app: Callable,
        moto_app: Callable,
        call_log: CallLog,
        fault_plan: FaultPlan,
        config: EmulatorConfig,
    ) -> None:
        self.app = app
        self.moto_app = moto_app
        self.call_log = call_log
        self.fault_plan = fault_plan
        self.config = config

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(MOTO_API_PREFIX):
            return self.moto_app(environ, start_response)
        if not path.startswith(CONTROL_PREFIX):
            return self.app(environ, start_response)
        try:
            status, payload = self._handle(environ["REQUEST_METHOD"], path[len(CONTROL_PREFIX):].strip("/"), environ)
        except (ValueError, TypeError) as error:
            status, payload = 400, {"error": str(error)}
        body = json.dumps(payload, default=str).encode()
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}[status]
        start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def reset(self) -> None:
        reset_moto_backends()
        self.call_log.clear()
        self.fault_plan.clear()
        self.config.reset()

    def _handle(self, method: str, resource: str, environ: dict) -> tuple[int, dict]:
        routes = {
            ("POST", "reset"): lambda: self.reset(),
            ("GET", "calls"): lambda: {"calls": self.call_log.calls(), "counts": self.call_log.counts()},
            ("DELETE", "calls"): lambda: self.call_log.clear(),
            ("GET", "faults"): lambda: self.fault_plan.as_dict(),
            ("PUT", "faults"): lambda: self._set_faults(_read_json(environ)),
            ("DELETE", "faults"): lambda: self.fault_plan.clear(),
            ("GET", "config"): lambda: self.config.as_dict(),
            ("PUT", "config"): lambda: self._configure(_read_json(environ)),
        }
        if (method, resource) not in routes:
            known = {name for _, name in routes}
            if resource in known:
                return 405, {"error": f"{method} is not allowed on {CONTROL_PREFIX}{resource}"}
            return 404, {"error": f"no control endpoint {CONTROL_PREFIX}{resource}; known: {sorted(known)}"}
        result = routes[(method, resource)]()
        return 200, result if isinstance(result, dict) else {"status": "ok"}

    def _set_faults(self, payload: dict) -> dict:
        rules = payload.get("rules", [])
        if not isinstance(rules, list):
            raise ValueError("'rules' must be a list of fault rules")
        self.fault_plan.set(rules, int(payload.get("seed", 0)))
        return self.fault_plan.as_dict()

    def _configure(self, payload: dict) -> dict:
        self.config.update(**payload)
        return self.config.as_dict()


def _read_json(environ: dict) -> dict:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length > 0 else b""
    payload = json.loads(raw or b"{}")
    if not isinstance(payload, dict):
        raise ValueError("the request body must be a JSON object")
    return payload
