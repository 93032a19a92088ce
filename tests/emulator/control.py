"""Client for the emulator's /_bakery/ control API (standard library only)."""

from __future__ import annotations

import json
import urllib.request


class EmulatorControl:
    def __init__(self, endpoint_url: str, timeout: float = 30.0) -> None:
        self.endpoint_url = endpoint_url.rstrip("/")
        self.timeout = timeout

    def _request(self, method: str, resource: str, payload: dict | None = None) -> dict:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(
            f"{self.endpoint_url}/_bakery/{resource}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return json.loads(response.read() or b"{}")

    def reset(self) -> None:
        """Forget every AWS resource, recorded call, fault rule and config change."""
        self._request("POST", "reset")

    def calls(self) -> list[dict]:
        return self._request("GET", "calls")["calls"]

    def counts(self) -> dict[str, int]:
        """{"ec2:CreateImage": n, ...} over every recorded call, faulted ones included."""
        return self._request("GET", "calls")["counts"]

    def mutating_calls(self) -> list[dict]:
        return [call for call in self.calls() if call["mutating"]]

    def clear_calls(self) -> None:
        self._request("DELETE", "calls")

    def set_faults(self, rules: list[dict], seed: int = 0) -> dict:
        return self._request("PUT", "faults", {"seed": seed, "rules": rules})

    def clear_faults(self) -> None:
        self._request("DELETE", "faults")

    def configure(self, **settings) -> dict:
        return self._request("PUT", "config", settings)

    def config(self) -> dict:
        return self._request("GET", "config")
