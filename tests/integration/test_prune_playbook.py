"""playbooks/prune.yml against the emulator."""

from pathlib import Path

from tests.integration.playbook_runner import run_playbook
from tests.unit.image_prune_family import make_family, own_images

PRUNE_PLAYBOOK = Path(__file__).resolve().parents[2] / "playbooks" / "prune.yml"
# As in vars/layers.yml: a layer lives in its home region (AWS_REGION here, us-east-1) and its copy regions.
LAYERS = [
    {"name": "web-server-000", "base": "debian12", "regions": [{"region": "eu-west-1", "kms_key_id": "alias/bakery"}]},
    {"name": "redis-001", "parent": "web-server-000"},
]


def test_prunes_only_the_requested_layer_in_its_regions(aws):
    web = dict((region, make_family(aws.client("ec2", region), "web-server-000", 3)) for region in ("us-east-1", "eu-west-1"))
    redis = make_family(aws.client("ec2"), "redis-001", 3)

    run = run_playbook(PRUNE_PLAYBOOK, aws.env, extra_vars={"bake_layers": LAYERS, "prune_layers": ["web-server-000"], "prune_keep": 1, "prune_older_than_days": 0, "prune_action": "deregister"})

    assert run.succeeded, run.stdout[-3000:]
    for region, image_ids in web.items():
        assert list(own_images(aws.client("ec2", region), "web-server-000")) == [image_ids[-1]]
    assert sorted(own_images(aws.client("ec2"), "redis-001")) == sorted(redis)


def test_a_bad_action_fails_validation_before_any_aws_call(aws):
    aws.control.clear_calls()

    run = run_playbook(PRUNE_PLAYBOOK, aws.env, extra_vars={"bake_layers": LAYERS, "prune_action": "delete"})

    assert not run.succeeded
    assert "prune_action" in run.stdout
    assert aws.control.calls() == []


def test_an_unknown_layer_is_refused_by_name(aws):
    run = run_playbook(PRUNE_PLAYBOOK, aws.env, extra_vars={"bake_layers": LAYERS, "prune_layers": ["web-server-009"]})

    assert not run.succeeded and "web-server-009" in run.stdout


def test_shared_images_are_kept_unless_the_playbook_is_told_to_include_them(aws):
    ec2 = aws.client("ec2")
    image_ids = make_family(ec2, "redis-001", 3)
    ec2.modify_image_attribute(ImageId=image_ids[0], LaunchPermission={"Add": [{"UserId": "222222222222"}]})
    extra_vars = {"bake_layers": LAYERS, "prune_layers": ["redis-001"], "prune_keep": 1, "prune_older_than_days": 0, "prune_action": "deregister"}

    kept = run_playbook(PRUNE_PLAYBOOK, aws.env, extra_vars=extra_vars)
    assert kept.succeeded, kept.stdout[-3000:]
    assert sorted(own_images(ec2, "redis-001")) == sorted([image_ids[0], image_ids[2]])

    pruned = run_playbook(PRUNE_PLAYBOOK, aws.env, extra_vars=dict(extra_vars, prune_include_shared=True))
    assert pruned.succeeded, pruned.stdout[-3000:]
    assert sorted(own_images(ec2, "redis-001")) == [image_ids[2]]
