"""docs/reliability.md from the fault matrix's results (results-*.jsonl in $BAKERY_RELIABILITY_RESULTS,
default tests/output/reliability).

    .venv/bin/python -m tests.benchmarks.reliability_report [--results DIR] [--output FILE]

tests/integration/reliability/test_fault_matrix.py appends one JSON line per cell (module × fault
profile), one file per xdist worker. This turns them into a module × fault table of pass/fail and
the AWS calls each cell made. A cell recorded twice (results not cleared between runs) counts once:
the last line wins.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RESULTS = Path(os.environ.get("BAKERY_RELIABILITY_RESULTS") or REPO_ROOT / "tests" / "output" / "reliability")
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "reliability.md"


def read_cells(results_dir: Path) -> dict:
    """{(module, fault): cell} from every results-*.jsonl, in file-name then line order."""
    cells = {}
    for path in sorted(results_dir.glob("results-*.jsonl")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if not line.strip():
                continue
            try:
                cell = json.loads(line)
            except ValueError as error:
                raise SystemExit("%s line %d is not JSON (%s); clear %s and re-run the fault matrix" % (path, number, error, results_dir))
            cells[(cell["module"], cell["fault"])] = cell
    return cells


def matrix_modules() -> list:
    """The modules the matrix has scenarios for, so a missing cell shows as `not run` rather than vanishing."""
    try:
        from tests.integration.reliability.scenarios import SCENARIOS
    except ImportError:
        return []
    return sorted(SCENARIOS)


def matrix_cells() -> set | None:
    """The (module, profile) cells the matrix runs (an info module is not run under the after-commit profiles)."""
    try:
        from tests.integration.reliability.faults import FAULT_PROFILES, applies
        from tests.integration.reliability.scenarios import SCENARIOS
    except ImportError:
        return None
    return {(module, profile) for module, scenario in SCENARIOS.items() for profile in FAULT_PROFILES if applies(scenario, profile)}


def fault_profiles() -> tuple:
    """(profiles, seed) from the matrix's own definition, so the doc cannot drift from it."""
    try:
        from tests.integration.reliability.faults import FAULT_PROFILES, FAULT_SEED
    except ImportError:
        return {}, None
    return FAULT_PROFILES, FAULT_SEED


def describe_rule(rule: dict) -> str:
    text = "%s on `%s`" % (rule["kind"], rule.get("action", "*"))
    if rule.get("mutating"):
        text += " (mutating calls)"
    if rule.get("kind") == "latency":
        text += " +%d ms" % rule.get("latency_ms", 0)
    if rule.get("kind") == "after_commit":
        text += ", then %s" % ("the connection dropped" if rule.get("answer") == "drop" else "HTTP 500 InternalError")
    if rule.get("times_per_action"):
        text += ", the first %d answer(s) of each action per region" % rule["times_per_action"]
    if rule.get("rate", 1.0) < 1.0:
        text += " at %g %%" % (rule["rate"] * 100)
    return text


def verdict(cell, applicable=True) -> str:
    if not applicable:
        return "n/a"
    if cell is None:
        return "not run"
    if cell.get("passed"):
        return "**pass**"
    return "**FAIL** (known)" if cell.get("known_failure") else "**FAIL**"


def calls_summary(cell) -> str:
    if cell is None:
        return "–"
    parts = ["%s calls" % cell.get("first_run_calls", "?")]
    if cell.get("first_run_faulted"):
        parts.append("%d faulted" % cell["first_run_faulted"])
    text = ", ".join(parts)
    text += "; re-run %s calls, %s mutating" % (cell.get("second_run_calls", "?"), cell.get("second_run_mutating", "?"))
    return text


def failure_reason(cell) -> str:
    if not cell.get("first_run_ok", True):
        return "first run failed"
    if not cell.get("second_run_ok", True):
        return "re-run failed"
    if cell.get("second_run_mutating"):
        return "re-run made %d mutating call(s)" % cell["second_run_mutating"]
    return "AWS state or a changed flag was wrong (see the test's assertion)"


def render(cells: dict, profiles: dict, seed, expected_modules=(), expected_cells=None) -> str:
    modules = sorted({module for module, _ in cells} | set(expected_modules))
    faults = sorted({fault for _, fault in cells} | set(profiles))

    def applicable(module, fault):
        return expected_cells is None or (module, fault) in expected_cells or (module, fault) in cells

    missing = [(module, fault) for module in modules for fault in faults if applicable(module, fault) and (module, fault) not in cells]
    passed = sum(1 for cell in cells.values() if cell.get("passed"))
    known = sum(1 for cell in cells.values() if not cell.get("passed") and cell.get("known_failure"))
    lines = [
        "# Reliability: every module under every fault profile",
        "",
        "<!-- Generated by tests/benchmarks/reliability_report.py from the fault matrix's results-*.jsonl; do not edit. -->",
        "",
        "Generated by `make bench` from the fault matrix, "
        "`tests/integration/reliability/test_fault_matrix.py`. Each cell runs the module's scenario through a real "
        "`ansible-playbook` against the emulator with the fault profile applied to every AWS call, then runs it again "
        "under the same faults. A cell **passes** when the first run succeeds and reports a change, AWS holds exactly the "
        "expected resources (nothing duplicated), and the re-run succeeds with `changed: false` and **zero mutating calls**.",
        "",
        "The after-commit profiles lose the first answer of every mutating call (per action and region) *after* AWS "
        "carried it out, as a lost response does: the module's retry, or its next run, then meets what the lost call "
        "already did, and the cell counts what AWS holds (images of the name, copies, snapshots, parameter versions, "
        "launch template versions, key pairs, executions...). They are `n/a` for info modules, which change nothing.",
        "",
        ("**%d of %d cells pass.**" % (passed, len(cells)) + (" %d fail for a known cause (listed below)." % known if known else ""))
        if cells
        else "**No results found**: run the fault matrix first.",
        "",
    ]
    if missing:
        lines += [
            "**%d cell(s) have no result** (`not run` below): the matrix did not reach them (stopped early, or a cell "
            "crashed before it recorded its outcome)." % len(missing),
            "",
        ]
    lines += [
        "## Pass / fail",
        "",
        "| module | " + " | ".join(faults) + " |",
        "|---|" + "---|" * len(faults),
    ]
    for module in modules:
        lines.append("| `%s` | " % module + " | ".join(verdict(cells.get((module, fault)), applicable(module, fault)) for fault in faults) + " |")
    lines += [
        "",
        "## AWS calls per cell",
        "",
        "First run: every recorded call, faulted ones included (a throttled call that botocore retried counts twice). "
        "Re-run: calls and mutating calls under the same faults.",
        "",
        "| module | " + " | ".join(faults) + " |",
        "|---|" + "---|" * len(faults),
    ]
    for module in modules:
        lines.append(
            "| `%s` | " % module + " | ".join(calls_summary(cells.get((module, fault))) if applicable(module, fault) else "n/a" for fault in faults) + " |"
        )
    failures = [(key, cell) for key, cell in sorted(cells.items()) if not cell.get("passed") and not cell.get("known_failure")]
    known_failures = [(key, cell) for key, cell in sorted(cells.items()) if not cell.get("passed") and cell.get("known_failure")]
    if failures:
        lines += ["", "## Failing cells", ""]
        lines += ["- `%s` × `%s`: %s" % (module, fault, failure_reason(cell)) for (module, fault), cell in failures]
    if known_failures:
        lines += [
            "",
            "## Known failures (strict xfail)",
            "",
            "These cells fail for a known cause outside the test (a collection that does not yet survive a lost answer, "
            "or an emulator gap), as each says; the test marks them `xfail(strict=True)`, so the fix makes them fail "
            "until `KNOWN_FAILURES` in `tests/integration/reliability/faults.py` drops them.",
            "",
        ]
        lines += ["- `%s` × `%s`: %s" % (module, fault, cell["known_failure"]) for (module, fault), cell in known_failures]
    if profiles:
        lines += ["", "## Fault profiles", "", "Seed `%s` (fixed, so a failing cell replays exactly)." % seed, ""]
        lines += ["| profile | rules |", "|---|---|"]
        lines += ["| `%s` | %s |" % (name, "; ".join(describe_rule(rule) for rule in rules)) for name, rules in sorted(profiles.items())]
    lines += [
        "",
        "## Reproduce",
        "",
        "```",
        "export BAKERY_RELIABILITY_RESULTS=$(mktemp -d)   # default tests/output/reliability, shared with make test",
        ".venv/bin/python -m pytest -n 2 tests/integration/reliability/test_fault_matrix.py",
        ".venv/bin/python -m tests.benchmarks.reliability_report",
        "```",
        "",
        "or `make bench`, which also runs the benchmarks (docs/performance.md).",
        "",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    options = parser.parse_args(argv)
    cells = read_cells(options.results)
    profiles, seed = fault_profiles()
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(render(cells, profiles, seed, matrix_modules(), matrix_cells()))
    print("wrote %s: %d cells, %d failing" % (options.output, len(cells), sum(1 for cell in cells.values() if not cell.get("passed"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
