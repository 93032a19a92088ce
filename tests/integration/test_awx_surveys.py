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

from tests.ee.job_templates import (
    REPO_ROOT,
    SURVEY_TYPE_TO_SPEC_TYPES,
    job_template,
    job_templates,
    render,
    survey_defaults,
    workflow,
    workflow_extra_vars,
    workflow_node,
)
from tests.ee.playbook_specs import PlaybookSpec

TEMPLATES = job_templates()
QUESTIONS = [(template, question) for template in TEMPLATES for question in template["survey"]]


def _declared_options(template):
    """The argument spec options of the template's playbook ({} while it does not exist: another test says so)."""
    playbook = REPO_ROOT / template["playbook"]
    return PlaybookSpec(playbook).options if playbook.is_file() else {}


_OPTIONS = {template["name"]: _declared_options(template) for template in TEMPLATES}
# Survey questions the playbook declares as they are. The others are folded into one of the template's extra vars
# (the rollout's refresh preferences): the defaults test checks them through it.
DECLARED_QUESTIONS = [(template, question) for template, question in QUESTIONS if question["variable"] in _OPTIONS[template["name"]]]


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


@pytest.mark.parametrize("template,question", DECLARED_QUESTIONS, ids=_ids(DECLARED_QUESTIONS))
def test_survey_answer_type_fits_the_argument_spec_type(template, question):
    option = _spec_of(template).options[question["variable"]]
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


def test_workflow_runs_the_bake_then_an_approval_then_the_rollout():
    flow = workflow()
    chain = [
        (node["identifier"], node["unified_job_template"]["type"], [n["identifier"] for n in (node.get("related") or {}).get("success_nodes", [])])
        for node in flow["workflow_nodes"]
    ]
    assert chain == [("bake", "job_template", ["approve"]), ("approve", "workflow_approval", ["rollout"]), ("rollout", "job_template", [])]
    assert workflow_node(flow, "bake")["unified_job_template"]["name"] == job_template("bakery.ami bake")["name"]
    assert workflow_node(flow, "rollout")["unified_job_template"]["name"] == job_template("bakery.ami rollout")["name"]


def test_workflow_survey_asks_only_inputs_of_the_bake():
    bake_options = _OPTIONS["bakery.ami bake"]
    for question in workflow()["survey_spec"]["spec"]:
        assert question["variable"] in bake_options, question
        assert _errors(bake_options, {question["variable"]: question["default"]}) == [], question


def test_workflow_extra_vars_hold_no_jinja():
    """AWX renders Jinja only in a job template's own extra vars; the workflow's reach the jobs !unsafe, as text."""
    templated = {name: value for name, value in workflow()["extra_vars"].items() if "{{" in str(value)}
    assert templated == {}


def test_workflow_extra_vars_leave_what_the_bake_hands_over_to_its_artifacts():
    """In AWX the workflow's extra vars win over the artifacts of earlier jobs."""
    assert not {"bake_manifest", "rollout_layer"} & set(workflow_extra_vars(workflow()))


def test_rollout_in_the_workflow_needs_no_manifest_file():
    """Each workflow job runs in its own container: the rollout gets the bake's manifest as its artifacts
    (bake_manifest, rollout_layer; tests/integration/test_awx_workflow.py), never as a path."""
    rollout = job_template("bakery.ami rollout")
    assert "rollout_manifest" not in [question["variable"] for question in rollout["survey"]]
    assert "rollout_manifest" not in (rollout.get("extra_vars") or {})
    assert "rollout_manifest" not in workflow_extra_vars(workflow())
    assert {"bake_manifest", "rollout_layer"} <= set(_OPTIONS["bakery.ami rollout"])


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
