"""What the collection claims is what its tests run: the ansible-core floor (meta/runtime.yml, the roles' meta, the
guides) is the ansible-core release the tests pin, and each role's platforms are the ones Molecule runs it on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

REPO_ROOT = Path(__file__).resolve().parents[2]
ROLES = sorted(path.name for path in (REPO_ROOT / "roles").iterdir() if (path / "meta" / "main.yml").is_file())
# The container images the Molecule scenarios and the emulator's builders run, as the platform each one is
# (tests/molecule/setup-host.sh builds them; the stand-in has Amazon Linux 2023's facts and dnf, not its RPMs).
PLATFORM_OF_IMAGE = {
    "localhost/bakery/debian13:latest": ("Debian", "trixie"),
    "localhost/bakery/debian12:latest": ("Debian", "bookworm"),
    "localhost/bakery/al2023-standin:latest": ("Amazon Linux", "2023"),
}
# The base images the bake tests look up (bake_base_images[*].name), as the platform of the builder they start
# (tests/emulator/extensions/podman_instances.py runs each fixture AMI as the container of its platform above).
PLATFORM_OF_BASE_IMAGE_NAME = {
    "debian-13-": ("Debian", "trixie"),
    "debian-12-": ("Debian", "bookworm"),
    "al2023-ami-": ("Amazon Linux", "2023"),
}
BAKE_TEST_LAYER_FILES = sorted((REPO_ROOT / "tests" / "integration" / "bake_fixtures").glob("layers-*.yml")) + [
    REPO_ROOT / "tests" / "ee" / "layers-ee.yml"
]
PATCH_TEST_LAYER_FILE = REPO_ROOT / "tests" / "integration" / "bake_fixtures" / "layers-patch.yml"
# The role the bake applies in patch mode (roles/bake/defaults/main.yml: bake_patch_role).
PATCH_ROLE = "os_patch"
# Where users read which ansible-core the collection needs.
GUIDES = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs" / "docsite" / "rst").glob("*.rst"))]
STATED_CORE_VERSION = re.compile(r"ansible-core`{0,2}\s+(\d+\.\d+)(?:\.\d+)?\s+or\s+later")


def _load(path):
    return yaml.safe_load(Path(path).read_text())


def pinned_ansible_core():
    """The ansible-core release requirements-dev.txt installs for every test layer."""
    found = re.findall(r"^ansible-core==(\S+)\s*$", (REPO_ROOT / "requirements-dev.txt").read_text(), re.MULTILINE)
    assert len(found) == 1, "requirements-dev.txt must pin ansible-core exactly once, found %s" % found
    return Version(found[0])


def requires_ansible():
    return SpecifierSet(_load(REPO_ROOT / "meta" / "runtime.yml")["requires_ansible"])


def requires_ansible_floor():
    floors = [Version(specifier.version) for specifier in requires_ansible() if specifier.operator == ">="]
    assert len(floors) == 1, "meta/runtime.yml requires_ansible needs exactly one '>=' floor: %s" % requires_ansible()
    return floors[0]


def major_minor(version):
    return "%d.%d" % (version.major, version.minor)


def molecule_scenarios_run():
    """(project directory, scenario) of every Molecule scenario tests/molecule/run-all.sh runs."""
    script = (REPO_ROOT / "tests" / "molecule" / "run-all.sh").read_text()
    entries = re.findall(r'^\s*"[^"|]+\|([^"|]+)\|([^"|]+)"\s*$', script, re.MULTILINE)
    assert entries, "no scenario entries found in tests/molecule/run-all.sh"
    return [(REPO_ROOT / project, scenario) for project, scenario in entries]


def roles_converged(scenario_directory, project):
    """The roles a scenario applies: a role's own scenario applies that role; a shared one, those its converge lists."""
    if project.parent == REPO_ROOT / "roles":
        return {project.name}
    plays = _load(scenario_directory / "converge.yml") or []
    named = set()
    for play in plays:
        for entry in play.get("roles") or []:
            named.add((entry if isinstance(entry, str) else entry["role"]).split(".")[-1])
    return named


def platforms_molecule_runs():
    """``{role: {(platform name, version), ...}}`` over every scenario run-all.sh runs."""
    tested = {}
    for project, scenario in molecule_scenarios_run():
        scenario_directory = project / "molecule" / scenario
        images = [platform["image"] for platform in _load(scenario_directory / "molecule.yml")["platforms"]]
        unknown = sorted(set(images) - set(PLATFORM_OF_IMAGE))
        assert not unknown, "%s runs %s: add them to PLATFORM_OF_IMAGE" % (scenario_directory, unknown)
        for role in roles_converged(scenario_directory, project):
            tested.setdefault(role, set()).update(PLATFORM_OF_IMAGE[image] for image in images)
    return tested


def platforms_claimed(role):
    galaxy_info = _load(REPO_ROOT / "roles" / role / "meta" / "main.yml")["galaxy_info"]
    platforms = galaxy_info.get("platforms") or []
    return {(platform["name"], str(version)) for platform in platforms for version in platform["versions"]}


def platforms_the_bake_tests_bake_on():
    found = set()
    for layers_file in BAKE_TEST_LAYER_FILES:
        for base in (_load(layers_file).get("bake_base_images") or {}).values():
            name = base["name"]
            matches = [platform for prefix, platform in PLATFORM_OF_BASE_IMAGE_NAME.items() if name.startswith(prefix)]
            assert matches, "%s: base image %r: add its platform to PLATFORM_OF_BASE_IMAGE_NAME" % (layers_file, name)
            found.update(matches)
    return found


def platforms_the_patch_tests_patch_on():
    """The patch playbook's integration tests (tests/integration/test_patch_playbook.py) apply the bake's patch role,
    os_patch, to builders of layers-patch.yml's base images."""
    assert _load(REPO_ROOT / "roles" / "bake" / "defaults" / "main.yml")["bake_patch_role"] == PATCH_ROLE
    found = set()
    for base in (_load(PATCH_TEST_LAYER_FILE).get("bake_base_images") or {}).values():
        found.update(platform for prefix, platform in PLATFORM_OF_BASE_IMAGE_NAME.items() if base["name"].startswith(prefix))
    return found


def test_the_ansible_core_floor_is_the_release_the_tests_pin():
    pinned, floor = pinned_ansible_core(), requires_ansible_floor()

    assert major_minor(floor) == major_minor(pinned), (
        "meta/runtime.yml requires_ansible %s, but every test runs ansible-core %s (requirements-dev.txt): claim only "
        "what is tested" % (requires_ansible(), pinned)
    )
    assert pinned in requires_ansible()


def test_the_execution_environment_installs_the_ansible_core_the_tests_pin():
    ansible_core = _load(REPO_ROOT / "execution-environment.yml")["dependencies"]["ansible_core"]["package_pip"]
    assert ansible_core == "ansible-core==%s" % pinned_ansible_core()


@pytest.mark.parametrize("role", ROLES)
def test_the_role_needs_the_ansible_core_the_collection_requires(role):
    galaxy_info = _load(REPO_ROOT / "roles" / role / "meta" / "main.yml")["galaxy_info"]
    assert str(galaxy_info["min_ansible_version"]) == major_minor(requires_ansible_floor())


def test_the_guides_state_the_ansible_core_the_collection_requires():
    stated = {
        (guide.relative_to(REPO_ROOT).as_posix(), version)
        for guide in GUIDES
        for version in STATED_CORE_VERSION.findall(guide.read_text())
    }

    assert stated, "no guide says which ansible-core is required"
    assert {version for _, version in stated} == {major_minor(requires_ansible_floor())}, sorted(stated)


@pytest.mark.parametrize("role", ROLES)
def test_the_role_claims_exactly_the_platforms_its_tests_run_it_on(role):
    tested = platforms_molecule_runs().get(role)
    if tested is None:
        # Only bake has no Molecule scenario: it runs against the builders of the integration and EE bakes.
        assert role == "bake", "%s has no Molecule scenario run by tests/molecule/run-all.sh" % role
        tested = platforms_the_bake_tests_bake_on()
    if role == PATCH_ROLE:
        tested = tested | platforms_the_patch_tests_patch_on()

    assert sorted(platforms_claimed(role)) == sorted(tested)
