"""playbooks/bake.yml's preflight (roles/bake/tasks/preflight.yml, bakery.ami.bake_preflight): a bake AWS would refuse
fails before any builder is launched, with every problem of every layer listed and no mutating call; the AWX bake job
template goes through the same preflight. Nothing here launches a builder, so no podman is needed."""

from __future__ import annotations

import yaml

from tests.ee.job_templates import job_template, run_job_template, runner_output
from tests.integration.bake_support import TINY_LAYERS, dry_run_and_mutating_calls, own_images, run_bake

SHARE_ACCOUNT = "111122223333"


def customer_key(aws, region, alias="alias/bakery"):
    kms = aws.client("kms", region=region)
    kms.create_alias(AliasName=alias, TargetKeyId=kms.create_key()["KeyMetadata"]["KeyId"])


def failure_message(run):
    return run.stdout.split("Preflight found", 1)[1].split('"', 1)[0] if "Preflight found" in run.stdout else run.stdout[-4000:]


def test_a_bake_with_a_missing_alias_a_region_not_enabled_and_sharing_under_the_aws_managed_key_fails_first_with_every_problem(aws, tmp_path):
    for region in ("us-east-1", "eu-west-1"):
        customer_key(aws, region)
    aws.control.clear_calls()

    run = run_bake(
        aws, tmp_path,
        bake_kms_key_id="alias/bakery",
        # us-west-2 has no alias/bakery; ap-east-1 is an opt-in region the account has not enabled; eu-west-1's copy
        # would be under the AWS managed key, which cannot be shared.
        bake_copy_regions=[{"region": "eu-west-1", "kms_key_id": "alias/aws/ebs"}, "us-west-2", "ap-east-1"],
        bake_share_accounts=[SHARE_ACCOUNT],
    )

    assert not run.succeeded
    message = failure_message(run)
    for layer in ("tiny-000", "tiny-001", "tiny-002"):
        assert "layer %s: copy region ap-east-1 (copy_regions[2]) is not enabled for this account" % layer in message, message
        assert "layer %s: kms_key_id (copy_regions[1]) 'alias/bakery' does not exist in us-west-2" % layer in message, message
        assert "layer %s: sharing with %s needs a customer managed key, but copy_regions[0].kms_key_id 'alias/aws/ebs' in eu-west-1 is managed by AWS" % (layer, SHARE_ACCOUNT) in message, message
    assert "Preflight found 9 problem(s); nothing was launched, copied or shared" in run.stdout
    dry_runs, mutating = dry_run_and_mutating_calls(aws)
    assert mutating == [] and dry_runs, "the preflight probes with DryRun and changes nothing"
    assert aws.control.counts().get("ec2:RunInstances", 0) == len([call for call in dry_runs if call["action"] == "RunInstances"])
    assert own_images(aws.client("ec2")) == []
    assert not (tmp_path / "bake-manifest.json").exists()


def test_a_denied_copy_image_is_named_by_the_preflight_and_nothing_is_launched(aws, tmp_path):
    aws.control.configure(denied_actions=["ec2:CopyImage"])
    aws.control.clear_calls()

    run = run_bake(aws, tmp_path, bake_layer="tiny-000", bake_copy_regions=["eu-west-1"])

    assert not run.succeeded
    assert "Preflight found 1 problem(s)" in run.stdout, run.stdout[-4000:]
    assert "layer tiny-000: missing IAM permission ec2:CopyImage in eu-west-1 (DryRun CopyImage answered UnauthorizedOperation" in run.stdout
    _, mutating = dry_run_and_mutating_calls(aws)
    assert mutating == []


def test_a_bake_aws_would_accept_passes_the_preflight_in_check_mode_with_no_mutating_call(aws, tmp_path):
    for region in ("us-east-1", "eu-west-1"):
        customer_key(aws, region)
    aws.control.clear_calls()

    plan = run_bake(aws, tmp_path, check=True, bake_kms_key_id="alias/bakery", bake_copy_regions=["eu-west-1"],
                    bake_share_accounts=[SHARE_ACCOUNT])

    assert plan.succeeded, plan.stdout[-4000:]
    assert "tiny-000: would build on ami-" in plan.stdout
    _, mutating = dry_run_and_mutating_calls(aws)
    assert mutating == []


def test_the_parent_of_a_layer_baked_alone_must_have_an_image(aws, tmp_path):
    run = run_bake(aws, tmp_path, bake_layer="tiny-001", bake_chain=False)

    assert not run.succeeded
    assert ("layer tiny-001: its parent layer tiny-000 has no available image of this account in us-east-1 and is not baked "
            "in this run") in run.stdout, run.stdout[-4000:]


def test_the_awx_bake_job_template_shares_only_under_a_customer_managed_key(aws, tmp_path):
    """The bake template with a share account and its survey's default KMS key (none) stops at the preflight."""
    template = job_template("bakery.ami bake")
    questions = {question["variable"]: question for question in template["survey"]}
    assert questions["bake_kms_key_id"]["type"] == "text" and "bake_home_region" in questions
    aws.control.clear_calls()

    run = run_job_template(template, tmp_path / "private", aws.env,
                           launch_vars={"bake_layer": "web-server-000", "bake_share_accounts": [SHARE_ACCOUNT]})

    output = runner_output(run)
    assert run.status == "failed", output
    assert "needs a customer managed key" in output and "Preflight found" in output, output
    _, mutating = dry_run_and_mutating_calls(aws)
    assert mutating == []


def test_a_layer_key_is_checked_for_that_layer_only(aws, tmp_path):
    layers = yaml.safe_load(TINY_LAYERS.read_text())
    layers["bake_layers"][1]["deprecate_after"] = "11y"
    layers_file = tmp_path / "layers.yml"
    layers_file.write_text(yaml.safe_dump(layers))

    run = run_bake(aws, tmp_path, check=True, layers_file=layers_file)

    assert not run.succeeded
    assert "Preflight found 1 problem(s)" in run.stdout, run.stdout[-4000:]
    assert "layer tiny-001: deprecate_at '11y' is more than 10 years ahead" in run.stdout
