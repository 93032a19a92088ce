"""image_prune's core against the emulator: what AWS holds after a prune."""

import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.client_factory import ClientFactory
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.pruner import prune_images
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.request import PruneRequest
from tests.unit.image_prune_family import make_family, own_images
from tests.unit.module_params import module_params

LAYER = "web-server-000"
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]


@pytest.fixture
def clients(aws, monkeypatch):
    for name, value in aws.env.items():
        monkeypatch.setenv(name, value)
    return ClientFactory(region="us-east-1", endpoint_url=aws.endpoint_url)


@pytest.fixture
def ec2(aws):
    return aws.client("ec2")


def prune(clients, check_mode=False, **params):
    values = {"tags": {"bakery:layer": LAYER}, "regions": ["us-east-1"], "keep": 2, "older_than_days": 0, "action": "deprecate"}
    values.update(params)
    return prune_images(clients, PruneRequest.from_params(module_params("image_prune", **values)), check_mode)


def test_deprecates_all_but_the_newest_keep_in_every_region(aws, clients):
    families = dict((region, make_family(aws.client("ec2", region), LAYER, 4)) for region in REGIONS)

    prune(clients, regions=REGIONS)

    for region, image_ids in families.items():
        held = own_images(aws.client("ec2", region), LAYER)
        assert [image_id for image_id in image_ids if held[image_id].get("DeprecationTime")] == image_ids[:2]


def test_images_younger_than_older_than_days_are_not_deprecated(ec2, clients):
    image_ids = make_family(ec2, LAYER, 5)  # 4.5, 3.5, 2.5, 1.5 and 0.5 days old

    prune(clients, keep=1, older_than_days=3)

    held = own_images(ec2, LAYER)
    assert [image_id for image_id in image_ids if held[image_id].get("DeprecationTime")] == image_ids[:2]


def test_deregister_removes_the_images_and_their_snapshots(ec2, clients):
    image_ids = make_family(ec2, LAYER, 3)
    snapshot_ids = [mapping["Ebs"]["SnapshotId"] for mapping in own_images(ec2, LAYER)[image_ids[0]]["BlockDeviceMappings"] if "Ebs" in mapping]

    prune(clients, action="deregister")

    assert sorted(own_images(ec2, LAYER)) == sorted(image_ids[1:])
    remaining = {snapshot["SnapshotId"] for snapshot in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    assert snapshot_ids and not remaining & set(snapshot_ids)


def test_disable_leaves_the_images_disabled(ec2, clients):
    image_ids = make_family(ec2, LAYER, 3)

    prune(clients, action="disable")

    assert own_images(ec2, LAYER)[image_ids[0]]["State"] == "disabled"
    assert own_images(ec2, LAYER)[image_ids[1]]["State"] == "available"


def test_an_image_a_stopped_instance_runs_from_is_skipped(ec2, clients):
    image_ids = make_family(ec2, LAYER, 3)
    instance_id = ec2.run_instances(ImageId=image_ids[0], MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    ec2.stop_instances(InstanceIds=[instance_id])

    result = prune(clients, action="deregister")

    assert image_ids[0] in own_images(ec2, LAYER)
    assert result["skipped_in_use"][0]["used_by"] == ["instance %s (stopped)" % instance_id]


def test_an_image_of_a_launch_configuration_is_skipped(aws, ec2, clients):
    image_ids = make_family(ec2, LAYER, 3)
    aws.client("autoscaling").create_launch_configuration(LaunchConfigurationName="web-lc", ImageId=image_ids[0], InstanceType="t3.micro")

    prune(clients, action="deregister")

    assert image_ids[0] in own_images(ec2, LAYER)


@pytest.mark.parametrize("version_role", ["default", "latest"])
def test_an_image_of_a_launch_templates_default_or_latest_version_is_skipped(ec2, clients, version_role):
    image_ids = make_family(ec2, LAYER, 4)
    ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"ImageId": image_ids[0]})
    ec2.create_launch_template_version(LaunchTemplateName="web", LaunchTemplateData={"ImageId": image_ids[1]})
    used = image_ids[0] if version_role == "default" else image_ids[1]

    result = prune(clients, action="deregister", keep=1)

    held = own_images(ec2, LAYER)
    assert used in held
    assert image_ids[2] not in held
    assert {entry["image_id"] for entry in result["skipped_in_use"]} == {image_ids[0], image_ids[1]}


def test_an_image_of_a_launch_template_version_an_auto_scaling_group_pins_is_skipped(aws, ec2, clients):
    image_ids = make_family(ec2, LAYER, 4)
    template_id = ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"ImageId": image_ids[3]})["LaunchTemplate"]["LaunchTemplateId"]
    ec2.create_launch_template_version(LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": image_ids[0]})
    ec2.create_launch_template_version(LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": image_ids[3]})
    aws.client("autoscaling").create_auto_scaling_group(
        AutoScalingGroupName="web-asg",
        LaunchTemplate={"LaunchTemplateId": template_id, "Version": "2"},
        MinSize=0,
        MaxSize=0,
        AvailabilityZones=["us-east-1a"],
    )

    result = prune(clients, action="deregister", keep=1)

    held = own_images(ec2, LAYER)
    assert image_ids[0] in held and image_ids[1] not in held
    assert [entry["used_by"] for entry in result["skipped_in_use"]] == [["auto scaling group web-asg (launch template web version 2)"]]


def test_an_image_a_launch_template_names_through_an_ssm_parameter_is_skipped(aws, ec2, clients):
    image_ids = make_family(ec2, LAYER, 4)
    aws.client("ssm").put_parameter(Name="/bakery/web/latest", Value=image_ids[0], Type="String", DataType="aws:ec2:image")
    ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"ImageId": "resolve:ssm:/bakery/web/latest"})
    ec2.create_launch_template(LaunchTemplateName="gone", LaunchTemplateData={"ImageId": "resolve:ssm:/bakery/no-such/latest"})

    result = prune(clients, action="deregister", keep=1)

    held = own_images(ec2, LAYER)
    assert image_ids[0] in held and image_ids[1] not in held and image_ids[2] not in held
    (skipped,) = result["skipped_in_use"]
    assert skipped["image_id"] == image_ids[0]
    assert any("resolve:ssm:/bakery/web/latest" in user for user in skipped["used_by"])


def test_an_image_with_deregistration_protection_is_skipped_and_reported(ec2, clients):
    image_ids = make_family(ec2, LAYER, 3)
    ec2.enable_image_deregistration_protection(ImageId=image_ids[0])

    result = prune(clients, action="deregister")

    assert image_ids[0] in own_images(ec2, LAYER)
    assert [entry["image_id"] for entry in result["skipped_protected"]] == [image_ids[0]]


def test_a_rerun_makes_no_mutating_call(aws, ec2, clients):
    make_family(ec2, LAYER, 4)
    prune(clients, action="deprecate")
    aws.control.clear_calls()

    second = prune(clients, action="deprecate")

    assert not second["changed"] and len(second["already_pruned"]) == 2
    assert aws.control.mutating_calls() == []


def test_check_mode_lists_exactly_what_a_real_run_then_prunes_and_changes_nothing(aws, ec2, clients):
    make_family(ec2, LAYER, 5)
    aws.control.clear_calls()

    planned = prune(clients, check_mode=True, action="disable")

    assert aws.control.mutating_calls() == []
    assert all(image["State"] == "available" for image in own_images(ec2, LAYER).values())
    applied = prune(clients, action="disable")
    assert [entry["image_id"] for entry in planned["pruned"]] == [entry["image_id"] for entry in applied["pruned"]]


def test_three_regions_of_thirty_images_cost_a_fixed_number_of_reads_per_region(aws, clients, capsys):
    """The issue's measure (3 regions x 30 images, keep 3, deregister with snapshots): reads per region do not grow with
    the family (filters and pagination do the work), the only mutating call is one DeregisterImage per pruned image
    (DeleteAssociatedSnapshots takes its snapshots along), and the re-run makes no mutating call."""
    for region in REGIONS:
        make_family(aws.client("ec2", region), LAYER, 30)
    ec2 = aws.client("ec2", REGIONS[0])
    snapshots_of = {image_id: {m["Ebs"]["SnapshotId"] for m in image["BlockDeviceMappings"] if "Ebs" in m} for image_id, image in own_images(ec2, LAYER).items()}
    aws.control.clear_calls()

    result = prune(clients, regions=REGIONS, keep=3, action="deregister", delete_snapshots=True)

    counts = aws.control.counts()
    reads = {action: count for action, count in counts.items() if action.split(":")[1].startswith("Describe")}
    examined = len(result["pruned"]) + len(result.get("kept", [])) + len(result.get("skipped_in_use", []))
    print("prune 3x30: examined=%d pruned=%d calls=%s" % (examined, len(result["pruned"]), dict(sorted(counts.items()))))
    assert len(result["pruned"]) == 3 * 27
    assert counts["ec2:DeregisterImage"] == 3 * 27
    assert "ec2:DeleteSnapshot" not in counts
    assert sum(reads.values()) <= 6 * len(REGIONS), reads
    remaining = {snapshot["SnapshotId"] for snapshot in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]}
    kept = own_images(ec2, LAYER)
    assert len(kept) == 3 and all(snapshots_of[image_id] <= remaining for image_id in kept)
    assert all(snapshots and not snapshots & remaining for image_id, snapshots in snapshots_of.items() if image_id not in kept)
    aws.control.clear_calls()

    again = prune(clients, regions=REGIONS, keep=3, action="deregister", delete_snapshots=True)

    assert not again["changed"] and aws.control.mutating_calls() == []
    print("prune 3x30 re-run: calls=%s" % dict(sorted(aws.control.counts().items())))
