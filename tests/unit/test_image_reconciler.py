"""The image module's core against the emulator: what AWS holds after each run."""

import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._image.reconciler import (
    ImageNameTakenError,
    ImageProtectedError,
    ImageReconciler,
    reconcile_image,
)
from tests.unit.image_fixtures import FAST_BACKOFF, launch_builder, regional_api, request


@pytest.fixture
def ec2(aws):
    return aws.client("ec2")


def run(ec2, check_mode=False, **params):
    return reconcile_image(regional_api(ec2), request(**params), check_mode, FAST_BACKOFF)


def own_images(ec2, name):
    return ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [name]}])["Images"]


def test_creating_from_an_instance_tags_the_image_and_its_snapshots(ec2):
    instance_id = launch_builder(ec2)
    result = run(ec2, name="web-000", instance_id=instance_id, tags={"bakery:layer": "web-server-000"})

    assert result["changed"]
    image = own_images(ec2, "web-000")[0]
    assert image["ImageId"] == result["image_id"]
    assert {"Key": "bakery:layer", "Value": "web-server-000"} in image["Tags"]
    snapshots = ec2.describe_snapshots(SnapshotIds=result["snapshot_ids"])["Snapshots"]
    assert snapshots and all({"Key": "bakery:layer", "Value": "web-server-000"} in s.get("Tags", []) for s in snapshots)


def test_a_second_run_adopts_the_image_by_name_without_mutating_calls(aws, ec2):
    instance_id = launch_builder(ec2)
    first = run(ec2, name="web-000", instance_id=instance_id, tags={"a": "1"})
    aws.control.clear_calls()

    second = run(ec2, name="web-000", instance_id=instance_id, tags={"a": "1"})

    assert not second["changed"]
    assert second["image_id"] == first["image_id"]
    assert aws.control.mutating_calls() == []
    assert len(own_images(ec2, "web-000")) == 1


def test_check_mode_plans_a_creation_without_mutating_calls(aws, ec2):
    instance_id = launch_builder(ec2)
    aws.control.clear_calls()

    result = run(ec2, check_mode=True, name="web-000", instance_id=instance_id)

    assert result["changed"] and result["actions"] == ["create image from instance"]
    assert aws.control.mutating_calls() == []
    assert own_images(ec2, "web-000") == []


def test_waiting_returns_the_image_once_available(aws, ec2):
    aws.control.configure(pending_seconds=0.5)
    instance_id = launch_builder(ec2)
    result = run(ec2, name="web-000", instance_id=instance_id)
    assert result["image"]["state"] == "available"


def test_without_wait_the_pending_image_is_returned(aws, ec2):
    # Pending for a day: however slow the machine, the image cannot become available during the test.
    aws.control.configure(pending_seconds=86400)
    instance_id = launch_builder(ec2)
    result = run(ec2, name="web-000", instance_id=instance_id, wait=False)
    assert result["image"]["state"] == "pending"


def test_purging_tags_removes_unlisted_ones_from_image_and_snapshots(ec2):
    instance_id = launch_builder(ec2)
    created = run(ec2, name="web-000", instance_id=instance_id, tags={"keep": "1", "drop": "2"})

    result = run(ec2, name="web-000", tags={"keep": "1"})

    assert result["changed"]
    image = own_images(ec2, "web-000")[0]
    assert image["Tags"] == [{"Key": "keep", "Value": "1"}]
    snapshot = ec2.describe_snapshots(SnapshotIds=created["snapshot_ids"])["Snapshots"][0]
    assert snapshot["Tags"] == [{"Key": "keep", "Value": "1"}]


def test_description_is_updated_in_place(ec2):
    instance_id = launch_builder(ec2)
    run(ec2, name="web-000", instance_id=instance_id, description="first")
    run(ec2, name="web-000", description="second")
    assert own_images(ec2, "web-000")[0]["Description"] == "second"


def test_deprecation_is_set_relative_to_creation_and_is_idempotent(aws, ec2):
    instance_id = launch_builder(ec2)
    created = run(ec2, name="web-000", instance_id=instance_id, deprecate_at="90d")
    image = own_images(ec2, "web-000")[0]
    assert image["DeprecationTime"]
    aws.control.clear_calls()

    again = run(ec2, name="web-000", deprecate_at="90d")

    assert not again["changed"]
    assert aws.control.mutating_calls() == []
    assert again["image"]["deprecation_time"] == created["image"]["deprecation_time"]


def test_deprecation_can_be_cancelled(ec2):
    instance_id = launch_builder(ec2)
    run(ec2, name="web-000", instance_id=instance_id, deprecate_at="2030-01-01T00:00:00Z")
    run(ec2, name="web-000", deprecate_at="never")
    assert "DeprecationTime" not in own_images(ec2, "web-000")[0]


def test_deregistration_protection_blocks_state_absent_with_a_clear_error(ec2):
    instance_id = launch_builder(ec2)
    run(ec2, name="web-000", instance_id=instance_id, deregistration_protection="enabled")

    with pytest.raises(ImageProtectedError, match="deregistration protection"):
        run(ec2, name="web-000", state="absent")
    assert len(own_images(ec2, "web-000")) == 1


def test_absent_with_protection_disabled_lifts_it_and_deregisters(ec2):
    instance_id = launch_builder(ec2)
    run(ec2, name="web-000", instance_id=instance_id, deregistration_protection="enabled")
    run(ec2, name="web-000", state="absent", deregistration_protection="disabled")
    assert own_images(ec2, "web-000") == []


def test_deregistering_deletes_the_snapshots(ec2):
    instance_id = launch_builder(ec2)
    created = run(ec2, name="web-000", instance_id=instance_id)

    result = run(ec2, name="web-000", state="absent")

    assert result["changed"] and result["deleted_snapshot_ids"] == created["snapshot_ids"]
    assert own_images(ec2, "web-000") == []
    remaining = ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    assert not set(created["snapshot_ids"]) & {s["SnapshotId"] for s in remaining}


def test_deregistering_keeps_a_snapshot_another_image_uses(ec2):
    instance_id = launch_builder(ec2)
    created = run(ec2, name="web-000", instance_id=instance_id)
    root_snapshot = created["snapshot_ids"][0]
    run(
        ec2,
        name="web-000-registered",
        root_device_name="/dev/xvda",
        architecture="x86_64",
        device_mappings=[{"device_name": "/dev/xvda", "snapshot_id": root_snapshot}],
    )

    run(ec2, name="web-000", state="absent")

    remaining = {s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert root_snapshot in remaining


def test_absent_image_is_no_change(aws, ec2):
    result = run(ec2, name="never-made", state="absent")
    assert not result["changed"]
    assert aws.control.mutating_calls() == []


def test_registering_from_a_snapshot_keeps_the_requested_attributes(ec2):
    instance_id = launch_builder(ec2)
    created = run(ec2, name="web-000", instance_id=instance_id)

    result = run(
        ec2,
        name="web-000-uefi",
        root_device_name="/dev/xvda",
        architecture="arm64",
        boot_mode="uefi",
        ena_support=True,
        imds_support="v2.0",
        tpm_support="v2.0",
        device_mappings=[{"device_name": "/dev/xvda", "snapshot_id": created["snapshot_ids"][0], "volume_type": "gp3"}],
        tags={"origin": "register"},
    )

    image = own_images(ec2, "web-000-uefi")[0]
    assert image["ImageId"] == result["image_id"]
    assert (image["Architecture"], image["BootMode"], image["ImdsSupport"], image["TpmSupport"]) == ("arm64", "uefi", "v2.0", "v2.0")
    assert image["EnaSupport"] is True
    assert result["snapshot_ids"] == [created["snapshot_ids"][0]]
    snapshot = ec2.describe_snapshots(SnapshotIds=[created["snapshot_ids"][0]])["Snapshots"][0]
    assert {"Key": "origin", "Value": "register"} in snapshot["Tags"]


def test_a_name_without_instance_or_mappings_cannot_be_created(ec2):
    with pytest.raises(InvalidInputError, match="^instance_id is required to create image 'web-000'"):
        run(ec2, name="web-000")


def test_renaming_an_existing_image_is_refused(ec2):
    instance_id = launch_builder(ec2)
    created = run(ec2, name="web-000", instance_id=instance_id)
    with pytest.raises(InvalidInputError, match="AMI names cannot be changed"):
        run(ec2, name="web-001", image_id=created["image_id"])


def test_an_unknown_image_id_is_reported_as_such(ec2):
    with pytest.raises(InvalidInputError, match="does not exist"):
        run(ec2, image_id="ami-0123456789abcdef0", tags={"a": "b"})


def test_a_creation_whose_answer_is_lost_after_it_took_effect_adopts_the_image_it_made(aws, ec2):
    instance_id = launch_builder(ec2)
    aws.control.set_faults([{"action": "ec2:CreateImage", "kind": "after_commit", "times_per_action": 1}])

    result = run(ec2, name="web-000", instance_id=instance_id, tags={"bakery:layer": "web-server-000"})

    assert [call["fault"] for call in aws.control.calls() if call["action"] == "CreateImage"] == ["after_commit", None]
    assert [image["ImageId"] for image in own_images(ec2, "web-000")] == [result["image_id"]]


def test_an_image_of_that_name_made_meanwhile_from_another_instance_is_reported_and_not_adopted(ec2):
    reconciler = ImageReconciler(regional_api(ec2), request(name="web-000", instance_id=launch_builder(ec2)), FAST_BACKOFF)
    plan = reconciler.plan()
    someone_elses = ec2.create_image(InstanceId=launch_builder(ec2), Name="web-000")["ImageId"]

    with pytest.raises(ImageNameTakenError, match="did not make"):
        reconciler.apply(plan)

    assert [image["ImageId"] for image in own_images(ec2, "web-000")] == [someone_elses]
    assert own_images(ec2, "web-000")[0].get("Tags", []) == []


def test_a_deregistration_whose_answer_is_lost_after_it_took_effect_succeeds_and_names_the_deleted_snapshots(aws, ec2):
    created = run(ec2, name="web-000", instance_id=launch_builder(ec2))
    aws.control.set_faults([{"action": "ec2:DeregisterImage", "kind": "after_commit", "answer": "drop", "times_per_action": 1}])

    result = run(ec2, name="web-000", state="absent")

    assert result["changed"] and result["deleted_snapshot_ids"] == created["snapshot_ids"]
    assert own_images(ec2, "web-000") == []
