"""docs/reliability.md's renderer (tests/benchmarks/reliability_report.py): known failures, cells that do not
apply, and the after-commit rules are shown as what they are."""

from tests.benchmarks.reliability_report import describe_rule, matrix_cells, render
from tests.integration.reliability.faults import AFTER_COMMIT_PROFILES, FAULT_PROFILES
from tests.integration.reliability.scenarios import SCENARIOS

PROFILES = {"throttling_30pct": FAULT_PROFILES["throttling_30pct"], "after_commit_drop": FAULT_PROFILES["after_commit_drop"]}


def cell(module, fault, passed, known_failure=None):
    return {
        "module": module,
        "fault": fault,
        "passed": passed,
        "known_failure": known_failure,
        "first_run_ok": passed,
        "second_run_ok": True,
        "first_run_calls": 3,
        "first_run_faulted": 1,
        "second_run_calls": 1,
        "second_run_mutating": 0,
    }


def table_row(document, module):
    return next(line for line in document.splitlines() if line.startswith("| `%s` |" % module))


def test_a_known_failure_is_listed_with_its_reason_and_not_counted_as_a_pass():
    cells = {
        ("image", "throttling_30pct"): cell("image", "throttling_30pct", True),
        ("image", "after_commit_drop"): cell("image", "after_commit_drop", False, "CreateImage retried: InvalidAMIName.Duplicate"),
    }
    document = render(cells, PROFILES, 1, ["image"], set(cells))
    assert "**1 of 2 cells pass.** 1 fail for a known cause" in document
    assert "- `image` × `after_commit_drop`: CreateImage retried: InvalidAMIName.Duplicate" in document
    assert "**FAIL** (known)" in table_row(document, "image")
    assert "## Failing cells" not in document


def test_a_cell_the_matrix_does_not_run_is_not_applicable_rather_than_missing():
    cells = {("image_info", "throttling_30pct"): cell("image_info", "throttling_30pct", True)}
    document = render(cells, PROFILES, 1, ["image_info"], {("image_info", "throttling_30pct")})
    assert table_row(document, "image_info") == "| `image_info` | n/a | **pass** |"
    assert "have no result" not in document


def test_info_modules_are_not_run_under_after_commit_profiles():
    expected = matrix_cells()
    for module, scenario in SCENARIOS.items():
        for profile in AFTER_COMMIT_PROFILES:
            assert ((module, profile) in expected) is scenario.changes


def test_after_commit_rules_are_described_with_their_answer_and_limit():
    assert describe_rule(FAULT_PROFILES["after_commit_drop"][0]) == (
        "after_commit on `*` (mutating calls), then the connection dropped, the first 1 answer(s) of each action per region"
    )
