"""The bad-input corpus: every case fails with a message naming the input, and changes nothing.

All cases of a module run in one playbook (each task ignores its own error), so the corpus stays
fast; the emulator's call log then shows which calls each module made, and the tasks' start and
end times tell which case made them.
"""

from collections import defaultdict
from datetime import datetime

import pytest

from tests.integration.reliability.bad_input_cases import CASES

CASES_BY_MODULE = defaultdict(list)
for _case in CASES:
    CASES_BY_MODULE[_case[1]].append(_case)


def _epoch(timestamp):
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


def _calls_by_task(run, calls):
    """``{task name: ["ec2:DescribeImages", ...]}`` for the calls made while each task ran."""
    spans = []
    for play in (run.output or {}).get("plays", []):
        for task in play.get("tasks", []):
            duration = task["task"].get("duration") or {}
            if duration.get("start") and duration.get("end"):
                spans.append((task["task"]["name"], _epoch(duration["start"]), _epoch(duration["end"])))
    found = defaultdict(list)
    for call in calls:
        names = [name for name, start, end in spans if start - 0.05 <= call["time"] <= end + 0.05]
        found[names[0] if names else "?"].append("%s:%s" % (call["service"], call["action"]))
    return dict(found)


def _run_cases(playbook, module, cases):
    return playbook([{"name": case_id, module: options, "ignore_errors": True} for case_id, _, options, _, _ in cases])


@pytest.mark.parametrize("module", sorted(CASES_BY_MODULE))
def test_bad_input_is_refused_naming_the_input_and_nothing_changes(aws, playbook, module):
    cases = CASES_BY_MODULE[module]
    before_any_call = [case for case in cases if case[4]]
    after_reads = [case for case in cases if not case[4]]
    aws.control.clear_calls()

    run = _run_cases(playbook, module, before_any_call)
    calls = aws.control.calls()
    assert calls == [], "cases made AWS calls before refusing their input: %s" % _calls_by_task(run, calls)
    run_after_reads = _run_cases(playbook, module, after_reads) if after_reads else None
    mutating = aws.control.mutating_calls()
    assert mutating == [], "cases made mutating calls: %s" % _calls_by_task(run_after_reads, mutating)

    problems = []
    for case_id, _, _, message, refused_before_any_call in cases:
        result = (run if refused_before_any_call else run_after_reads).task(case_id)
        if not result.failed:
            problems.append("%s: did not fail" % case_id)
        elif message not in result.get("msg", ""):
            problems.append("%s: message %r lacks %r" % (case_id, result.get("msg"), message))
    assert not problems, "\n".join(problems)

