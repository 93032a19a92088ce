"""The AWX workflow of playbooks/awx_configure.yml (bake -> approval -> rollout), node after node as AWX runs it:
each node's job template through ansible-runner (AWX's executor) with the extra vars AWX would give it, against the
podman-backed emulator. Between the nodes only what AWX carries: the workflow's extra vars and survey answers, and
the bake job's artifacts (its set_stats data, from ansible-runner's playbook_on_stats event). The bake job's private
data directory, with the manifest file in it, is gone before the rollout starts, as its container would be.

The bake runs on the marker layers of tests/ee/layers-ee.yml (named like the real chain, so the survey choices apply)."""

from __future__ import annotations

import shutil

import pytest

from tests.ee.job_templates import (
    TEST_LAYERS_FILE,
    job_artifacts,
    job_template,
    run_job_template,
    runner_output,
    survey_defaults,
    workflow,
    workflow_node,
    workflow_node_vars,
)
from tests.emulator.tests.autoscaling_arrangements import IMAGE_A, instance_images, launch_template_group
from tests.integration.bake_support import needs_podman, own_images, use_podman_instances
from tests.integration.playbook_runner import REPO_ROOT

pytestmark = needs_podman

# The workflow survey's answer: the first layer only (one builder; the default, the whole chain, builds four).
ANSWERS = {"bake_layer": "web-server-000"}
# Where the test's bake differs from a production one: the emulator's podman builders (reached with the tests'
# podman_pipelined connection, from ANSIBLE_CONNECTION_PLUGINS) and the marker layers. They go
# into the bake template's own extra vars, as a site's settings would: AWX writes those as they are, while every other
# extra var reaches the playbook !unsafe, which ansible-core 2.19 re-resolves as plain YAML ('' -> None).
EMULATOR_BAKE_VARS = {
    "bake_layers_file": str(TEST_LAYERS_FILE),
    "bake_connection": "podman_pipelined",
    "bake_hygiene_role": "",
    "bake_refresh_package_lists": False,
    "bake_poll_interval": 1,
    "bake_connect_timeout": 120,
}


@pytest.fixture
def podman_aws(aws):
    yield use_podman_instances(aws)
    aws.control.reset()


def test_rollout_node_rolls_out_the_image_the_bake_node_published_as_artifacts(podman_aws, tmp_path):
    flow = workflow()
    bake_template = job_template(workflow_node(flow, "bake")["unified_job_template"]["name"])
    bake_job_dir = tmp_path / "bake-job"
    bake_template["extra_vars"] = {
        **bake_template["extra_vars"], **EMULATOR_BAKE_VARS, "bake_manifest_path": str(bake_job_dir / "bake-manifest.json"),
    }
    rollout_template = job_template(workflow_node(flow, "rollout")["unified_job_template"]["name"])

    bake = run_job_template(bake_template, bake_job_dir, podman_aws.env, launch_vars=workflow_node_vars(flow, ANSWERS, {}),
                            extra_env={"ANSIBLE_CONNECTION_PLUGINS": str(REPO_ROOT / "tests" / "connection_plugins")})

    assert (bake.status, bake.rc) == ("successful", 0), runner_output(bake)
    (baked,) = own_images(podman_aws.client("ec2"), **{"bakery:layer": "web-server-000"})
    artifacts = job_artifacts(bake)
    assert artifacts["bake_manifest"]["layers"] == {"web-server-000": {"us-east-1": baked["ImageId"]}}
    assert artifacts["rollout_layer"] == "web-server-000"
    shutil.rmtree(bake_job_dir)

    # The approval passes the bake's artifacts on unchanged. The groups run plain instances, not containers.
    podman_aws.control.configure(podman_instances=False)
    autoscaling, ec2 = podman_aws.client("autoscaling"), podman_aws.client("ec2")
    groups = survey_defaults(rollout_template)["rollout_groups"]
    for group in groups:
        launch_template_group(autoscaling, ec2, group, IMAGE_A, capacity=2)

    rollout = run_job_template(rollout_template, tmp_path / "rollout-job", podman_aws.env, launch_vars=workflow_node_vars(flow, ANSWERS, artifacts))

    assert (rollout.status, rollout.rc) == ("successful", 0), runner_output(rollout)
    for group in groups:
        assert instance_images(autoscaling, ec2, group) == [baked["ImageId"]] * 2
