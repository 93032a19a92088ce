"""Helpers for the bake playbook tests: run bake.yml / bake_cleanup.yml against the podman-backed emulator,
and describe what the emulator holds afterwards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.emulator.extensions.podman_instances import DEBIAN12_IMAGE, runtime
from tests.integration.playbook_runner import REPO_ROOT, playbook_environment, run_playbook

FIXTURES = REPO_ROOT / "tests" / "integration" / "bake_fixtures"
TINY_LAYERS = FIXTURES / "layers-tiny.yml"
BAKE_PLAYBOOK = REPO_ROOT / "playbooks" / "bake.yml"
CLEANUP_PLAYBOOK = REPO_ROOT / "playbooks" / "bake_cleanup.yml"
HOME_REGION = "us-east-1"
# Every region a bake test copies to or describes.
EVERY_REGION = (HOME_REGION, "eu-west-1", "us-west-2")

needs_podman = pytest.mark.skipif(
    not runtime.is_available() or not runtime.image_exists(DEBIAN12_IMAGE),
    reason=f"needs podman and {DEBIAN12_IMAGE} (tests/molecule/setup-host.sh)",
)


def bake_vars(tmp_path, layers_file=TINY_LAYERS, **extra):
    settings = {
        "bake_layers_file": str(layers_file),
        "bake_connection": "podman_pipelined",
        "bake_hygiene_role": "",
        "bake_connect_timeout": 60,
        # A copy still pending when the bake finishes is looked at every 2 s, not every 15 s (the emulator's copies
        # take seconds).
        "bake_poll_interval": 2,
        "bake_manifest_path": str(tmp_path / "bake-manifest.json"),
        # Injected faults must fail at once, not after botocore's retries.
        "bake_aws_config": {"retries": {"max_attempts": 1}},
    }
    settings.update(extra)
    return settings


def bake_env(tmp_path):
    # TMPDIR: the build's working directory (its private key) is made under tmp_path, where a test can look for it.
    return {"ANSIBLE_ROLES_PATH": str(FIXTURES / "roles"), "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.default", "TMPDIR": str(tmp_path)}


def run_bake(aws, tmp_path, check=False, args=(), **extra):
    return run_playbook(BAKE_PLAYBOOK, aws.env, check=check, extra_vars=bake_vars(tmp_path, **extra), extra_env=bake_env(tmp_path),
                        args=args, timeout=900)


def inventory_with_group_vars(tmp_path, **group_vars):
    """``-i`` arguments adding an inventory whose group_vars/all.yml holds ``group_vars`` (they reach the layer hosts)."""
    directory = Path(tmp_path) / "inventory"
    (directory / "group_vars").mkdir(parents=True, exist_ok=True)
    (directory / "hosts.yml").write_text("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n")
    (directory / "group_vars" / "all.yml").write_text(json.dumps(group_vars))
    return ("-i", str(directory / "hosts.yml"))


def bake_manifest(tmp_path):
    return json.loads((Path(tmp_path) / "bake-manifest.json").read_text())


def dry_run_and_mutating_calls(aws):
    """(DryRun calls, mutating calls) the emulator recorded."""
    calls = aws.control.calls()
    return [call for call in calls if call["dry_run"]], [call for call in calls if call["mutating"]]


def run_cleanup(aws, tmp_path, **extra):
    return run_playbook(CLEANUP_PLAYBOOK, aws.env, extra_vars=bake_vars(tmp_path, **extra), extra_env=bake_env(tmp_path), timeout=300)


def bake_command_environment(aws, tmp_path):
    return playbook_environment(aws.env, bake_env(tmp_path))


def build_workdirs(tmp_path):
    """The bake's working directories (private key, layer variables) still on disk."""
    return sorted(path.name for path in Path(tmp_path).glob("bakery-*"))


def use_podman_instances(aws):
    """Instances become containers; remember the snapshots moto made for its fixture AMIs (leftovers() ignores them)."""
    aws.control.configure(podman_instances=True)
    aws.fixture_snapshots = {region: set(snapshot_ids(aws.client("ec2", region=region))) for region in EVERY_REGION}
    return aws


def snapshot_ids(ec2):
    return [snapshot["SnapshotId"] for snapshot in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]]


def own_images(ec2, **filters):
    request_filters = [{"Name": "tag:%s" % key, "Values": [value]} for key, value in filters.items()]
    return ec2.describe_images(Owners=["self"], Filters=request_filters)["Images"]


def tags_of(resource):
    return {tag["Key"]: tag["Value"] for tag in resource.get("Tags", [])}


def leftovers(aws, regions=EVERY_REGION):
    """Everything a bake may create, per region: live instances, key pairs, security groups, images, snapshots.

    moto gives each fixture AMI a snapshot owned by this account, some of them of AMIs DescribeImages does not show
    (deprecated, or only shared): those taken before the test (use_podman_instances) are not the bake's."""
    found = {}
    for region in regions:
        ec2 = aws.client("ec2", region=region)
        instances = [
            instance["InstanceId"]
            for reservation in ec2.describe_instances()["Reservations"]
            for instance in reservation["Instances"]
            if instance["State"]["Name"] != "terminated"
        ]
        key_pairs = [key_pair["KeyName"] for key_pair in ec2.describe_key_pairs()["KeyPairs"]]
        groups = [group["GroupId"] for group in ec2.describe_security_groups()["SecurityGroups"] if group["GroupName"].startswith("bakery-build-")]
        images = [image["ImageId"] for image in ec2.describe_images(Owners=["self"], IncludeDeprecated=True, IncludeDisabled=True)["Images"]]
        snapshots = sorted(set(snapshot_ids(ec2)) - aws.fixture_snapshots[region])
        what = {"instances": instances, "key_pairs": key_pairs, "security_groups": groups, "images": images, "snapshots": snapshots}
        if any(what.values()):
            found[region] = what
    return found
