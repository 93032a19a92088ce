"""The fault profiles of the reliability matrix (issue: proven under faults).

Each profile is a list of emulator fault rules applied to every AWS call of a run. Seeds are fixed,
so a failing cell can be replayed.
"""

FAULT_PROFILES = {
    "throttling_30pct": [{"action": "*", "kind": "throttle", "rate": 0.3}],
    "http_5xx_5pct": [{"action": "*", "kind": "http_500", "rate": 0.025}, {"action": "*", "kind": "http_503", "rate": 0.025}],
    "dropped_connections_5pct": [{"action": "*", "kind": "drop", "rate": 0.05}],
    "latency_200ms": [{"action": "*", "kind": "latency", "rate": 1.0, "latency_ms": 200}],
}
FAULT_SEED = 20261126
