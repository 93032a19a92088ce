"""The collection `ansible-galaxy collection build` makes from this checkout ships what users run (modules, their
shared code, roles, playbooks, docs, what ansible-builder reads) and none of what only tests and developers use."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path, PurePosixPath

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
ANSIBLE_GALAXY = Path(sys.executable).parent / "ansible-galaxy"
# Caches tools leave anywhere in a working tree.
CACHE_DIRS = frozenset({"__pycache__", ".ruff_cache", ".pytest_cache", ".mypy_cache"})
# Top-level entries only tests, CI and developers use.
DEV_ONLY_TOP_LEVEL = frozenset(
    {
        "tests",
        ".ci",
        ".venv",
        ".build",
        ".cache",
        ".collections",
        ".git",
        ".gitignore",
        ".ansible-lint",
        "Makefile",
        "requirements-dev.txt",
    }
)
# Files that configure the test runner, wherever they are.
TEST_RUNNER_FILES = frozenset({"conftest.py", "pytest.ini"})
DEV_ONLY_PATHS = frozenset({"docs/_build", "changelogs/.plugin-cache.yaml"})
# The trees users run or read, shipped whole (but for test-only parts and caches).
SHIPPED_TREES = ("plugins", "roles", "playbooks", "meta", "docs/docsite")
SHIPPED_FILES = (
    "README.md",
    "CHANGELOG.rst",
    "changelogs/changelog.yaml",
    "requirements.txt",
    "execution-environment.yml",
)


def why_test_or_dev_only(path):
    """Why ``path`` (relative to the collection root) is for tests or developers only; None when users need it."""
    parts = PurePosixPath(path).parts
    if parts[0] in DEV_ONLY_TOP_LEVEL:
        return "%s is for tests and developers" % parts[0]
    if "molecule" in parts:
        return "a Molecule scenario"
    if parts[-1] in TEST_RUNNER_FILES:
        return "pytest configuration"
    if CACHE_DIRS.intersection(parts) or path.endswith(".pyc"):
        return "a tool's cache"
    if any(path == dev_path or path.startswith(dev_path + "/") for dev_path in DEV_ONLY_PATHS):
        return "a build or changelog cache"
    return None


def working_tree_files(tree):
    """Every file under ``tree`` (relative to the repository) that users need, as paths relative to the repository."""
    found = []
    for directory, subdirectories, files in os.walk(REPO_ROOT / tree):
        relative_directory = Path(directory).relative_to(REPO_ROOT)
        subdirectories[:] = [
            name for name in subdirectories if not why_test_or_dev_only((relative_directory / name).as_posix())
        ]
        found += [(relative_directory / name).as_posix() for name in files]
    return {path for path in found if not why_test_or_dev_only(path)}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """Every file and directory of the collection artifact built from this checkout."""
    output = tmp_path_factory.mktemp("collection-build")
    build = subprocess.run(
        [str(ANSIBLE_GALAXY), "collection", "build", "--output-path", str(output), str(REPO_ROOT)],
        capture_output=True,
        text=True,
        cwd=str(REPO_ROOT),
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (artifact,) = output.glob("*.tar.gz")
    with tarfile.open(artifact) as tar:
        return {member.name for member in tar.getmembers()}


def test_the_built_collection_holds_no_test_or_development_file(shipped):
    unwanted = sorted("%s (%s)" % (path, why_test_or_dev_only(path)) for path in shipped if why_test_or_dev_only(path))
    assert unwanted == [], "extend build_ignore in galaxy.yml:\n" + "\n".join(unwanted)


def test_the_working_tree_has_test_only_files_for_the_build_to_leave_out():
    # Keeps the test above meaningful: the checkout really holds what it looks for.
    assert (REPO_ROOT / "conftest.py").is_file() and (REPO_ROOT / "pytest.ini").is_file()
    assert list(REPO_ROOT.glob("roles/*/molecule/*/molecule.yml"))


def test_the_built_collection_holds_every_plugin_role_playbook_and_document_users_run(shipped):
    expected = set(SHIPPED_FILES)
    for tree in SHIPPED_TREES:
        expected |= working_tree_files(tree)

    assert sorted(expected - shipped) == []


def test_the_built_collection_holds_each_role_s_tasks_the_modules_their_shared_code_and_the_runtime_metadata(shipped):
    # Named, so the comparison with the working tree above cannot pass on empty trees.
    roles = [path.name for path in (REPO_ROOT / "roles").iterdir() if path.is_dir()]
    assert roles and all("roles/%s/tasks/main.yml" % role in shipped for role in roles)
    assert {path.name for path in (REPO_ROOT / "plugins" / "modules").glob("*.py")} >= {"image.py", "image_copy.py"}
    for package in ("plugins/module_utils/_aws/", "plugins/module_utils/_ami/", "plugins/plugin_utils/"):
        assert any(path.startswith(package) and path.endswith(".py") for path in shipped), package
    assert "meta/runtime.yml" in shipped and "playbooks/bake.yml" in shipped


def test_the_built_collection_holds_the_dependency_files_ansible_builder_reads_from_it(shipped):
    # ansible-builder introspects an installed collection's meta/execution-environment.yml and the files it names.
    dependencies = yaml.safe_load((REPO_ROOT / "meta" / "execution-environment.yml").read_text())["dependencies"]
    named = {"meta/execution-environment.yml"}
    named |= {dependencies[kind] for kind in ("python", "system") if kind in dependencies}

    assert named == {"meta/execution-environment.yml", "requirements.txt", "bindep.txt"}
    assert sorted(named - shipped) == []
