"""asg_rollout through real ansible-playbook runs against the emulator."""

import base64
import time

import pytest
from moto.autoscaling.models import autoscaling_backends

from tests.emulator.tests.autoscaling_arrangements import (
    IMAGE_A,
    describe_group,
    instance_images,
    launch_configuration_group,
    launch_template_group,
    mixed_instances_group,
    own_image,
)
from tests.emulator.tests.conftest import ACCOUNT

REGIONS = ("us-east-1", "eu-west-1")
USER_DATA = b"#!/bin/sh\necho web\n"


class Region:
    def __init__(self, aws, name):
        self.name = name
        self.ec2 = aws.client("ec2", region=name)
        self.autoscaling = aws.client("autoscaling", region=name)


@pytest.fixture
def east(aws):
    return Region(aws, "us-east-1")


@pytest.fixture
def west(aws):
    return Region(aws, "eu-west-1")


@pytest.fixture
def new_image(east):
    return own_image(east.ec2, "web-server-003")


def rollout_task(**options):
    options.setdefault("region", "us-east-1")
    return [{"name": "roll out", "bakery.ami.asg_rollout": options, "register": "rollout"}]


def launch_configuration(region, name):
    return region.autoscaling.describe_launch_configurations(LaunchConfigurationNames=[name])["LaunchConfigurations"][0]


def launch_configuration_names(region):
    return sorted(lc["LaunchConfigurationName"] for lc in region.autoscaling.describe_launch_configurations()["LaunchConfigurations"])


def template_version(region, template_id, version):
    return region.ec2.describe_launch_template_versions(LaunchTemplateId=template_id, Versions=[str(version)])["LaunchTemplateVersions"][0]


def template_version_numbers(region, template_id):
    versions = region.ec2.describe_launch_template_versions(LaunchTemplateId=template_id, MaxResults=200)["LaunchTemplateVersions"]
    return sorted(version["VersionNumber"] for version in versions)


def full_launch_configuration_group(region, name):
    """A launch configuration group with every attribute set to something other than its default."""
    return launch_configuration_group(
        region.autoscaling, region.ec2, name, IMAGE_A,
        KeyName="deploy", UserData=USER_DATA.decode(), IamInstanceProfile="web-profile",
        BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30, "VolumeType": "gp3", "Encrypted": True, "DeleteOnTermination": True, "Iops": 3000, "Throughput": 250}},
            {"DeviceName": "/dev/sdb", "Ebs": {"VolumeSize": 100, "VolumeType": "st1", "DeleteOnTermination": False}},
        ],
        MetadataOptions={"HttpTokens": "required", "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled"},
        InstanceMonitoring={"Enabled": True}, EbsOptimized=True, SpotPrice="0.05", PlacementTenancy="dedicated",
        AssociatePublicIpAddress=True,
    )


def group_image(region, name):
    group = describe_group(region.autoscaling, name)
    if group.get("LaunchConfigurationName"):
        return launch_configuration(region, group["LaunchConfigurationName"])["ImageId"]
    spec = group["LaunchTemplate"]
    return template_version(region, spec["LaunchTemplateId"], spec["Version"])["LaunchTemplateData"]["ImageId"]


# ----- twenty groups, two regions, one task -----


@pytest.fixture
def fleet(aws, east, west):
    """10 launch configuration and 10 launch template groups, half in each region, and an image per region."""
    images = {}
    for region in (east, west):
        images[region.name] = own_image(region.ec2, "web-server-003")
        for index in range(5):
            launch_configuration_group(region.autoscaling, region.ec2, "web-lc-%d" % index, IMAGE_A, capacity=1)
            launch_template_group(region.autoscaling, region.ec2, "web-lt-%d" % index, IMAGE_A, capacity=1)
        for group in region.autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]:
            region.autoscaling.create_or_update_tags(Tags=[{
                "ResourceId": group["AutoScalingGroupName"], "ResourceType": "auto-scaling-group", "Key": "role", "Value": "web", "PropagateAtLaunch": False,
            }])
    return images


def test_twenty_groups_in_two_regions_roll_out_in_one_task_then_rerun_changes_nothing(aws, east, west, fleet, playbook, record_property):
    aws.control.clear_calls()
    started = time.monotonic()
    first = playbook(rollout_task(group_tags={"role": "web"}, image_id=fleet))
    first_seconds = time.monotonic() - started
    first_calls = aws.control.counts()
    assert first.succeeded, first.stdout[-3000:]
    assert len(first.task("roll out")["groups"]) == 20
    for region in (east, west):
        for index in range(5):
            assert group_image(region, "web-lc-%d" % index) == fleet[region.name]
            assert group_image(region, "web-lt-%d" % index) == fleet[region.name]
    aws.control.clear_calls()

    started = time.monotonic()
    second = playbook(rollout_task(group_tags={"role": "web"}, image_id=fleet))
    second_seconds = time.monotonic() - started

    assert second.succeeded
    assert not second.task("roll out").changed
    assert aws.control.mutating_calls() == []
    record_property("first_run", {"seconds": round(first_seconds, 2), "calls": sum(first_calls.values()), "counts": first_calls})
    record_property("rerun", {"seconds": round(second_seconds, 2), "calls": sum(aws.control.counts().values()), "counts": aws.control.counts()})
    print("\nMEASURE first run: %.2fs, %d calls %s" % (first_seconds, sum(first_calls.values()), first_calls))
    print("MEASURE rerun: %.2fs, %d calls %s" % (second_seconds, sum(aws.control.counts().values()), aws.control.counts()))


# ----- launch configurations -----


def test_copied_launch_configuration_keeps_every_attribute_but_the_image(east, new_image, playbook):
    original_name = full_launch_configuration_group(east, "web")
    run = playbook(rollout_task(groups=["web"], image_id=new_image))
    assert run.succeeded, run.stdout[-3000:]
    group = describe_group(east.autoscaling, "web")
    assert group["LaunchConfigurationName"] == "web-%s" % new_image
    original, copy = launch_configuration(east, original_name), launch_configuration(east, group["LaunchConfigurationName"])
    assert copy["ImageId"] == new_image
    ignored = ("LaunchConfigurationName", "LaunchConfigurationARN", "CreatedTime", "ImageId")
    assert {k: v for k, v in copy.items() if k not in ignored} == {k: v for k, v in original.items() if k not in ignored}
    assert base64.b64decode(copy["UserData"]) == USER_DATA


def test_launch_configuration_name_follows_the_template(east, new_image, playbook):
    launch_configuration_group(east.autoscaling, east.ec2, "web", IMAGE_A)
    run = playbook(rollout_task(groups=["web"], image_id=new_image, launch_configuration_name="{region}-{group}-{image_id}-lc"))
    assert run.succeeded, run.stdout[-3000:]
    assert describe_group(east.autoscaling, "web")["LaunchConfigurationName"] == "us-east-1-web-%s-lc" % new_image


def assert_check_mode_lists_what_the_run_prunes(playbook, task):
    """Check mode's ``pruned`` (nothing deleted) is exactly what the real run then deletes."""
    planned = playbook(task, check=True).task("roll out")
    done = playbook(task).task("roll out")
    assert not planned.failed and not done.failed, (planned.get("msg"), done.get("msg"))
    assert [group["pruned"] for group in planned["groups"]] == [group["pruned"] for group in done["groups"]]
    return done


def test_pruning_keeps_previous_copies_and_never_deletes_one_in_use(east, playbook):
    launch_configuration_group(east.autoscaling, east.ec2, "web", IMAGE_A)
    images = [own_image(east.ec2, "web-server-%03d" % number) for number in range(4)]
    # Another group still runs the first copy, so it must survive however old it is.
    for image_id in images[:1]:
        assert playbook(rollout_task(groups=["web"], image_id=image_id)).succeeded
    east.autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="batch", LaunchConfigurationName="web-%s" % images[0], MinSize=0, MaxSize=1, DesiredCapacity=0, AvailabilityZones=["us-east-1a"]
    )
    for image_id in images[1:]:
        assert_check_mode_lists_what_the_run_prunes(playbook, rollout_task(groups=["web"], image_id=image_id, keep_previous=1))
    # The group's original launch configuration is not a copy of ours: it is never pruned.
    assert launch_configuration_names(east) == sorted(["web-lc", "web-%s" % images[0], "web-%s" % images[2], "web-%s" % images[3]])


def test_account_without_launch_configurations_is_told_to_migrate(aws, east, new_image, playbook):
    launch_configuration_group(east.autoscaling, east.ec2, "web", IMAGE_A)
    aws.control.configure(launch_configurations_unavailable=True)
    run = playbook(rollout_task(groups=["web"], image_id=new_image))
    assert not run.succeeded
    message = run.task("roll out")["msg"]
    assert "cannot create launch configurations" in message and "migrate_to_launch_template: true" in message
    assert describe_group(east.autoscaling, "web")["LaunchConfigurationName"] == "web-lc"


def test_migration_moves_the_group_to_an_equivalent_launch_template_with_imdsv2(aws, east, new_image, playbook):
    full_launch_configuration_group(east, "web")
    aws.control.configure(launch_configurations_unavailable=True)
    run = playbook(rollout_task(groups=["web"], image_id=new_image, migrate_to_launch_template=True))
    assert run.succeeded, run.stdout[-3000:]
    group = describe_group(east.autoscaling, "web")
    assert "LaunchConfigurationName" not in group
    assert group["LaunchTemplate"]["LaunchTemplateName"] == "web" and group["LaunchTemplate"]["Version"] == "1"
    data = template_version(east, group["LaunchTemplate"]["LaunchTemplateId"], 1)["LaunchTemplateData"]
    assert data["ImageId"] == new_image
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    assert (data["InstanceType"], data["KeyName"], data["IamInstanceProfile"], data["EbsOptimized"]) == ("t3.micro", "deploy", {"Name": "web-profile"}, True)
    assert data["Placement"] == {"Tenancy": "dedicated"}
    assert data["InstanceMarketOptions"]["SpotOptions"]["MaxPrice"] == "0.05"
    assert data["Monitoring"] == {"Enabled": True}
    assert data["NetworkInterfaces"][0]["AssociatePublicIpAddress"] is True
    assert base64.b64decode(data["UserData"]) == USER_DATA
    assert [m["DeviceName"] for m in data["BlockDeviceMappings"]] == ["/dev/xvda", "/dev/sdb"]


# ----- launch templates -----


def test_new_template_version_inherits_everything_and_the_group_is_pinned_to_it(east, new_image, playbook):
    template_id = launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, version="$Latest")
    run = playbook(rollout_task(groups=["web"], image_id=new_image))
    assert run.succeeded, run.stdout[-3000:]
    group = describe_group(east.autoscaling, "web")
    assert group["LaunchTemplate"]["Version"] == "2"
    old, new = template_version(east, template_id, 1)["LaunchTemplateData"], template_version(east, template_id, 2)["LaunchTemplateData"]
    assert new == dict(old, ImageId=new_image)


def test_mixed_instances_policy_group_gets_a_new_version_and_keeps_its_policy_then_rerun_changes_nothing(aws, east, new_image, playbook):
    template_id = mixed_instances_group(east.autoscaling, east.ec2, "spot", IMAGE_A)
    before = describe_group(east.autoscaling, "spot")["MixedInstancesPolicy"]

    run = playbook(rollout_task(groups=["spot"], image_id=new_image))

    assert run.succeeded, run.stdout[-3000:]
    (group,) = run.task("roll out")["groups"]
    assert (group["kind"], group["actions"]) == ("mixed_instances_policy", ["create launch template version", "pin group to launch template version"])
    after = describe_group(east.autoscaling, "spot")["MixedInstancesPolicy"]
    assert after["LaunchTemplate"]["LaunchTemplateSpecification"]["Version"] == "2"
    assert after["LaunchTemplate"]["Overrides"] == before["LaunchTemplate"]["Overrides"]
    assert after["InstancesDistribution"] == before["InstancesDistribution"]
    assert template_version(east, template_id, 2)["LaunchTemplateData"] == dict(template_version(east, template_id, 1)["LaunchTemplateData"], ImageId=new_image)
    aws.control.clear_calls()
    again = playbook(rollout_task(groups=["spot"], image_id=new_image)).task("roll out")
    assert not again.changed and aws.control.mutating_calls() == []


def test_mixed_instances_policy_refresh_puts_every_instance_on_the_new_image(east, new_image, playbook):
    mixed_instances_group(east.autoscaling, east.ec2, "spot", IMAGE_A, capacity=2)
    refresh = {"enabled": True, "min_healthy_percentage": 50, "auto_rollback": True}

    run = playbook(rollout_task(groups=["spot"], image_id=new_image, instance_refresh=refresh))

    assert run.succeeded, run.stdout[-3000:]
    assert run.task("roll out")["groups"][0]["refresh"]["status"] == "Successful"
    assert instance_images(east.autoscaling, east.ec2, "spot") == [new_image] * 2
    assert describe_group(east.autoscaling, "spot")["MixedInstancesPolicy"]["LaunchTemplate"]["LaunchTemplateSpecification"]["Version"] == "2"


def test_mixed_instances_policy_with_per_type_templates_is_refused_naming_the_group(aws, east, new_image, playbook):
    template_id = mixed_instances_group(east.autoscaling, east.ec2, "spot", IMAGE_A)
    policy = describe_group(east.autoscaling, "spot")["MixedInstancesPolicy"]
    policy["LaunchTemplate"]["LaunchTemplateSpecification"] = {"LaunchTemplateId": template_id, "Version": "1"}
    policy["LaunchTemplate"]["Overrides"][1]["LaunchTemplateSpecification"] = {"LaunchTemplateId": template_id, "Version": "1"}
    east.autoscaling.update_auto_scaling_group(AutoScalingGroupName="spot", MixedInstancesPolicy=policy)
    aws.control.clear_calls()

    task = playbook(rollout_task(groups=["spot"], image_id=new_image)).task("roll out")

    assert task.failed and "us-east-1/spot" in task["msg"] and "launch templates of their own" in task["msg"]
    assert aws.control.mutating_calls() == []


def test_a_template_that_names_its_image_through_ssm_gets_the_image_directly_with_a_warning(aws, east, new_image, playbook):
    aws.client("ssm").put_parameter(Name="/bakery/web/latest", Value=IMAGE_A, Type="String", DataType="aws:ec2:image")
    template_id = launch_template_group(east.autoscaling, east.ec2, "web", "resolve:ssm:/bakery/web/latest")

    run = playbook(rollout_task(groups=["web"], image_id=new_image))

    assert run.succeeded, run.stdout[-3000:]
    assert template_version(east, template_id, 2)["LaunchTemplateData"]["ImageId"] == new_image
    assert any("resolve:ssm:/bakery/web/latest" in warning for warning in run.task("roll out").get("warnings", []))


def test_make_default_version_sets_the_template_default(east, new_image, playbook):
    template_id = launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A)
    assert playbook(rollout_task(groups=["web"], image_id=new_image, make_default_version=True)).succeeded
    template = east.ec2.describe_launch_templates(LaunchTemplateIds=[template_id])["LaunchTemplates"][0]
    assert template["DefaultVersionNumber"] == 2


def test_pruning_template_versions_keeps_previous_default_and_versions_in_use(east, playbook):
    template_id = launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A)
    # Version 2 stays in use by another group however old it gets.
    east.ec2.create_launch_template_version(LaunchTemplateId=template_id, SourceVersion="1", LaunchTemplateData={})
    east.autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="batch", LaunchTemplate={"LaunchTemplateId": template_id, "Version": "2"}, MinSize=0, MaxSize=1, DesiredCapacity=0, AvailabilityZones=["us-east-1a"]
    )
    for number in range(3):
        image_id = own_image(east.ec2, "web-server-%03d" % number)
        assert_check_mode_lists_what_the_run_prunes(playbook, rollout_task(groups=["web"], image_id=image_id, keep_previous=1))
    # 1 is the default, 2 is used by batch, 4 is kept as previous, 5 is what web runs.
    assert template_version_numbers(east, template_id) == [1, 2, 4, 5]
    assert describe_group(east.autoscaling, "web")["LaunchTemplate"]["Version"] == "5"


# ----- check mode, diff, bad input -----


def test_check_mode_plans_every_group_and_makes_no_mutating_call(aws, east, new_image, playbook):
    launch_configuration_group(east.autoscaling, east.ec2, "web-lc", IMAGE_A)
    template_id = launch_template_group(east.autoscaling, east.ec2, "web-lt", IMAGE_A)
    aws.control.clear_calls()
    run = playbook(rollout_task(groups=["web-lc", "web-lt"], image_id=new_image, instance_refresh={"enabled": True}), check=True, diff=True)
    assert run.succeeded, run.stdout[-3000:]
    result = run.task("roll out")
    assert result.changed
    actions = {group["name"]: group["actions"] for group in result["groups"]}
    assert actions == {
        "web-lc": ["create launch configuration", "switch group to launch configuration", "start instance refresh"],
        "web-lt": ["create launch template version", "start instance refresh"],
    }
    assert result["diff"]["after"]["us-east-1/web-lt"]["image_id"] == new_image
    assert aws.control.mutating_calls() == []
    assert template_version_numbers(east, template_id) == [1]
    assert launch_configuration_names(east) == ["web-lc-lc"]


def test_unknown_group_fails_before_any_mutating_call(aws, east, new_image, playbook):
    launch_configuration_group(east.autoscaling, east.ec2, "web", IMAGE_A)
    aws.control.clear_calls()
    run = playbook(rollout_task(groups=["web", "wbe"], image_id=new_image))
    assert not run.succeeded
    assert "'wbe' not found in us-east-1" in run.task("roll out")["msg"]
    assert aws.control.mutating_calls() == []


def test_malformed_image_id_is_refused_before_any_call(aws, east, playbook):
    aws.control.clear_calls()
    run = playbook(rollout_task(groups=["web"], image_id={"us-east-1": "ami-xyz"}))
    assert not run.succeeded
    assert "image_id[us-east-1]" in run.task("roll out")["msg"]
    assert aws.control.calls() == []


# ----- instance refresh -----


def test_refresh_waited_to_success_leaves_every_instance_on_the_new_image(east, new_image, playbook):
    launch_configuration_group(east.autoscaling, east.ec2, "web-lc", IMAGE_A, capacity=2)
    launch_template_group(east.autoscaling, east.ec2, "web-lt", IMAGE_A, capacity=2)
    refresh = {"enabled": True, "min_healthy_percentage": 50, "skip_matching": True}
    run = playbook(rollout_task(groups=["web-lc", "web-lt"], image_id=new_image, instance_refresh=refresh))
    assert run.succeeded, run.stdout[-3000:]
    statuses = {group["name"]: group["refresh"]["status"] for group in run.task("roll out")["groups"]}
    assert statuses == {"web-lc": "Successful", "web-lt": "Successful"}
    assert instance_images(east.autoscaling, east.ec2, "web-lc") == [new_image] * 2
    assert instance_images(east.autoscaling, east.ec2, "web-lt") == [new_image] * 2
    assert describe_group(east.autoscaling, "web-lt")["LaunchTemplate"]["Version"] == "2"


def test_failed_refresh_with_auto_rollback_is_reported_and_the_group_keeps_its_old_version(aws, east, new_image, playbook):
    launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, capacity=2)
    aws.control.configure(instance_refresh_failing_groups=["web"])
    refresh = {"enabled": True, "min_healthy_percentage": 50, "auto_rollback": True}
    run = playbook(rollout_task(groups=["web"], image_id=new_image, instance_refresh=refresh))
    assert not run.succeeded
    result = run.task("roll out")
    assert result["groups"][0]["refresh"]["status"] == "RollbackSuccessful"
    assert "RollbackSuccessful" in result["msg"]
    assert describe_group(east.autoscaling, "web")["LaunchTemplate"]["Version"] == "1"
    assert instance_images(east.autoscaling, east.ec2, "web") == [IMAGE_A] * 2


def test_failed_refresh_without_rollback_is_reported_failed(aws, east, new_image, playbook):
    launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, capacity=2)
    aws.control.configure(instance_refresh_failing_groups=["web"])
    run = playbook(rollout_task(groups=["web"], image_id=new_image, instance_refresh={"enabled": True, "min_healthy_percentage": 50}))
    assert not run.succeeded
    assert run.task("roll out")["groups"][0]["refresh"]["status"] == "Failed"


def test_group_with_a_refresh_in_progress_is_reported_not_retried(aws, east, new_image, playbook):
    aws.control.configure(instance_refresh_batch_seconds=3600)  # still in progress when the rollout looks
    launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, capacity=2)
    east.autoscaling.start_instance_refresh(AutoScalingGroupName="web")
    aws.control.clear_calls()
    run = playbook(rollout_task(groups=["web"], image_id=new_image, instance_refresh={"enabled": True}))
    assert run.succeeded, run.stdout[-3000:]
    group = run.task("roll out")["groups"][0]
    assert not group["changed"]
    assert group["refresh"]["started_by_this_run"] is False and group["refresh"]["status"] in ("Pending", "InProgress")
    assert aws.control.mutating_calls() == []


def test_a_launch_configuration_group_already_on_the_image_is_refreshed_when_its_instances_are_not(east, new_image, playbook):
    launch_configuration_group(east.autoscaling, east.ec2, "web", IMAGE_A, capacity=2)
    assert playbook(rollout_task(groups=["web"], image_id=new_image)).succeeded  # switched, instances left as they were

    run = playbook(rollout_task(groups=["web"], image_id=new_image, instance_refresh={"enabled": True, "min_healthy_percentage": 50}))

    assert run.succeeded, run.stdout[-3000:]
    assert run.task("roll out")["groups"][0]["actions"] == ["start instance refresh"]
    assert instance_images(east.autoscaling, east.ec2, "web") == [new_image] * 2


# ----- groups on $Latest / $Default -----


def refreshes(region, group):
    return region.autoscaling.describe_instance_refreshes(AutoScalingGroupName=group)["InstanceRefreshes"]


def test_a_latest_group_ends_pinned_to_the_new_numbered_version_with_rollback_available(east, new_image, playbook):
    launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, capacity=2, version="$Latest")
    refresh = {"enabled": True, "min_healthy_percentage": 50, "auto_rollback": True}

    run = playbook(rollout_task(groups=["web"], image_id=new_image, instance_refresh=refresh))

    assert run.succeeded, run.stdout[-3000:]
    assert run.task("roll out")["groups"][0]["actions"] == [
        "pin group to the launch template version it runs", "create launch template version", "start instance refresh",
    ]
    assert describe_group(east.autoscaling, "web")["LaunchTemplate"]["Version"] == "2"
    (started,) = refreshes(east, "web")
    assert started["Preferences"]["AutoRollback"] is True and started["DesiredConfiguration"]["LaunchTemplate"]["Version"] == "2"
    assert instance_images(east.autoscaling, east.ec2, "web") == [new_image] * 2


def test_a_failed_refresh_of_a_latest_group_rolls_back_to_the_pinned_version(aws, east, new_image, playbook):
    launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, capacity=2, version="$Latest")
    aws.control.configure(instance_refresh_failing_groups=["web"])

    run = playbook(rollout_task(groups=["web"], image_id=new_image, instance_refresh={"enabled": True, "min_healthy_percentage": 50, "auto_rollback": True}))

    assert not run.succeeded
    group = run.task("roll out")["groups"][0]
    assert group["refresh"]["status"] == "RollbackSuccessful" and group["after"]["launch_template"]["version"] == "1"
    assert describe_group(east.autoscaling, "web")["LaunchTemplate"]["Version"] == "1"
    assert instance_images(east.autoscaling, east.ec2, "web") == [IMAGE_A] * 2


def test_scale_outs_during_the_refresh_of_a_latest_group_launch_the_old_image(aws, east, new_image, playbook):
    aws.control.configure(instance_refresh_batch_seconds=3600)  # the refresh stays in progress
    launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, capacity=2, version="$Latest")
    run = playbook(rollout_task(groups=["web"], image_id=new_image, instance_refresh={"enabled": True, "min_healthy_percentage": 50, "wait": False}))
    assert run.succeeded, run.stdout[-3000:]
    before = {i["InstanceId"] for i in describe_group(east.autoscaling, "web")["Instances"]}

    east.autoscaling.set_desired_capacity(AutoScalingGroupName="web", DesiredCapacity=3)

    (added,) = [i for i in describe_group(east.autoscaling, "web")["Instances"] if i["InstanceId"] not in before]
    assert added["LaunchTemplate"]["Version"] == "1"
    assert east.ec2.describe_instances(InstanceIds=[added["InstanceId"]])["Reservations"][0]["Instances"][0]["ImageId"] == IMAGE_A


def test_a_latest_group_in_check_mode_plans_the_pin_first_and_changes_nothing(aws, east, new_image, playbook):
    launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, version="$Latest")
    aws.control.clear_calls()

    run = playbook(rollout_task(groups=["web"], image_id=new_image), check=True)

    assert run.task("roll out")["groups"][0]["actions"] == [
        "pin group to the launch template version it runs", "create launch template version", "pin group to launch template version",
    ]
    assert aws.control.mutating_calls() == []
    assert describe_group(east.autoscaling, "web")["LaunchTemplate"]["Version"] == "$Latest"


def test_keep_version_alias_leaves_the_group_on_latest(east, new_image, playbook):
    template_id = launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, capacity=2, version="$Latest")

    run = playbook(rollout_task(groups=["web"], image_id=new_image, keep_version_alias=True, instance_refresh={"enabled": True, "min_healthy_percentage": 50}))

    assert run.succeeded, run.stdout[-3000:]
    assert describe_group(east.autoscaling, "web")["LaunchTemplate"]["Version"] == "$Latest"
    assert template_version_numbers(east, template_id) == [1, 2]
    assert instance_images(east.autoscaling, east.ec2, "web") == [new_image] * 2


def test_keep_version_alias_with_auto_rollback_is_refused_saying_why_before_any_mutating_call(aws, east, new_image, playbook):
    launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, version="$Latest")
    aws.control.clear_calls()

    task = playbook(rollout_task(groups=["web"], image_id=new_image, keep_version_alias=True, instance_refresh={"enabled": True, "auto_rollback": True})).task("roll out")

    assert task.failed and "uses the launch template's $Latest or $Default version" in task["msg"]
    assert aws.control.mutating_calls() == []


# ----- where AWS cannot roll back -----


def test_auto_rollback_on_an_ssm_parameter_template_is_refused_before_any_mutating_call(aws, east, new_image, playbook):
    aws.client("ssm").put_parameter(Name="/bakery/web/latest", Value=IMAGE_A, Type="String", DataType="aws:ec2:image")
    template_id = launch_template_group(east.autoscaling, east.ec2, "web", "resolve:ssm:/bakery/web/latest")
    aws.control.clear_calls()

    task = playbook(rollout_task(groups=["web"], image_id=new_image, instance_refresh={"enabled": True, "auto_rollback": True})).task("roll out")

    assert task.failed
    assert "uses an AWS Systems Manager parameter instead of an AMI ID" in task["msg"] and "us-east-1/web" in task["msg"]
    assert aws.control.mutating_calls() == []
    assert template_version_numbers(east, template_id) == [1]


def test_auto_rollback_on_a_launch_configuration_group_is_refused_and_no_group_is_changed(aws, east, new_image, playbook):
    launch_configuration_group(east.autoscaling, east.ec2, "web-lc", IMAGE_A)
    template_id = launch_template_group(east.autoscaling, east.ec2, "web-lt", IMAGE_A)
    aws.control.clear_calls()

    task = playbook(rollout_task(groups=["web-lc", "web-lt"], image_id=new_image, instance_refresh={"enabled": True, "auto_rollback": True})).task("roll out")

    assert task.failed and "no desired configuration" in task["msg"] and "us-east-1/web-lc" in task["msg"]
    assert aws.control.mutating_calls() == []
    assert template_version_numbers(east, template_id) == [1]


# ----- templates that read their image from an SSM parameter -----


def ssm_template_group(aws, east, capacity=2):
    aws.client("ssm").put_parameter(Name="/bakery/web/latest", Value=IMAGE_A, Type="String", DataType="aws:ec2:image")
    return launch_template_group(east.autoscaling, east.ec2, "web", "resolve:ssm:/bakery/web/latest", capacity=capacity)


def test_keep_image_parameter_refreshes_the_group_with_no_new_template_version(aws, east, new_image, playbook):
    template_id = ssm_template_group(aws, east)
    aws.client("ssm").put_parameter(Name="/bakery/web/latest", Value=new_image, Type="String", DataType="aws:ec2:image", Overwrite=True)
    task = rollout_task(groups=["web"], image_id=new_image, keep_image_parameter=True, instance_refresh={"enabled": True, "min_healthy_percentage": 50})

    run = playbook(task)

    assert run.succeeded, run.stdout[-3000:]
    assert run.task("roll out")["groups"][0]["actions"] == ["start instance refresh"]
    assert template_version_numbers(east, template_id) == [1]
    assert describe_group(east.autoscaling, "web")["LaunchTemplate"]["Version"] == "1"
    assert instance_images(east.autoscaling, east.ec2, "web") == [new_image] * 2
    aws.control.clear_calls()
    assert not playbook(task).task("roll out").changed
    assert aws.control.mutating_calls() == []


def test_keep_image_parameter_refuses_a_parameter_that_does_not_hold_the_image(aws, east, new_image, playbook):
    ssm_template_group(aws, east)
    aws.control.clear_calls()

    task = playbook(rollout_task(groups=["web"], image_id=new_image, keep_image_parameter=True, instance_refresh={"enabled": True})).task("roll out")

    assert task.failed and "publish the image to the parameter first" in task["msg"] and IMAGE_A in task["msg"]
    assert aws.control.mutating_calls() == []


# ----- the group's instance maintenance policy, and the other preferences -----


def test_a_groups_maintenance_policy_is_left_in_charge_when_no_percentages_are_given(east, new_image, playbook):
    launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, capacity=4)
    policy = {"MinHealthyPercentage": 50, "MaxHealthyPercentage": 100}
    east.autoscaling.update_auto_scaling_group(AutoScalingGroupName="web", InstanceMaintenancePolicy=policy)

    run = playbook(rollout_task(groups=["web"], image_id=new_image, instance_refresh={"enabled": True}))

    assert run.succeeded, run.stdout[-3000:]
    (refresh,) = refreshes(east, "web")
    assert "MinHealthyPercentage" not in refresh["Preferences"] and "MaxHealthyPercentage" not in refresh["Preferences"]
    # What the emulator's refresh replaced per batch: half the group at a time, as the policy allows (90 % would be one).
    assert autoscaling_backends[ACCOUNT]["us-east-1"].autoscaling_groups["web"].instance_refreshes[0].batches == [2, 2]
    assert describe_group(east.autoscaling, "web")["InstanceMaintenancePolicy"] == policy


def test_standby_instances_ignore_lets_the_refresh_finish_around_an_instance_in_standby(east, new_image, playbook):
    launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, capacity=2)
    standby = describe_group(east.autoscaling, "web")["Instances"][0]["InstanceId"]
    east.autoscaling.enter_standby(AutoScalingGroupName="web", InstanceIds=[standby], ShouldDecrementDesiredCapacity=True)
    refresh = {"enabled": True, "min_healthy_percentage": 50, "standby_instances": "ignore", "scale_in_protected_instances": "refresh"}

    run = playbook(rollout_task(groups=["web"], image_id=new_image, instance_refresh=refresh))

    assert run.succeeded, run.stdout[-3000:]
    (started,) = refreshes(east, "web")
    assert (started["Preferences"]["StandbyInstances"], started["Preferences"]["ScaleInProtectedInstances"]) == ("Ignore", "Refresh")
    assert standby in [i["InstanceId"] for i in describe_group(east.autoscaling, "web")["Instances"]]


def test_an_alarm_in_alarm_state_rolls_the_refresh_back(aws, east, new_image, playbook):
    launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, capacity=2)
    cloudwatch = aws.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName="web-5xx", MetricName="HTTPCode_Target_5XX_Count", Namespace="AWS/ApplicationELB", Statistic="Sum",
        Period=60, EvaluationPeriods=1, Threshold=10, ComparisonOperator="GreaterThanThreshold",
    )
    cloudwatch.set_alarm_state(AlarmName="web-5xx", StateValue="ALARM", StateReason="5xx")

    run = playbook(rollout_task(groups=["web"], image_id=new_image, instance_refresh={"enabled": True, "alarms": ["web-5xx"], "auto_rollback": True}))

    assert not run.succeeded
    assert run.task("roll out")["groups"][0]["refresh"]["status"] == "RollbackSuccessful"
    assert describe_group(east.autoscaling, "web")["LaunchTemplate"]["Version"] == "1"
    assert instance_images(east.autoscaling, east.ec2, "web") == [IMAGE_A] * 2


# ----- lost answers -----


def test_a_lost_answer_to_start_instance_refresh_leaves_one_refresh_taken_as_this_runs(aws, east, new_image, playbook):
    launch_template_group(east.autoscaling, east.ec2, "web", IMAGE_A, capacity=2)
    aws.control.set_faults([{"action": "autoscaling:StartInstanceRefresh", "kind": "after_commit", "times_per_action": 1}])

    run = playbook(rollout_task(groups=["web"], image_id=new_image, instance_refresh={"enabled": True, "min_healthy_percentage": 50}))

    assert run.succeeded, run.stdout[-3000:]
    assert [call["fault"] for call in aws.control.calls() if call["action"] == "StartInstanceRefresh"] == ["after_commit", None]
    (refresh,) = refreshes(east, "web")
    assert run.task("roll out")["groups"][0]["refresh"]["instance_refresh_id"] == refresh["InstanceRefreshId"]
    assert instance_images(east.autoscaling, east.ec2, "web") == [new_image] * 2


@pytest.mark.parametrize("action", ["ec2:CreateLaunchTemplateVersion", "autoscaling:CreateLaunchConfiguration", "autoscaling:UpdateAutoScalingGroup"])
def test_a_lost_answer_to_a_mutating_call_duplicates_nothing(aws, east, new_image, playbook, action):
    launch_configuration_group(east.autoscaling, east.ec2, "web-lc", IMAGE_A, capacity=1)
    template_id = launch_template_group(east.autoscaling, east.ec2, "web-lt", IMAGE_A, capacity=1)
    aws.control.set_faults([{"action": action, "kind": "after_commit", "answer": "drop", "times_per_action": 1}])

    run = playbook(rollout_task(groups=["web-lc", "web-lt"], image_id=new_image))

    assert run.succeeded, run.stdout[-3000:]
    assert any(call["fault"] == "after_commit" for call in aws.control.calls())
    assert template_version_numbers(east, template_id) == [1, 2]
    assert launch_configuration_names(east) == sorted(["web-lc-lc", "web-lc-%s" % new_image])
    assert group_image(east, "web-lc") == group_image(east, "web-lt") == new_image
