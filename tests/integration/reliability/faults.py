"""The fault profiles of the reliability matrix (issue: proven under faults).

Each profile is a list of emulator fault rules applied to every AWS call of a run. Seeds are fixed,
so a failing cell can be replayed.

With rates of 5% and a cell of a handful of calls, most seeds would let a cell pass without meeting
a single fault. FAULT_SEED is chosen so that, under every failure profile, one of the first two calls
of a cell is faulted (the emulator draws the dice in call order, whatever the call), and the matrix
asserts that every failure cell was faulted at least once.
"""

FAULT_PROFILES = {
    "throttling_30pct": [{"action": "*", "kind": "throttle", "rate": 0.3}],
    "http_5xx_5pct": [{"action": "*", "kind": "http_500", "rate": 0.025}, {"action": "*", "kind": "http_503", "rate": 0.025}],
    "dropped_connections_5pct": [{"action": "*", "kind": "drop", "rate": 0.05}],
    "latency_200ms": [{"action": "*", "kind": "latency", "rate": 1.0, "latency_ms": 200}],
}
FAULT_SEED = 20261129
FAILURE_PROFILES = sorted(name for name, rules in FAULT_PROFILES.items() if any(rule["kind"] != "latency" for rule in rules))
