"""The AWX job templates of playbooks/vars/awx.yml as data, and runs of them through ansible-runner (AWX's executor).

`run_job_template` is what AWX does on launch: extra vars = the template's extra vars + the survey answers
(here the defaults) + launch-time variables, inventory = localhost, cwd = the project (this repository).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml
from jinja2.nativetypes import NativeEnvironment

REPO_ROOT = Path(__file__).resolve().parents[2]
AWX_VARS_FILE = REPO_ROOT / "playbooks" / "vars" / "awx.yml"
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


def launch_extra_vars(template, launch_vars=None):
    """What AWX hands the playbook: template extra vars (rendered with the answers) + survey answers + launch vars."""
    answers = survey_defaults(template)
    extra_vars = dict(template.get("extra_vars") or {})
    extra_vars.update(answers)
    extra_vars.update(launch_vars or {})
    return extra_vars


def run_job_template(template, private_data_dir, aws_env, launch_vars=None, extra_env=None):
    import ansible_runner

    Path(private_data_dir).mkdir(parents=True, exist_ok=True)
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
        extravars=launch_extra_vars(template, launch_vars),
        envvars=env,
        quiet=True,
        timeout=900,
    )


def runner_output(run):
    return run.stdout.read()[-6000:]
