"""image_prune through real ansible-playbook runs against the emulator."""

import pytest

from tests.unit.image_prune_family import launched_days_ago, make_family, own_images

LAYER = "web-server-001"


@pytest.fixture
def ec2(aws):
    return aws.client("ec2")


def prune_task(**options):
    values = {"tags": {"bakery:layer": LAYER}, "regions": ["us-east-1"], "keep": 2, "action": "deregister"}
    values.update(options)
    return [{"name": "prune", "bakery.ami.image_prune": values}]


def test_a_second_run_reports_no_change_and_makes_no_mutating_call(aws, ec2, playbook):
    make_family(ec2, LAYER, 4)
    first = playbook(prune_task())
    assert first.task("prune").changed, first.stdout[-2000:]
    aws.control.clear_calls()

    second = playbook(prune_task())

    assert not second.task("prune").changed
    assert aws.control.mutating_calls() == []
    assert len(own_images(ec2, LAYER)) == 2


def test_check_mode_with_diff_changes_nothing_and_shows_each_image(aws, ec2, playbook):
    image_ids = make_family(ec2, LAYER, 3)
    aws.control.clear_calls()

    run = playbook(prune_task(), check=True, diff=True)

    task = run.task("prune")
    assert task.changed and [entry["image_id"] for entry in task["pruned"]] == [image_ids[0]]
    assert task["diff"]["after"]["us-east-1/%s" % image_ids[0]]["state"] == "deregistered"
    assert aws.control.mutating_calls() == []
    assert len(own_images(ec2, LAYER)) == 3


def test_bad_input_fails_naming_the_option_before_any_aws_call(aws, playbook):
    aws.control.clear_calls()

    run = playbook(prune_task(regions=["us-east-1", "mars-north-1"]))

    task = run.task("prune")
    assert task.failed and task["invalid_option"] == "regions[1]"
    assert "mars-north-1" in task["msg"]
    assert aws.control.calls() == []


def test_a_shared_image_and_a_recently_launched_image_survive_a_prune_that_would_otherwise_deregister_them(aws, ec2, playbook):
    image_ids = make_family(ec2, LAYER, 4)
    ec2.modify_image_attribute(ImageId=image_ids[0], LaunchPermission={"Add": [{"UserId": "222222222222"}]})
    launched_days_ago("us-east-1", image_ids[1], 2)

    run = playbook(prune_task(keep=1))

    task = run.task("prune")
    assert [entry["image_id"] for entry in task["pruned"]] == [image_ids[2]]
    assert sorted(own_images(ec2, LAYER)) == sorted([image_ids[0], image_ids[1], image_ids[3]])
    reasons = dict((entry["image_id"], entry["reason"]) for entry in task["kept"])
    assert reasons[image_ids[0]].startswith("shared (account 222222222222)")
    assert "within the last 7 days" in reasons[image_ids[1]]


def test_the_same_images_go_when_sharing_is_included_and_the_launch_window_is_off(ec2, playbook):
    image_ids = make_family(ec2, LAYER, 4)
    ec2.modify_image_attribute(ImageId=image_ids[0], LaunchPermission={"Add": [{"UserId": "222222222222"}]})
    launched_days_ago("us-east-1", image_ids[1], 2)

    assert playbook(prune_task(keep=1, include_shared=True, launched_within_days=0)).task("prune").changed

    assert sorted(own_images(ec2, LAYER)) == [image_ids[3]]
