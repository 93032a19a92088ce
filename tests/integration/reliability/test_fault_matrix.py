"""Every module under every fault profile: the run converges to the right AWS state, a second run
under the same faults reports no change and makes no mutating call, and nothing is duplicated.
Info modules (``Scenario.changes`` false) must not report a change on the first run either, and are not
run under the after-commit profiles (they make no mutating call whose answer could be lost).
Under an after-commit profile every mutating call's first answer is lost after AWS carried it out; each
scenario's ``verify`` counts what AWS holds afterwards, so a retried call that duplicated something fails
the cell. Cells in ``faults.KNOWN_FAILURES`` fail today for a known cause (each says which) and are strict xfails.

Each cell's outcome is appended to results-<xdist worker>.jsonl in $BAKERY_RELIABILITY_RESULTS (default
tests/output/reliability); `make bench` points it at a directory of its own and turns it into docs/reliability.md.
"""

import json
import os
from pathlib import Path

import pytest

from tests.integration.reliability.faults import FAILURE_PROFILES, FAULT_PROFILES, FAULT_SEED, KNOWN_FAILURES, TEST_GATE_PROFILES, applies
from tests.integration.reliability.scenarios import SCENARIOS

# A run of its own (make bench) writes elsewhere, so a concurrent `make test` cannot mix its cells into the document.
RESULTS_DIR = Path(os.environ.get("BAKERY_RELIABILITY_RESULTS") or Path(__file__).resolve().parents[2] / "output" / "reliability")


def _record(cell):
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    with open(RESULTS_DIR / ("results-%s.jsonl" % os.environ.get("PYTEST_XDIST_WORKER", "main")), "a") as handle:
        handle.write(json.dumps(cell) + "\n")


def _why_it_failed(run):
    """The failing task's message (what AWS answered), else its result, else the end of the run's output."""
    failed = [task for task in run.tasks() if task.failed]
    if failed:
        return failed[0].get("msg") or json.dumps(failed[0].result)[-3000:]
    return "no task failed; ansible-playbook exited %s:\n%s\n%s" % (run.returncode, run.stdout[-1500:], run.stderr[-1500:])


def matrix_cells():
    """Every (module, fault profile) the matrix runs; a cell in KNOWN_FAILURES is a strict xfail."""
    for module in sorted(SCENARIOS):
        for fault in sorted(FAULT_PROFILES):
            if not applies(SCENARIOS[module], fault):
                continue
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[(module, fault)])] if (module, fault) in KNOWN_FAILURES else []
            if fault not in TEST_GATE_PROFILES:
                marks.append(pytest.mark.full_fault_matrix)
            yield pytest.param(module, fault, marks=marks, id="%s-%s" % (module, fault))


@pytest.mark.parametrize(("module", "fault"), list(matrix_cells()))
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
        "known_failure": KNOWN_FAILURES.get((module, fault)),
    }
    try:
        assert first.succeeded, _why_it_failed(first)
        if fault in FAILURE_PROFILES:
            assert cell["first_run_faulted"] >= 1, "the first run met no fault: this cell proves nothing"
        assert first.task("under test").changed is scenario.changes, first.task("under test").result
        scenario.verify(aws, context, first.task("under test").result)
        assert second.succeeded, _why_it_failed(second)
        assert not second.task("under test").changed
        assert cell["second_run_mutating"] == 0, [c for c in second_calls if c.get("mutating")]
        scenario.verify(aws, context, first.task("under test").result)
        cell["passed"] = True
    except AssertionError:
        cell["passed"] = False
        raise
    finally:
        _record(cell)
