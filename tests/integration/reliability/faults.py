"""The fault profiles of the reliability matrix (issue: proven under faults).

Each profile is a list of emulator fault rules applied to every AWS call of a run. Seeds are fixed,
so a failing cell can be replayed.

With rates of 5% and a cell of a handful of calls, most seeds would let a cell pass without meeting
a single fault. FAULT_SEED is chosen so that, under every failure profile, one of the first two calls
of a cell is faulted (the emulator draws the dice in call order, whatever the call), and the matrix
asserts that every failure cell was faulted at least once.

The after-commit profiles need no dice: every mutating call (per action and region) has its FIRST
answer lost after AWS carried it out - a HTTP 500 InternalError, or a connection dropped with no
answer - so the module's retry, or its next run, meets what its lost call already did. They apply to
the modules that change something; an info module makes no mutating call, so there is nothing to lose.
"""

FAULT_PROFILES = {
    "throttling_30pct": [{"action": "*", "kind": "throttle", "rate": 0.3}],
    "http_5xx_5pct": [{"action": "*", "kind": "http_500", "rate": 0.025}, {"action": "*", "kind": "http_503", "rate": 0.025}],
    "dropped_connections_5pct": [{"action": "*", "kind": "drop", "rate": 0.05}],
    "latency_200ms": [{"action": "*", "kind": "latency", "rate": 1.0, "latency_ms": 200}],
    "after_commit_http_500": [{"action": "*", "kind": "after_commit", "answer": "http_500", "mutating": True, "times_per_action": 1}],
    "after_commit_drop": [{"action": "*", "kind": "after_commit", "answer": "drop", "mutating": True, "times_per_action": 1}],
}
FAULT_SEED = 20261129
FAILURE_PROFILES = sorted(name for name, rules in FAULT_PROFILES.items() if any(rule["kind"] != "latency" for rule in rules))
AFTER_COMMIT_PROFILES = sorted(name for name, rules in FAULT_PROFILES.items() if any(rule["kind"] == "after_commit" for rule in rules))
# What `make test` runs of the matrix: the after-commit profiles (each module's own recognise-and-adopt logic) and
# throttling (the commonest transient fault). 5xx, dropped connections and latency before a call commits exercise
# botocore's standard-mode retries, configured once for every module (client_factory.py); their cells carry the
# `full_fault_matrix` mark, which `make test` deselects (pytest prints the count) and `make bench` runs with the rest.
TEST_GATE_PROFILES = sorted(AFTER_COMMIT_PROFILES + ["throttling_30pct"])


def applies(scenario, profile: str) -> bool:
    """Whether the matrix runs ``scenario`` under ``profile`` (after-commit needs a module that changes something)."""
    return profile not in AFTER_COMMIT_PROFILES or scenario.changes


# Cells that fail today for a known cause outside the test: {(module, profile): what goes wrong}. Each runs as
# xfail(strict=True), so the fix makes it fail loudly until its entry is removed here.
KNOWN_FAILURES = {}
