"""Every playbook checks its variables before anything else (validate_argument_spec), so an AWX job template with a
wrong survey answer fails at once, names the variable, and has made no AWS call."""

from __future__ import annotations

import time

import pytest

from tests.ee.playbook_specs import PlaybookSpec, job_playbooks
from tests.integration.playbook_runner import run_playbook

PLAYBOOKS = job_playbooks()
# A wrong answer per kind of option, and the argument spec message it must produce.
WRONG_ANSWERS = {
    "choices": "not-one-of-the-choices",
    "int": "twelve",
    "bool": "perhaps",
    "dict": "not a mapping",
    "list": {"not": "a list"},
}


def _kind(option):
    if option.get("choices"):
        return "choices"
    return option.get("type", "str")


def _wrong_inputs():
    """One option of each checkable kind per playbook (each run costs a few seconds)."""
    cases = []
    for playbook in PLAYBOOKS:
        spec = PlaybookSpec(playbook)
        seen = set()
        for name in sorted(spec.validated_by_task):
            kind = _kind(spec.options[name])
            if kind in WRONG_ANSWERS and kind not in seen:
                seen.add(kind)
                cases.append(pytest.param(playbook, name, WRONG_ANSWERS[kind], id="%s:%s" % (playbook.stem, name)))
    return cases


@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=[p.stem for p in PLAYBOOKS])
def test_playbook_validates_its_variables_before_any_other_task(playbook):
    spec = PlaybookSpec(playbook)
    assert spec.has_up_front_validation, (
        "%s has no ansible.builtin.validate_argument_spec task for its own variables (role argument specs only "
        "run when the role starts, after the plays before it)" % playbook.name
    )


@pytest.mark.parametrize("playbook,variable,wrong_answer", _wrong_inputs())
def test_wrong_answer_fails_at_once_naming_the_variable_without_any_aws_call(aws, playbook, variable, wrong_answer):
    started = time.monotonic()
    run = run_playbook(playbook, aws.env, extra_vars={variable: wrong_answer}, timeout=120)
    elapsed = time.monotonic() - started

    assert not run.succeeded, "%s accepted %s=%r" % (playbook.name, variable, wrong_answer)
    failed = [task for task in run.tasks() if task.failed]
    assert failed, run.stdout[-2000:] + run.stderr[-2000:]
    assert variable in str(failed[0].get("msg", "")) + str(failed[0].get("argument_errors", "")), failed[0]
    assert aws.control.calls() == [], "AWS was called before the input was checked"
    # ansible-playbook's own start-up takes a few seconds on a busy 2-core machine; the check itself is immediate.
    assert elapsed < 30
