"""The image module through real ansible-playbook runs against the emulator."""

import pytest

DEBIAN_12 = "debian-12-amd64-20250510-2108"


@pytest.fixture
def ec2(aws):
    return aws.client("ec2")


@pytest.fixture
def builder(ec2):
    base = ec2.describe_images(Owners=["136693071363"], Filters=[{"Name": "name", "Values": [DEBIAN_12]}])["Images"][0]
    return ec2.run_instances(ImageId=base["ImageId"], MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]


def create_task(instance_id, **extra):
    options = {"name": "web-server-000-test", "instance_id": instance_id, "tags": {"bakery:layer": "web-server-000"}, "deprecate_at": "180d"}
    options.update(extra)
    return [{"name": "bake image", "bakery.ami.image": options}]


def own_images(ec2, name="web-server-000-test"):
    return ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [name]}])["Images"]


def test_create_then_rerun_makes_no_mutating_call(aws, ec2, builder, playbook):
    first = playbook(create_task(builder))
    assert first.succeeded, first.stdout[-2000:]
    assert first.task("bake image").changed
    aws.control.clear_calls()

    second = playbook(create_task(builder))

    assert second.succeeded
    assert not second.task("bake image").changed
    assert aws.control.mutating_calls() == []
    images = own_images(ec2)
    assert len(images) == 1 and images[0]["ImageId"] == first.task("bake image")["image_id"]


def test_check_mode_makes_no_mutating_call_and_creates_nothing(aws, ec2, builder, playbook):
    aws.control.clear_calls()
    run = playbook(create_task(builder), check=True, diff=True)
    assert run.succeeded
    assert run.task("bake image").changed
    assert aws.control.mutating_calls() == []
    assert own_images(ec2) == []


def test_snapshots_carry_the_image_tags(ec2, builder, playbook):
    run = playbook(create_task(builder, tags={"bakery:layer": "web-server-000", "team": "web"}))
    snapshot_ids = run.task("bake image")["snapshot_ids"]
    snapshots = ec2.describe_snapshots(SnapshotIds=snapshot_ids)["Snapshots"]
    assert all({"Key": "team", "Value": "web"} in snapshot["Tags"] for snapshot in snapshots)


def test_deprecation_time_is_held_by_aws(ec2, builder, playbook):
    playbook(create_task(builder, deprecate_at="2030-06-01T00:00:00Z"))
    assert own_images(ec2)[0]["DeprecationTime"].startswith("2030-06-01T00:00")


def test_diff_mode_shows_the_tag_change(builder, playbook):
    playbook(create_task(builder))
    run = playbook(create_task(builder, tags={"bakery:layer": "web-server-001"}), diff=True)
    diff = run.task("bake image")["diff"]
    assert diff["before"]["tags"] == {"bakery:layer": "web-server-000"}
    assert diff["after"]["tags"] == {"bakery:layer": "web-server-001"}


def test_deregister_removes_image_and_snapshots(ec2, builder, playbook):
    created = playbook(create_task(builder)).task("bake image")
    run = playbook([{"name": "retire", "bakery.ami.image": {"name": "web-server-000-test", "state": "absent"}}])
    assert run.task("retire").changed
    assert own_images(ec2) == []
    left = {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert not left & set(created["snapshot_ids"])


@pytest.mark.parametrize(
    "options, message",
    [
        ({"name": "x", "instance_id": "i-123"}, "name 'x' is not a name AWS accepts"),
        ({"name": "web-server", "instance_id": "i-nothex"}, "instance_id 'i-nothex' is not a valid instance id"),
        ({"name": "web-server", "instance_id": "i-0123456789abcdef0", "deprecate_at": "someday"}, "deprecate_at 'someday'"),
        ({"name": "web-server", "image_id": "ami-12"}, "image_id 'ami-12' is not a valid image id"),
        ({"name": "web-server", "instance_id": "i-0123456789abcdef0", "tags": {"aws:x": "y"}}, "reserved prefix"),
        ({"state": "absent"}, "absent needs name or image_id"),
    ],
)
def test_bad_input_fails_clearly_before_any_aws_call(aws, playbook, options, message):
    aws.control.clear_calls()
    run = playbook([{"name": "bad", "bakery.ami.image": options}])
    assert not run.succeeded
    assert message in run.task("bad")["msg"]
    assert aws.control.calls() == []


def test_thirty_percent_throttling_still_converges(aws, ec2, builder, playbook):
    aws.control.set_faults([{"action": "ec2:*", "kind": "throttle", "rate": 0.3}], seed=7)
    run = playbook(create_task(builder))
    assert run.succeeded, run.stdout[-2000:]
    aws.control.clear_faults()
    assert len(own_images(ec2)) == 1
    throttled = [call for call in aws.control.calls() if call.get("fault")]
    assert throttled, "the fault injection did not throttle anything"


def test_service_errors_and_dropped_connections_are_retried(aws, ec2, builder, playbook):
    aws.control.set_faults(
        [{"action": "ec2:*", "kind": "http_503", "rate": 0.1}, {"action": "ec2:*", "kind": "drop", "rate": 0.1}], seed=3
    )
    run = playbook(create_task(builder))
    assert run.succeeded, run.stdout[-2000:]
    aws.control.clear_faults()
    assert len(own_images(ec2)) == 1
