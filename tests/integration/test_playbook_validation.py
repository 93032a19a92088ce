"""Every playbook checks its variables before anything else (validate_argument_spec), so an AWX job template with a
wrong survey answer is refused by that check, before any task that does work, names the variable, and has made no
AWS call."""

from __future__ import annotations

import pytest

from tests.ee.playbook_specs import PlaybookSpec, job_playbooks
from tests.integration.playbook_runner import INPUT_CHECK_ACTIONS, run_playbook

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
def test_wrong_answer_is_refused_by_the_argument_spec_before_any_work_naming_the_variable_without_any_aws_call(
    aws, playbook, variable, wrong_answer
):
    run = run_playbook(playbook, aws.env, extra_vars={variable: wrong_answer}, timeout=120)

    assert not run.succeeded, "%s accepted %s=%r" % (playbook.name, variable, wrong_answer)
    refusal, before = run.refusal()
    assert refusal.get("action") == "ansible.builtin.validate_argument_spec", refusal
    assert variable in str(refusal.get("msg", "")) + str(refusal.get("argument_errors", "")), refusal
    assert aws.control.calls() == [], "AWS was called before the input was checked"
    worked = [(task.name, task.get("action")) for task in before if task.get("action") not in INPUT_CHECK_ACTIONS]
    assert worked == [], "tasks other than input checks ran before the refusal"
