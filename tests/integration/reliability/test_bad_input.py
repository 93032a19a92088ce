"""The bad-input corpus: every case fails with a message naming the input, and changes nothing.

All cases of a module run in one playbook (each task ignores its own error), so the corpus stays
fast; the emulator's call log then shows which calls each module made.
"""

from collections import defaultdict

import pytest

from tests.integration.reliability.bad_input_cases import CASES

CASES_BY_MODULE = defaultdict(list)
for _case in CASES:
    CASES_BY_MODULE[_case[1]].append(_case)


@pytest.mark.parametrize("module", sorted(CASES_BY_MODULE))
def test_bad_input_is_refused_naming_the_input_and_nothing_changes(aws, playbook, module):
    cases = CASES_BY_MODULE[module]
    before_any_call = [case for case in cases if case[4]]
    after_reads = [case for case in cases if not case[4]]
    aws.control.clear_calls()

    run = playbook([{"name": case_id, module: options, "ignore_errors": True} for case_id, _, options, _, _ in before_any_call])
    assert aws.control.calls() == [], "a case made an AWS call before refusing its input"
    run_after_reads = playbook([{"name": case_id, module: options, "ignore_errors": True} for case_id, _, options, _, _ in after_reads])
    assert aws.control.mutating_calls() == []

    problems = []
    for case_id, _, _, message, _ in cases:
        result = (run if any(case_id == c[0] for c in before_any_call) else run_after_reads).task(case_id)
        if not result.failed:
            problems.append("%s: did not fail" % case_id)
        elif message not in result.get("msg", ""):
            problems.append("%s: message %r lacks %r" % (case_id, result.get("msg"), message))
    assert not problems, "\n".join(problems)
