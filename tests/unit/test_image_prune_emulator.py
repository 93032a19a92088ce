"""image_prune's core against the emulator: what AWS holds after a prune."""

import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.client_factory import ClientFactory
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.pruner import prune_images
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.request import PruneRequest
from tests.unit.image_prune_family import launched_days_ago, make_family, own_images
from tests.unit.module_params import module_params

LAYER = "web-server-000"
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]
OTHER_ACCOUNT = "222222222222"
ORGANIZATION = "arn:aws:organizations::123456789012:organization/o-abcde12345"
UNIT = "arn:aws:organizations::123456789012:ou/o-abcde12345/ou-ab12-cdefgh34"


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


def test_an_image_an_ssm_parameter_holds_is_in_use(aws, ec2, clients):
    image_ids = make_family(ec2, LAYER, 3)
    aws.client("ssm").put_parameter(Name="/bakery/web/stable", Value=image_ids[0], Type="String", DataType="aws:ec2:image")

    result = prune(clients, action="deregister", keep=1)

    assert image_ids[0] in own_images(ec2, LAYER) and image_ids[1] not in own_images(ec2, LAYER)
    assert result["skipped_in_use"][0]["used_by"] == ["ssm:Parameter arn:aws:ssm:us-east-1:123456789012:parameter/bakery/web/stable"]


# ----- shared and recently launched images -----


@pytest.mark.parametrize(
    "permission",
    [{"Group": "all"}, {"UserId": OTHER_ACCOUNT}, {"OrganizationArn": ORGANIZATION}, {"OrganizationalUnitArn": UNIT}],
    ids=["public", "account", "organization", "organizational-unit"],
)
@pytest.mark.parametrize("action", ["deregister", "disable"])
def test_a_shared_image_survives_a_prune_that_would_otherwise_end_its_launches(ec2, clients, permission, action):
    image_ids = make_family(ec2, LAYER, 3)
    ec2.modify_image_attribute(ImageId=image_ids[0], LaunchPermission={"Add": [permission]})

    result = prune(clients, action=action, keep=1)

    held = own_images(ec2, LAYER)
    assert held[image_ids[0]]["State"] == "available"
    assert image_ids[1] not in held or held[image_ids[1]]["State"] == "disabled"
    permissions = ec2.describe_image_attribute(ImageId=image_ids[0], Attribute="launchPermission")["LaunchPermissions"]
    assert permission in permissions or (permission == {"Group": "all"} and held[image_ids[0]]["Public"])
    (kept,) = [entry for entry in result["kept"] if entry["image_id"] == image_ids[0]]
    assert len(kept["shared_with"]) == 1 and "shared" in kept["reason"]


def test_include_shared_prunes_a_shared_image(ec2, clients):
    image_ids = make_family(ec2, LAYER, 3)
    ec2.modify_image_attribute(ImageId=image_ids[0], LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}]})

    prune(clients, action="deregister", keep=1, include_shared=True)

    assert sorted(own_images(ec2, LAYER)) == [image_ids[2]]


def test_a_shared_image_is_still_deprecated(ec2, clients):
    image_ids = make_family(ec2, LAYER, 3)
    ec2.modify_image_attribute(ImageId=image_ids[0], LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}]})

    prune(clients, action="deprecate", keep=1)

    assert own_images(ec2, LAYER)[image_ids[0]].get("DeprecationTime")


def test_a_recently_launched_image_survives_a_prune_that_would_otherwise_deregister_it(ec2, clients):
    image_ids = make_family(ec2, LAYER, 3)
    launched_days_ago("us-east-1", image_ids[0], 2)

    result = prune(clients, action="deregister", keep=1)

    assert sorted(own_images(ec2, LAYER)) == sorted([image_ids[0], image_ids[2]])
    (kept,) = [entry for entry in result["kept"] if entry["image_id"] == image_ids[0]]
    assert kept["last_launched_time"] and "within the last 7 days" in kept["reason"]


def test_a_launch_older_than_launched_within_days_protects_nothing(ec2, clients):
    image_ids = make_family(ec2, LAYER, 3)
    launched_days_ago("us-east-1", image_ids[0], 8)

    prune(clients, action="deregister", keep=1)

    assert sorted(own_images(ec2, LAYER)) == [image_ids[2]]


def test_a_launch_aws_has_not_reported_yet_protects_nothing_once_its_instance_is_gone(ec2, clients):
    """The day AWS takes to report a launch: only a running instance tells (exclude_in_use); a terminated one does not."""
    image_ids = make_family(ec2, LAYER, 3)
    instance_id = ec2.run_instances(ImageId=image_ids[0], MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    ec2.terminate_instances(InstanceIds=[instance_id])

    prune(clients, action="deregister", keep=1)

    assert sorted(own_images(ec2, LAYER)) == [image_ids[2]]


def test_launched_within_days_zero_turns_the_protection_off(ec2, clients):
    image_ids = make_family(ec2, LAYER, 3)
    launched_days_ago("us-east-1", image_ids[0], 1)

    prune(clients, action="deregister", keep=1, launched_within_days=0)

    assert sorted(own_images(ec2, LAYER)) == [image_ids[2]]


def test_every_image_not_pruned_is_reported_with_why_it_was_kept(aws, ec2, clients):
    image_ids = make_family(ec2, LAYER, 6)
    ec2.run_instances(ImageId=image_ids[0], MinCount=1, MaxCount=1)
    ec2.enable_image_deregistration_protection(ImageId=image_ids[1])
    ec2.modify_image_attribute(ImageId=image_ids[2], LaunchPermission={"Add": [{"UserId": OTHER_ACCOUNT}]})
    launched_days_ago("us-east-1", image_ids[3], 3)

    result = prune(clients, action="deregister", keep=1)

    reasons = dict((entry["image_id"], entry["reason"]) for entry in result["kept"])
    assert sorted(reasons) == sorted(image_ids[:4] + image_ids[5:])
    assert reasons[image_ids[0]].startswith("in use: instance")
    assert reasons[image_ids[1]] == "deregistration protection is on"
    assert reasons[image_ids[2]].startswith("shared (account %s)" % OTHER_ACCOUNT)
    assert "within the last 7 days" in reasons[image_ids[3]]
    assert reasons[image_ids[5]] == "one of the newest 1"
    assert [entry["image_id"] for entry in result["pruned"]] == [image_ids[4]]
    assert result["regions"]["us-east-1"]["kept"] == 5


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
    """The issue's measure (3 regions x 30 images, keep 3, deregister with snapshots): the family and in-use reads per
    region do not grow with the family (filters and pagination do the work) but for one DescribeImageReferences per
    10 images; each image past retention costs two DescribeImageAttribute (shares, last launch); the only mutating call
    is one DeregisterImage per pruned image (DeleteAssociatedSnapshots takes its snapshots along), and the re-run makes
    no mutating call."""
    for region in REGIONS:
        make_family(aws.client("ec2", region), LAYER, 30)
    ec2 = aws.client("ec2", REGIONS[0])
    snapshots_of = {image_id: {m["Ebs"]["SnapshotId"] for m in image["BlockDeviceMappings"] if "Ebs" in m} for image_id, image in own_images(ec2, LAYER).items()}
    aws.control.clear_calls()

    result = prune(clients, regions=REGIONS, keep=3, action="deregister", delete_snapshots=True)

    counts = aws.control.counts()
    per_image = ("ec2:DescribeImageAttribute", "ec2:DescribeImageReferences")
    reads = {action: count for action, count in counts.items() if action.split(":")[1].startswith("Describe") and action not in per_image}
    examined = len(result["pruned"]) + len(result.get("kept", [])) + len(result.get("skipped_in_use", []))
    print("prune 3x30: examined=%d pruned=%d calls=%s" % (examined, len(result["pruned"]), dict(sorted(counts.items()))))
    assert len(result["pruned"]) == 3 * 27
    assert counts["ec2:DeregisterImage"] == 3 * 27
    assert counts["ec2:DescribeImageAttribute"] == 3 * 27 * 2
    assert counts["ec2:DescribeImageReferences"] == 3 * 3
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
