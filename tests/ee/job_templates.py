"""The AWX job templates of playbooks/vars/awx.yml and the workflow of playbooks/awx_configure.yml as data, and runs
of them through ansible-runner (AWX's executor).

`run_job_template` is what AWX does on launch: extra vars = the template's extra vars + the survey answers
(here the defaults) + launch-time variables, written to env/extravars the way AWX writes them (values that are not
the template's own saved extra vars are `!unsafe`), inventory = localhost, cwd = the project (this repository).
`job_artifacts` and `workflow_node_vars` are what AWX does between the nodes of a workflow.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml
from jinja2.nativetypes import NativeEnvironment

REPO_ROOT = Path(__file__).resolve().parents[2]
AWX_VARS_FILE = REPO_ROOT / "playbooks" / "vars" / "awx.yml"
AWX_CONFIGURE_PLAYBOOK = REPO_ROOT / "playbooks" / "awx_configure.yml"
COLLECTIONS_ROOT = REPO_ROOT / ".collections"
TEST_ROLES = REPO_ROOT / "tests" / "ee" / "roles"
TEST_LAYERS_FILE = REPO_ROOT / "tests" / "ee" / "layers-ee.yml"

# AWX survey answer type -> argument spec types a playbook may declare for it.
SURVEY_TYPE_TO_SPEC_TYPES = {
    "text": {"str", "raw", "path"},
    "textarea": {"str", "raw"},
    "password": {"str", "raw"},
    "integer": {"int", "float", "raw"},
    "float": {"float", "raw"},
    "multiplechoice": {"str", "bool", "int", "raw"},
    "multiselect": {"list", "raw"},
}

_native = NativeEnvironment()


class _VarsLoader(yaml.SafeLoader):
    """Reads Ansible vars files: ``!unsafe`` marks a string Ansible must not template (here: Jinja meant for AWX)."""


_VarsLoader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def render(value, context):
    """Render Jinja in ``value`` (recursively) the way Ansible's native types would."""
    if isinstance(value, str) and "{{" in value:
        return _native.from_string(value).render(**context)
    if isinstance(value, dict):
        return {key: render(item, context) for key, item in value.items()}
    if isinstance(value, list):
        return [render(item, context) for item in value]
    return value


def awx_vars():
    raw = yaml.load(AWX_VARS_FILE.read_text(), Loader=_VarsLoader)  # noqa: S506 - a safe loader
    # Connection settings (lookups of the controller's environment) are not needed to read the templates.
    simple = {key: value for key, value in raw.items() if key != "awx_job_templates" and "lookup(" not in str(value)}
    simple = render(simple, raw)
    # Only the surveys are rendered now: extra vars refer to survey answers and are rendered at launch.
    templates = [{**template, "survey": render(template["survey"], simple)} for template in raw["awx_job_templates"]]
    return {**simple, "awx_job_templates": templates}


def job_templates():
    return awx_vars()["awx_job_templates"]


def job_template(name):
    return next(template for template in job_templates() if template["name"] == name)


def survey_defaults(template):
    return {question["variable"]: question["default"] for question in template["survey"] if "default" in question}


def workflow():
    """The workflow job template awx_configure.yml defines (name, survey_spec, extra_vars, workflow_nodes), rendered."""
    play = yaml.safe_load(AWX_CONFIGURE_PLAYBOOK.read_text())[0]
    task = next(task for task in play["tasks"] if "awx.awx.workflow_job_template" in task)
    context = awx_vars()
    context.update(render(task.get("vars") or {}, context))
    return render(task["awx.awx.workflow_job_template"], context)


def workflow_node(flow, identifier):
    return next(node for node in flow["workflow_nodes"] if node["identifier"] == identifier)


def workflow_extra_vars(flow, answers=None):
    """The workflow job's extra vars: the workflow template's extra vars, its survey defaults, the answers given."""
    defaults = {question["variable"]: question["default"] for question in flow["survey_spec"]["spec"] if "default" in question}
    return {**(flow.get("extra_vars") or {}), **defaults, **(answers or {})}


def workflow_node_vars(flow, answers, ancestor_artifacts):
    """What AWX launches a workflow node's job template with: the artifacts of the jobs before it (through approval
    nodes too), then the workflow job's extra vars, which win (awx/main/models/workflow.py,
    WorkflowJobNode.get_job_kwargs). Artifacts are passed whether or not the template asks for variables."""
    return {**ancestor_artifacts, **workflow_extra_vars(flow, answers)}


def job_artifacts(run):
    """What AWX keeps as a job's artifacts: the set_stats data (per_host: false) of the playbook, which ansible-runner
    reports in its playbook_on_stats event as artifact_data."""
    stats = [event for event in run.events if event.get("event") == "playbook_on_stats"]
    assert stats, "no playbook_on_stats event: the playbook did not finish"
    return stats[-1]["event_data"].get("artifact_data") or {}


class _UnsafeStringDumper(yaml.SafeDumper):
    """AWX's SafeStringDumper (awx/main/utils/safe_yaml.py): every string, key or value, becomes `!unsafe`."""

    def represent_data(self, data):
        if isinstance(data, str):
            return self.represent_scalar("!unsafe", data)
        return super().represent_data(data)


def awx_extravars_file(extra_vars, template):
    """env/extravars as AWX writes it (safe_dump, ALLOW_JINJA_IN_EXTRA_VARS = template, its default): a top-level
    variable equal to the template's own saved extra var stays as it is, so its Jinja is rendered; every other one
    (survey answers, launch-time variables, workflow extra vars, artifacts) is `!unsafe`, never rendered."""
    saved = template.get("extra_vars") or {}
    documents = []
    for name, value in extra_vars.items():
        dumper = yaml.SafeDumper if name in saved and saved[name] == value else _UnsafeStringDumper
        documents.append(yaml.dump({name: value}, Dumper=dumper, default_flow_style=False))
    return "".join(documents)


def launch_extra_vars(template, launch_vars=None):
    """What AWX hands the playbook: template extra vars (rendered with the answers) + survey answers + launch vars."""
    answers = survey_defaults(template)
    extra_vars = dict(template.get("extra_vars") or {})
    extra_vars.update(answers)
    extra_vars.update(launch_vars or {})
    return extra_vars


def run_job_template(template, private_data_dir, aws_env, launch_vars=None, extra_env=None):
    import ansible_runner

    (Path(private_data_dir) / "env").mkdir(parents=True, exist_ok=True)
    (Path(private_data_dir) / "env" / "extravars").write_text(awx_extravars_file(launch_extra_vars(template, launch_vars), template))
    env = {
        **aws_env,
        "PATH": "%s:%s" % (Path(sys.executable).parent, os.environ.get("PATH", "")),
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS_ROOT),
        "ANSIBLE_ROLES_PATH": str(TEST_ROLES),
        "ANSIBLE_NOCOLOR": "1",
        **(extra_env or {}),
    }
    return ansible_runner.run(
        private_data_dir=str(private_data_dir),
        project_dir=str(REPO_ROOT),
        playbook=template["playbook"],
        inventory="localhost ansible_connection=local ansible_python_interpreter=%s" % sys.executable,
        envvars=env,
        quiet=True,
        timeout=900,
    )


def runner_output(run):
    return run.stdout.read()[-6000:]
