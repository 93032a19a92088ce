"""playbooks/patch.yml against the podman-backed emulator: builders are containers, the update source is a fixture
apt repository mounted in them (tests/integration/patch_fixture_repo.py), the update feed is its Release file."""

from __future__ import annotations

import pytest

from tests.emulator.extensions.podman_instances import runtime
from tests.emulator.tests.autoscaling_arrangements import describe_group, launch_template_group
from tests.integration.bake_support import (
    FIXTURES,
    REPO_ROOT,
    bake_env,
    bake_vars,
    build_workdirs,
    leftovers,
    needs_podman,
    own_images,
    tags_of,
    use_podman_instances,
)
from tests.integration.patch_fixture_repo import DEMO_PACKAGE, SECURITY_ORIGIN, FixtureRepository
from tests.integration.playbook_runner import run_playbook

pytestmark = needs_podman

PATCH_LAYERS = FIXTURES / "layers-patch.yml"
BAKE_PLAYBOOK = REPO_ROOT / "playbooks" / "bake.yml"
PATCH_PLAYBOOK = REPO_ROOT / "playbooks" / "patch.yml"
LAYERS = ("patchy-000", "patchy-001")
OLDER_DEBIAN12 = "ami-0de12a0d640000001"
NEWEST_DEBIAN12 = "ami-0de12a0d640000002"


@pytest.fixture
def repo(tmp_path):
    repository = FixtureRepository(tmp_path / "repo")
    repository.add(DEMO_PACKAGE, "1.0")
    return repository


@pytest.fixture
def podman_aws(aws, repo):
    aws.control.configure(podman_volumes=[repo.volume])
    yield use_podman_instances(aws)
    aws.control.reset()


@pytest.fixture
def ec2(podman_aws):
    return podman_aws.client("ec2")


def run(playbook, aws, tmp_path, repo, check=False, **extra):
    if playbook == PATCH_PLAYBOOK:
        extra.setdefault("patch_role_vars", {"os_patch_apt_security_origins": [SECURITY_ORIGIN]})
    extra_vars = bake_vars(tmp_path, layers_file=PATCH_LAYERS, patch_fixture_repo=str(repo.root), **extra)
    return run_playbook(playbook, aws.env, check=check, extra_vars=extra_vars, extra_env=bake_env(tmp_path), timeout=900)


def newest(ec2, layer):
    return sorted(own_images(ec2, **{"bakery:layer": layer}), key=lambda image: image["CreationDate"])[-1]


def installed_version(image_id, package=DEMO_PACKAGE):
    """The package version inside an image (its container image, as the emulator committed it)."""
    return runtime._podman("run", "--rm", "--entrypoint", "dpkg-query", "localhost/bakery-emulator/%s:latest" % image_id,
                           "--showformat=${Version}", "--show", package)


def launches(aws):
    """Builders launched: RunInstances calls that are not the preflight's DryRun probes."""
    return len([call for call in aws.control.mutating_calls() if call["action"] == "RunInstances"])


def nothing_left_but_images(aws):
    return all(not found["instances"] and not found["key_pairs"] and not found["security_groups"] for found in leftovers(aws).values())


def test_patch_only_launches_when_the_feed_changed_patches_each_layer_in_place_and_the_next_bake_keeps_the_patches(podman_aws, ec2, tmp_path, repo):
    baked = run(BAKE_PLAYBOOK, podman_aws, tmp_path, repo)
    assert baked.succeeded, baked.stdout[-4000:]
    original = {layer: newest(ec2, layer) for layer in LAYERS}
    first_feed = tags_of(original["patchy-000"])["bakery:update-feed"]
    assert tags_of(original["patchy-001"])["bakery:update-feed"] == first_feed
    podman_aws.control.clear_calls()

    # Nothing new in the repository: nothing is launched, nothing changes.
    quiet = run(PATCH_PLAYBOOK, podman_aws, tmp_path, repo)

    assert quiet.succeeded, quiet.stdout[-4000:]
    assert podman_aws.control.mutating_calls() == []
    assert quiet.stdout.count("nothing to patch") == 2
    assert {layer: newest(ec2, layer)["ImageId"] for layer in LAYERS} == {layer: image["ImageId"] for layer, image in original.items()}

    # A security update lands. --check shows the plan and launches nothing; then each layer's newest image is patched in place.
    repo.add(DEMO_PACKAGE, "1.1")
    plan = run(PATCH_PLAYBOOK, podman_aws, tmp_path, repo, check=True)

    assert plan.succeeded, plan.stdout[-4000:]
    assert podman_aws.control.mutating_calls() == []
    assert "patchy-000: would patch " + original["patchy-000"]["ImageId"] in plan.stdout
    assert "patchy-001: would patch " + original["patchy-001"]["ImageId"] in plan.stdout

    patched_run = run(PATCH_PLAYBOOK, podman_aws, tmp_path, repo)

    assert patched_run.succeeded, patched_run.stdout[-4000:]
    assert launches(podman_aws) == 2
    patched = {layer: newest(ec2, layer) for layer in LAYERS}
    for layer in LAYERS:
        tags, before = tags_of(patched[layer]), tags_of(original[layer])
        assert patched[layer]["ImageId"] != original[layer]["ImageId"]
        assert tags["bakery:parent-image"] == "us-east-1/" + original[layer]["ImageId"]
        assert tags["bakery:patch-of"] == "us-east-1/" + original[layer]["ImageId"]
        assert tags["bakery:recipe-hash"] == before["bakery:recipe-hash"]
        assert tags["bakery:roles"] == before["bakery:roles"]
        assert tags["bakery:update-feed"] != first_feed
        assert tags["bakery:patched-at"].endswith("Z")
        assert installed_version(patched[layer]["ImageId"]) == "1.1"
    assert installed_version(original["patchy-001"]["ImageId"]) == "1.0"
    assert nothing_left_but_images(podman_aws)
    assert build_workdirs(tmp_path) == []
    podman_aws.control.clear_calls()

    # The next scheduled run has nothing to do, and a routine bake keeps the patched images (no rebuild).
    again = run(PATCH_PLAYBOOK, podman_aws, tmp_path, repo)
    rebake = run(BAKE_PLAYBOOK, podman_aws, tmp_path, repo)

    assert again.succeeded and rebake.succeeded, again.stdout[-3000:] + rebake.stdout[-3000:]
    assert podman_aws.control.mutating_calls() == []
    assert rebake.stdout.count("cache hit, ") == 2
    assert {layer: newest(ec2, layer)["ImageId"] for layer in LAYERS} == {layer: image["ImageId"] for layer, image in patched.items()}


def test_a_changed_feed_without_updates_for_the_image_makes_no_image_and_is_not_checked_twice(podman_aws, ec2, tmp_path, repo):
    baked = run(BAKE_PLAYBOOK, podman_aws, tmp_path, repo, bake_layer="patchy-000")
    assert baked.succeeded, baked.stdout[-4000:]
    image = newest(ec2, "patchy-000")
    # A package the image does not have: the feed changes, the image has nothing to update.
    repo.add("bakery-unrelated-demo", "2.0")

    checked = run(PATCH_PLAYBOOK, podman_aws, tmp_path, repo, patch_layer="patchy-000")

    assert checked.succeeded, checked.stdout[-4000:]
    assert launches(podman_aws) == 2  # the bake's builder and the patch's
    assert [found["ImageId"] for found in own_images(ec2, **{"bakery:layer": "patchy-000"})] == [image["ImageId"]], checked.stdout[-6000:]
    assert tags_of(newest(ec2, "patchy-000"))["bakery:update-feed"] != tags_of(image)["bakery:update-feed"]
    assert nothing_left_but_images(podman_aws)
    podman_aws.control.clear_calls()

    again = run(PATCH_PLAYBOOK, podman_aws, tmp_path, repo, patch_layer="patchy-000")

    assert again.succeeded, again.stdout[-4000:]
    assert podman_aws.control.mutating_calls() == []


def test_a_newer_base_image_rebuilds_the_chain_from_it(podman_aws, ec2, tmp_path, repo):
    older_base = {"debian12": {"image_ids": [OLDER_DEBIAN12], "ssh_user": "admin", "update_feeds": ["file://%s" % repo.release]}}
    baked = run(BAKE_PLAYBOOK, podman_aws, tmp_path, repo, bake_base_images=older_base)
    assert baked.succeeded, baked.stdout[-4000:]
    original = {layer: newest(ec2, layer)["ImageId"] for layer in LAYERS}
    assert tags_of(newest(ec2, "patchy-000"))["bakery:base-image"] == "us-east-1/" + OLDER_DEBIAN12

    # The layers file's own selector (name debian-12-amd64-*, newest) now finds a newer image than the chain's base.
    rebuilt = run(PATCH_PLAYBOOK, podman_aws, tmp_path, repo)

    assert rebuilt.succeeded, rebuilt.stdout[-4000:]
    root, child = newest(ec2, "patchy-000"), newest(ec2, "patchy-001")
    assert root["ImageId"] != original["patchy-000"] and child["ImageId"] != original["patchy-001"]
    assert tags_of(root)["bakery:base-image"] == "us-east-1/" + NEWEST_DEBIAN12
    assert tags_of(root)["bakery:parent-image"] == "us-east-1/" + NEWEST_DEBIAN12
    assert tags_of(child)["bakery:parent-image"] == "us-east-1/" + root["ImageId"]
    assert "bakery:patched-at" in tags_of(root) and "bakery:patch-of" not in tags_of(root)
    assert nothing_left_but_images(podman_aws)


def test_ssm_automation_method_patches_through_the_runbook_tags_the_lineage_and_hands_over_to_the_rollout(podman_aws, ec2, tmp_path, repo):
    baked = run(BAKE_PLAYBOOK, podman_aws, tmp_path, repo, bake_layer="patchy-000")
    assert baked.succeeded, baked.stdout[-4000:]
    original = newest(ec2, "patchy-000")
    autoscaling = podman_aws.client("autoscaling")
    launch_template_group(autoscaling, ec2, "web", original["ImageId"], capacity=0)
    repo.add(DEMO_PACKAGE, "1.1")
    podman_aws.control.clear_calls()

    patched_run = run(PATCH_PLAYBOOK, podman_aws, tmp_path, repo, patch_layer="patchy-000", patch_method="ssm_automation",
                      patch_ssm_parameters={"IamInstanceProfileName": "ManagedInstanceProfile", "InstanceType": "t3.small"},
                      patch_rollout=True, rollout_groups=["web"])

    assert patched_run.succeeded, patched_run.stdout[-4000:]
    counts = podman_aws.control.counts()
    assert counts.get("ssm:StartAutomationExecution") == 1
    patched = newest(ec2, "patchy-000")
    tags = tags_of(patched)
    assert patched["ImageId"] != original["ImageId"]
    assert tags["bakery:patch-method"] == "ssm_automation:AWS-UpdateLinuxAmi"
    assert tags["bakery:patch-of"] == "us-east-1/" + original["ImageId"]
    assert tags["bakery:recipe-hash"] == tags_of(original)["bakery:recipe-hash"]
    assert tags["bakery:update-feed"] != tags_of(original)["bakery:update-feed"]
    # patch_rollout: the group now launches the patched image.
    template = describe_group(autoscaling, "web")["LaunchTemplate"]
    version = ec2.describe_launch_template_versions(LaunchTemplateId=template["LaunchTemplateId"], Versions=[template["Version"]])
    assert version["LaunchTemplateVersions"][0]["LaunchTemplateData"]["ImageId"] == patched["ImageId"]


def test_unknown_layer_and_method_are_refused_before_any_aws_call(aws, tmp_path, repo):
    for extra, named in (({"patch_layer": "no-such-layer"}, "no-such-layer"), ({"patch_method": "magic"}, "patch_method")):
        refused = run(PATCH_PLAYBOOK, aws, tmp_path, repo, **extra)
        assert not refused.succeeded
        assert named in refused.stdout, refused.stdout[-3000:]
    assert aws.control.calls() == []
