"""Wrong survey-like variables for the playbooks: each run stops at its input checks (validate_argument_spec and the
checks right after it), before any task that does work, names the variable, and has made no AWS call."""

from __future__ import annotations

import pytest

from tests.integration.playbook_runner import INPUT_CHECK_ACTIONS, REPO_ROOT, run_playbook

PLAYBOOKS = REPO_ROOT / "playbooks"
VALID_IMAGE = "ami-0123456789abcdef0"

# (case id, playbook, extra vars, fragment the first failed task's message must contain)
PLAYBOOK_CASES = [
    ("rollout-groups-not-a-list", "rollout.yml", {"rollout_groups": {"web": 1}, "rollout_image_ids": {"us-east-1": VALID_IMAGE}}, "rollout_groups"),
    ("rollout-keep-previous-not-a-number", "rollout.yml", {"rollout_groups": ["web"], "rollout_image_ids": {"us-east-1": VALID_IMAGE}, "rollout_keep_previous": "twelve"}, "rollout_keep_previous"),
    ("rollout-image-ids-not-a-map", "rollout.yml", {"rollout_groups": ["web"], "rollout_image_ids": "ami-0123456789abcdef0 in us-east-1"}, "rollout_image_ids"),
    ("rollout-groups-and-group-tags", "rollout.yml", {"rollout_groups": ["web"], "rollout_group_tags": {"role": "web"}, "rollout_image_ids": {"us-east-1": VALID_IMAGE}}, "rollout_groups and rollout_group_tags"),
    ("rollout-layer-without-manifest", "rollout.yml", {"rollout_groups": ["web"], "rollout_layer": "web-server-003"}, "rollout_manifest"),
    ("rollout-bake-manifest-without-layers", "rollout.yml", {"rollout_groups": ["web"], "rollout_layer": "web-server-003", "bake_manifest": {"us-east-1": VALID_IMAGE}}, "not in bake_manifest"),
    ("prune-unknown-action", "prune.yml", {"prune_action": "delete"}, "prune_action"),
    ("prune-keep-not-a-number", "prune.yml", {"prune_keep": "three"}, "prune_keep"),
    ("prune-unknown-layer", "prune.yml", {"prune_layers": ["no-such-layer"]}, "prune_layers names no-such-layer"),
    ("prune-regions-not-a-list", "prune.yml", {"prune_regions": {"us-east-1": True}}, "prune_regions"),
    ("bake-unknown-layer", "bake.yml", {"bake_layer": "no-such-layer"}, "no-such-layer"),
    ("bake-chain-not-a-boolean", "bake.yml", {"bake_chain": "perhaps"}, "bake_chain"),
]
# Cases the playbook does not meet yet, and why; strict, so the entry must go when the playbook is fixed.
KNOWN_GAPS = {}


def _params():
    for case_id, playbook, extra_vars, message in PLAYBOOK_CASES:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[case_id])] if case_id in KNOWN_GAPS else []
        yield pytest.param(playbook, extra_vars, message, id=case_id, marks=marks)


@pytest.mark.parametrize("playbook,extra_vars,message", list(_params()))
def test_wrong_playbook_variable_is_refused_before_any_work_naming_it_without_aws_calls(aws, playbook, extra_vars, message):
    aws.control.clear_calls()

    run = run_playbook(PLAYBOOKS / playbook, aws.env, extra_vars=extra_vars, timeout=120)

    assert not run.succeeded, "%s accepted %s" % (playbook, extra_vars)
    failure, before = run.refusal()
    text = str(failure.get("msg", "")) + str(failure.get("argument_errors", ""))
    assert message in text, failure
    assert aws.control.calls() == [], "AWS was called before the variables were checked"
    ran = before + [failure]
    worked = [(task.name, task.get("action")) for task in ran if task.get("action") not in INPUT_CHECK_ACTIONS]
    assert worked == [], "tasks other than input checks ran before the refusal"
