"""Every module under every fault profile: the run converges to the right AWS state, a second run
under the same faults reports no change and makes no mutating call, and nothing is duplicated.
Info modules (``Scenario.changes`` false) must not report a change on the first run either.

Each cell's outcome is appended to results-<xdist worker>.jsonl in $BAKERY_RELIABILITY_RESULTS (default
tests/output/reliability); `make bench` points it at a directory of its own and turns it into docs/reliability.md.
"""

import json
import os
from pathlib import Path

import pytest

from tests.integration.reliability.faults import FAILURE_PROFILES, FAULT_PROFILES, FAULT_SEED
from tests.integration.reliability.scenarios import SCENARIOS

# A run of its own (make bench) writes elsewhere, so a concurrent `make test` cannot mix its cells into the document.
RESULTS_DIR = Path(os.environ.get("BAKERY_RELIABILITY_RESULTS") or Path(__file__).resolve().parents[2] / "output" / "reliability")


def _record(cell):
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    with open(RESULTS_DIR / ("results-%s.jsonl" % os.environ.get("PYTEST_XDIST_WORKER", "main")), "a") as handle:
        handle.write(json.dumps(cell) + "\n")


@pytest.mark.parametrize("fault", sorted(FAULT_PROFILES))
@pytest.mark.parametrize("module", sorted(SCENARIOS))
def test_module_converges_under_fault(aws, playbook, module, fault):
    scenario = SCENARIOS[module]
    context = scenario.arrange(aws)
    aws.control.clear_calls()
    aws.control.set_faults(FAULT_PROFILES[fault], seed=FAULT_SEED)

    first = playbook(scenario.tasks(context))
    first_calls = aws.control.calls()
    aws.control.clear_calls()
    second = playbook(scenario.tasks(context))
    second_calls = aws.control.calls()
    aws.control.clear_faults()

    cell = {
        "module": module,
        "fault": fault,
        "first_run_ok": first.succeeded,
        "second_run_ok": second.succeeded,
        "first_run_calls": len(first_calls),
        "first_run_faulted": sum(1 for call in first_calls if call.get("fault") and call["fault"] != "latency"),
        "second_run_calls": len(second_calls),
        "second_run_mutating": sum(1 for call in second_calls if call.get("mutating")),
    }
    try:
        assert first.succeeded, first.stdout[-3000:]
        if fault in FAILURE_PROFILES:
            assert cell["first_run_faulted"] >= 1, "the first run met no fault: this cell proves nothing"
        assert first.task("under test").changed is scenario.changes, first.task("under test").result
        scenario.verify(aws, context, first.task("under test").result)
        assert second.succeeded, second.stdout[-3000:]
        assert not second.task("under test").changed
        assert cell["second_run_mutating"] == 0, [c for c in second_calls if c.get("mutating")]
        scenario.verify(aws, context, first.task("under test").result)
        cell["passed"] = True
    except AssertionError:
        cell["passed"] = False
        raise
    finally:
        _record(cell)
