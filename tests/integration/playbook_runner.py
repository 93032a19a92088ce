"""Run real `ansible-playbook` processes against the emulator and read their per-task results.

Results come from the `ansible.posix.json` stdout callback (shipped in the `ansible` package),
so a test can look at every task's result without registering and dumping variables.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS_ROOT = REPO_ROOT / ".collections"
VENV_BIN = Path(sys.executable).parent
# Built-ins that run on the controller, reach no AWS API and change nothing: all a playbook may run before it has
# checked its input (reading its own vars files included).
INPUT_CHECK_ACTIONS = frozenset(
    {
        "ansible.builtin.validate_argument_spec",
        "ansible.builtin.assert",
        "ansible.builtin.set_fact",
        "ansible.builtin.include_vars",
    }
)


class TaskResult:
    def __init__(self, name, result):
        self.name = name
        self.result = result

    @property
    def changed(self):
        return bool(self.result.get("changed"))

    @property
    def failed(self):
        return bool(self.result.get("failed"))

    def __getitem__(self, key):
        return self.result[key]

    def get(self, key, default=None):
        return self.result.get(key, default)

    def __repr__(self):
        return "TaskResult(%r, %r)" % (self.name, self.result)


class PlaybookRun:
    def __init__(self, completed, output):
        self.returncode = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.output = output

    @property
    def succeeded(self):
        return self.returncode == 0

    def tasks(self):
        """Every task's result on localhost, in order."""
        results = []
        for play in (self.output or {}).get("plays", []):
            for task in play.get("tasks", []):
                for host_result in task.get("hosts", {}).values():
                    results.append(TaskResult(task["task"]["name"], host_result))
        return results

    def refusal(self):
        """``(the task that stopped the run, the tasks before it)``: the stopping task is the first that failed, and
        no task ran after it."""
        tasks = self.tasks()
        failed = [index for index, task in enumerate(tasks) if task.failed]
        assert failed, "no task failed; ran: %s\n%s" % ([task.name for task in tasks], self.stderr[-3000:])
        stop = failed[0]
        ran_after = [task.name for task in tasks[stop + 1:]]
        assert not ran_after, "tasks ran after %r failed: %s" % (tasks[stop].name, ran_after)
        return tasks[stop], tasks[:stop]

    def task(self, name):
        matches = [task for task in self.tasks() if task.name == name]
        assert matches, "no task named %r ran; ran: %s\n%s" % (name, [t.name for t in self.tasks()], self.stderr[-3000:])
        return matches[-1]


def playbook_environment(aws_env, extra_env=None):
    env = dict(os.environ)
    env.update(aws_env)
    env.update(
        {
            "PATH": "%s:%s" % (VENV_BIN, env.get("PATH", "")),
            "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS_ROOT),
            # podman_pipelined: the emulator's podman-backed instances, one podman exec per module.
            "ANSIBLE_CONNECTION_PLUGINS": str(REPO_ROOT / "tests" / "connection_plugins"),
            "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json",
            "ANSIBLE_CALLBACK_RESULT_FORMAT": "json",
            "ANSIBLE_LOCALHOST_WARNING": "false",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ANSIBLE_NOCOLOR": "1",
        }
    )
    env.update(extra_env or {})
    return env


def run_tasks(tmp_path, aws_env, tasks, check=False, diff=False, extra_vars=None, extra_env=None, args=()):
    """Run a one-play playbook on localhost made of ``tasks`` (a list of dicts or a YAML string)."""
    if isinstance(tasks, str):
        tasks = yaml.safe_load(textwrap.dedent(tasks))
    playbook = [{"name": "test", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    path = Path(tmp_path) / "playbook.yml"
    path.write_text(yaml.safe_dump(playbook, sort_keys=False))
    return run_playbook(path, aws_env, check=check, diff=diff, extra_vars=extra_vars, extra_env=extra_env, args=args)


def run_playbook(path, aws_env, check=False, diff=False, extra_vars=None, extra_env=None, args=(), timeout=1800):
    command = [str(VENV_BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(path)]
    if check:
        command.append("--check")
    if diff:
        command.append("--diff")
    if extra_vars:
        command += ["-e", json.dumps(extra_vars)]
    command += list(args)
    completed = subprocess.run(
        command,
        env=playbook_environment(aws_env, extra_env),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(REPO_ROOT),
    )
    output = None
    start = completed.stdout.find("{")
    if start >= 0:
        try:
            output = json.loads(completed.stdout[start:])
        except ValueError:
            output = None
    return PlaybookRun(completed, output)
