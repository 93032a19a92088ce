"""Each AWX job template of playbooks/vars/awx.yml, launched as AWX launches it: its extra vars + the survey
defaults (+ the launch-time variables it asks for), through ansible-runner, against the emulator. The test arranges
only what an AWS account would already hold (images, Auto Scaling groups) and, for the bake, swaps the web-server
roles for a marker role on layers of the same names (tests/ee/layers-ee.yml).

The bake job template runs inside the execution environment, as in AWX: tests/ee/test_ee_bake.py."""

from __future__ import annotations

import json
import urllib.request

import pytest
import yaml

from ansible_collections.bakery.ami.plugins.plugin_utils.update_feed import fingerprint
from tests.ee.job_templates import REPO_ROOT, job_template, job_templates, run_job_template, runner_output, survey_defaults
from tests.emulator.tests.autoscaling_arrangements import IMAGE_A, instance_images, launch_template_group, own_image

# The newest fixture image of each base of playbooks/vars/layers.yml.
NEWEST_BASE_IMAGE = {"debian13": "ami-0de13a0d640000001", "debian12": "ami-0de12a0d640000002"}


def test_rollout_job_template_refreshes_the_groups_with_the_survey_preferences(aws, tmp_path):
    ec2, autoscaling = aws.client("ec2"), aws.client("autoscaling")
    template = job_template("bakery.ami rollout")
    defaults = survey_defaults(template)
    image_id = own_image(ec2, defaults["rollout_layer"])
    for group in defaults["rollout_groups"]:
        launch_template_group(autoscaling, ec2, group, IMAGE_A, capacity=2)
    manifest = tmp_path / "bake-manifest.json"
    manifest.write_text(json.dumps({"layers": {defaults["rollout_layer"]: {"us-east-1": image_id}}, "builds": []}))

    run = run_job_template(template, tmp_path / "job", aws.env, launch_vars={"rollout_manifest": str(manifest)})

    assert (run.status, run.rc) == ("successful", 0), runner_output(run)
    for group in defaults["rollout_groups"]:
        assert instance_images(autoscaling, ec2, group) == [image_id] * 2


def test_prune_job_template_keeps_the_newest_images_of_every_layer(aws, tmp_path):
    ec2 = aws.client("ec2")
    template = job_template("bakery.ami prune")
    images = [own_image(ec2, "web-server-000-%d" % build) for build in range(2)]
    for image_id in images:
        ec2.create_tags(Resources=[image_id], Tags=[{"Key": "bakery:layer", "Value": "web-server-000"}])

    run = run_job_template(template, tmp_path / "job", aws.env)

    assert (run.status, run.rc) == ("successful", 0), runner_output(run)
    # Two images, keep 3 and younger than 30 days: nothing is touched.
    described = ec2.describe_images(ImageIds=images)["Images"]
    assert [image["State"] for image in described] == ["available", "available"]
    assert all("DeprecationTime" not in image for image in described)

def test_patch_job_template_with_nothing_new_launches_nothing(aws, tmp_path):
    """The weekly schedule's run: every layer's newest image is on the newest base and has seen the current update
    feed (read here from Debian's security archive, as the playbook reads it), so nothing is launched or changed."""
    ec2 = aws.client("ec2")
    template = job_template("bakery.ami patch")
    layers = yaml.safe_load((REPO_ROOT / "playbooks" / "vars" / "layers.yml").read_text())
    base = next(layer["base"] for layer in layers["bake_layers"] if "base" in layer)
    feeds = layers["bake_base_images"][base]["update_feeds"]
    current_feed = fingerprint([(url, urllib.request.urlopen(url, timeout=60).read().decode()) for url in feeds])
    for layer in layers["bake_layers"]:
        image_id = own_image(ec2, layer["name"] + "-20261101T000000")
        tags = {"bakery:layer": layer["name"], "bakery:base-image": "us-east-1/" + NEWEST_BASE_IMAGE[base],
                "bakery:recipe-hash": "0" * 64, "bakery:update-feed": current_feed}
        ec2.create_tags(Resources=[image_id], Tags=[{"Key": key, "Value": value} for key, value in tags.items()])
    aws.control.clear_calls()

    run = run_job_template(template, tmp_path / "job", aws.env)

    output = run.stdout.read()
    assert (run.status, run.rc) == ("successful", 0), output[-6000:]
    assert output.count("nothing to patch, ") == len([layer for layer in layers["bake_layers"] if not layer.get("optional")]), output[-6000:]
    assert aws.control.mutating_calls() == []


def test_every_job_template_has_a_playbook_to_run():
    for template in job_templates():
        assert (REPO_ROOT / template["playbook"]).is_file(), "%s launches %s, which does not exist" % (template["name"], template["playbook"])
