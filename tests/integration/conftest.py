"""Fixtures for integration tests: real ansible-playbook runs against the emulator."""

import pytest

from tests.integration.playbook_runner import run_tasks


@pytest.fixture
def playbook(aws, tmp_path):
    """``playbook(tasks, check=False, diff=False, extra_vars=None)`` runs tasks on localhost against the emulator."""

    def run(tasks, **options):
        return run_tasks(tmp_path, aws.env, tasks, **options)

    return run
