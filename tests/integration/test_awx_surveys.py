"""AWX job templates (playbooks/vars/awx.yml) against the playbooks they launch.

Static: every survey variable is an input the target playbook validates up front (its argument spec), directly or
through the template's extra vars; survey types fit the spec types; every default and choice passes the spec.
The end-to-end runs (extra vars + survey defaults through ansible-runner against the emulator) are in
test_awx_job_templates.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from tests.ee.job_templates import REPO_ROOT, SURVEY_TYPE_TO_SPEC_TYPES, job_templates, render, survey_defaults
from tests.ee.playbook_specs import PlaybookSpec

TEMPLATES = job_templates()
QUESTIONS = [(template, question) for template in TEMPLATES for question in template["survey"]]


def _ids(pairs):
    return ["%s:%s" % (template["name"].split()[-1], question["variable"]) for template, question in pairs]


def _spec_of(template):
    playbook = REPO_ROOT / template["playbook"]
    if not playbook.is_file():
        pytest.fail("%s launches %s, which does not exist yet" % (template["name"], template["playbook"]))
    return PlaybookSpec(playbook)


def _errors(spec_options, values):
    """Argument spec errors for ``values`` (only the options given are checked, as validate_argument_spec does)."""
    spec = {name: dict(option) for name, option in spec_options.items() if name in values}
    for option in spec.values():
        option.pop("required", None)
    result = ArgumentSpecValidator(spec).validate(values)
    return [str(error) for error in result.errors]


def _consumers(template, variable):
    """Template extra vars whose value refers to ``variable`` (survey answers folded into a structured input)."""
    pattern = re.compile(r"\{\{[^}]*\b%s\b[^}]*\}\}" % re.escape(variable))
    return [name for name, value in (template.get("extra_vars") or {}).items() if pattern.search(str(value))]


@pytest.mark.parametrize("template", TEMPLATES, ids=[t["name"] for t in TEMPLATES])
def test_job_template_launches_an_existing_playbook(template):
    assert (REPO_ROOT / template["playbook"]).is_file(), "%s launches %s, which does not exist" % (
        template["name"],
        template["playbook"],
    )


@pytest.mark.parametrize("template", TEMPLATES, ids=[t["name"] for t in TEMPLATES])
def test_job_template_playbook_validates_its_input_up_front(template):
    assert _spec_of(template).has_up_front_validation, (
        "%s has no ansible.builtin.validate_argument_spec task: a wrong survey answer would fail late"
        % template["playbook"]
    )


@pytest.mark.parametrize("template,question", QUESTIONS, ids=_ids(QUESTIONS))
def test_survey_variable_is_an_input_the_playbook_validates(template, question):
    spec = _spec_of(template)
    variable = question["variable"]
    consumers = [name for name in _consumers(template, variable) if name in spec.options]
    assert variable in spec.options or consumers, (
        "survey variable %s of %s is neither an option of %s's argument spec (%s) nor used by one of the template's "
        "extra vars" % (variable, template["name"], template["playbook"], ", ".join(sorted(spec.options)))
    )


@pytest.mark.parametrize("template,question", QUESTIONS, ids=_ids(QUESTIONS))
def test_survey_answer_type_fits_the_argument_spec_type(template, question):
    spec = _spec_of(template)
    option = spec.options.get(question["variable"])
    if option is None:
        pytest.skip("folded into the template's extra vars (checked by the defaults test)")
    declared = option.get("type", "str")
    assert declared in SURVEY_TYPE_TO_SPEC_TYPES[question["type"]], (
        "survey question %s is %s but %s declares type %s"
        % (question["variable"], question["type"], template["playbook"], declared)
    )
    if question["type"] == "multiplechoice" and option.get("choices"):
        assert set(question["choices"]) <= {str(choice) for choice in option["choices"]}
    if question["type"] == "multiselect" and option.get("choices"):
        assert set(question["choices"]) <= {str(choice) for choice in option["choices"]}


@pytest.mark.parametrize("template,question", QUESTIONS, ids=_ids(QUESTIONS))
def test_every_survey_default_and_choice_passes_the_argument_spec(template, question):
    spec = _spec_of(template)
    variable = question["variable"]
    answers = [question["default"]] if "default" in question else []
    if question["type"] == "multiplechoice":
        answers += list(question["choices"])
    if question["type"] == "multiselect":
        answers.append(list(question["choices"]))
    for answer in answers:
        if variable in spec.options:
            assert _errors(spec.options, {variable: answer}) == [], "%s=%r" % (variable, answer)
        else:
            context = {**survey_defaults(template), variable: answer}
            for consumer in _consumers(template, variable):
                value = render(template["extra_vars"][consumer], context)
                assert _errors(spec.options, {consumer: value}) == [], "%s=%r -> %s=%r" % (
                    variable,
                    answer,
                    consumer,
                    value,
                )


def test_awx_configure_playbook_is_valid_ansible():
    completed = subprocess.run(
        [
            str(Path(sys.executable).parent / "ansible-playbook"),
            "--syntax-check",
            "-i",
            "localhost,",
            "playbooks/awx_configure.yml",
        ],
        cwd=str(REPO_ROOT),
        capture_output=True,
        text=True,
        env={"PATH": "%s:/usr/bin:/bin" % Path(sys.executable).parent, "ANSIBLE_NOCOLOR": "1"},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_workflow_passes_the_baked_layer_to_the_rollout():
    text = (REPO_ROOT / "playbooks" / "awx_configure.yml").read_text()
    assert "rollout_layer: \"{{ '{{ bake_layer }}' }}\"" in text
    for identifier in ("bake", "approve", "rollout"):
        assert "identifier: %s" % identifier in text


def test_job_template_surveys_render_to_awx_survey_specs(tmp_path):
    """The survey_spec awx_configure.yml sends: AWX's question fields, a multiselect default as one string of lines."""
    import json

    import yaml

    from tests.integration.playbook_runner import run_playbook

    configure = yaml.safe_load((REPO_ROOT / "playbooks" / "awx_configure.yml").read_text())[0]
    task = next(task for task in configure["tasks"] if task.get("name") == "Job templates")
    playbook = tmp_path / "render.yml"
    playbook.write_text(
        yaml.safe_dump(
            [
                {
                    "hosts": "localhost",
                    "gather_facts": False,
                    "vars_files": [str(REPO_ROOT / "playbooks" / "vars" / "awx.yml")],
                    "tasks": [
                        {
                            "name": "Render",
                            "ansible.builtin.debug": {"msg": "{{ awx_survey_questions }}"},
                            "loop": task["loop"],
                            "vars": task["vars"],
                        }
                    ],
                }
            ]
        )
    )
    run = run_playbook(playbook, {})
    assert run.succeeded, run.stdout[-2000:] + run.stderr[-2000:]
    rendered = {item["item"]["name"]: item["msg"] for item in run.task("Render")["results"]}
    for template in TEMPLATES:
        questions = rendered[template["name"]]
        assert [q["variable"] for q in questions] == [q["variable"] for q in template["survey"]]
        for question, source in zip(questions, template["survey"]):
            assert {"question_name", "variable", "type", "required"} <= set(question), json.dumps(question)
            if question["type"] == "multiselect":
                assert question["default"] == "\n".join(source["default"])
                assert isinstance(question["choices"], list)
