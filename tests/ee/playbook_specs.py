"""What each playbook validates up front: the argument spec of its `validate_argument_spec` tasks
(inline, or a play variable / vars file entry it names) plus the `main` argument specs of the roles it applies.

Shared by tests/integration/test_awx_surveys.py and tests/integration/test_playbook_validation.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
PLAYBOOKS_DIR = REPO_ROOT / "playbooks"
ROLES_DIR = REPO_ROOT / "roles"
VALIDATE_ACTIONS = ("ansible.builtin.validate_argument_spec", "validate_argument_spec")
# Playbooks that take no job-level input (AWX configuration runs outside AWX).
# bake_preflight.yml, bake_finish.yml and bake_report.yml are plays of bake.yml and patch.yml (imported), never jobs
# of their own.
NOT_JOB_PLAYBOOKS = {"awx_configure.yml", "bake_preflight.yml", "bake_finish.yml", "bake_report.yml"}
_TEMPLATE_NAME = re.compile(r"^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")


def job_playbooks():
    return sorted(p for p in PLAYBOOKS_DIR.glob("*.yml") if p.name not in NOT_JOB_PLAYBOOKS)


def _load(path):
    return yaml.safe_load(Path(path).read_text()) or {}


def _static_vars(play, playbook_path):
    """Play vars plus the vars files whose names are not templated."""
    found = {}
    for vars_file in play.get("vars_files") or []:
        if isinstance(vars_file, str) and "{{" not in vars_file:
            found.update(_load(playbook_path.parent / vars_file))
    found.update(play.get("vars") or {})
    return found


def _tasks(play):
    for section in ("pre_tasks", "tasks", "post_tasks"):
        yield from _walk(play.get(section) or [])


def _walk(tasks):
    for task in tasks:
        yield task
        for nested in ("block", "rescue", "always"):
            yield from _walk(task.get(nested) or [])


def _role_name(entry):
    name = entry if isinstance(entry, str) else entry.get("role") or entry.get("name")
    return name.split(".")[-1]


def role_argument_spec(role):
    specs_file = ROLES_DIR / role / "meta" / "argument_specs.yml"
    if not specs_file.exists():
        return {}
    return ((_load(specs_file).get("argument_specs") or {}).get("main") or {}).get("options") or {}


class PlaybookSpec:
    """The variables a playbook checks before it does anything."""

    def __init__(self, path):
        self.path = Path(path)
        self.options = {}  # variable -> argument spec entry
        self.validated_by_task = set()
        self.validated_by_role = set()
        for play in _load(self.path) or []:
            if "import_playbook" in play or "ansible.builtin.import_playbook" in play:
                continue
            play_vars = _static_vars(play, self.path)
            for task in _tasks(play):
                action = next((a for a in VALIDATE_ACTIONS if a in task), None)
                if action is None:
                    continue
                spec = self._resolve(task[action].get("argument_spec"), play_vars)
                self.options.update(spec)
                self.validated_by_task.update(spec)
            for role in play.get("roles") or []:
                spec = role_argument_spec(_role_name(role))
                for name, option in spec.items():
                    self.options.setdefault(name, option)
                self.validated_by_role.update(spec)

    def _resolve(self, spec, play_vars):
        if isinstance(spec, dict):
            return spec
        if isinstance(spec, str):
            match = _TEMPLATE_NAME.match(spec.strip())
            if match and isinstance(play_vars.get(match.group(1)), dict):
                return play_vars[match.group(1)]
        raise AssertionError(
            "%s: cannot read the argument_spec %r statically; give it inline or as a play/vars-file variable"
            % (self.path.name, spec)
        )

    @property
    def has_up_front_validation(self):
        return bool(self.validated_by_task)
