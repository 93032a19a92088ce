"""One scenario per module for the fault matrix: arrange AWS state, the tasks to run, and what AWS
must hold afterwards (including that nothing was duplicated).

A scenario is data plus two small functions, so adding a module to the matrix is adding an entry.
"""

from __future__ import annotations

import base64
import os
import stat
import tempfile
from dataclasses import dataclass, field
from typing import Callable

from tests.unit.image_prune_family import make_family
from tests.unit.image_prune_family import own_images as own_family

DEBIAN_12 = "debian-12-amd64-20250510-2108"
DEBIAN_OWNER = "136693071363"
DEBIAN_12_AMD64 = "ami-0de12a0d640000002"
MARKETPLACE_PRODUCT = "a1b2c3d4e5f6g7h8i9j0k1l2m"
SHARE_ACCOUNTS = ["%012d" % (300000000000 + index) for index in range(20)]
ORGANIZATION = "arn:aws:organizations::123456789012:organization/o-abcdefghij"
UNIT = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefgh34"
COPY_REGIONS = ["eu-west-1", "us-west-2", "ap-southeast-1"]


@dataclass
class Scenario:
    name: str
    arrange: Callable  # (aws) -> context dict
    tasks: Callable  # (context) -> list of task dicts; the task under test is named "under test"
    verify: Callable  # (aws, context, first_result) -> None, asserts on AWS state
    regions: list = field(default_factory=lambda: ["us-east-1"])
    # Whether the first run reports a change: info modules only read, so theirs must not.
    changes: bool = True


def _launch_builder(aws, region="us-east-1"):
    ec2 = aws.client("ec2", region)
    base = ec2.describe_images(Owners=[DEBIAN_OWNER], Filters=[{"Name": "name", "Values": [DEBIAN_12]}])["Images"][0]
    return ec2.run_instances(ImageId=base["ImageId"], MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]


def _own_images(aws, name, region="us-east-1"):
    ec2 = aws.client("ec2", region)
    return ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [name]}])["Images"]


def _assert_no_stray_snapshots(aws, region, images):
    """Every snapshot the account owns in ``region`` belongs to one of ``images`` (a repeated CreateImage or
    CopyImage leaves snapshots behind even when its second image is refused or cleaned up)."""
    ec2 = aws.client("ec2", region)
    account = aws.client("sts", region).get_caller_identity()["Account"]
    # Filtered by OwnerId too: moto 5.2.5 answers OwnerIds=self with the fixture images' snapshots of other owners as well.
    snapshots = ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    owned = sorted(snapshot["SnapshotId"] for snapshot in snapshots if snapshot["OwnerId"] == account)
    mapped = sorted(mapping["Ebs"]["SnapshotId"] for image in images for mapping in image["BlockDeviceMappings"] if "SnapshotId" in mapping.get("Ebs", {}))
    assert owned == mapped, "snapshots in %s beyond the images' own: %s" % (region, sorted(set(owned) - set(mapped)))


# ---- image ----


def _image_arrange(aws):
    return {"instance_id": _launch_builder(aws)}


def _image_tasks(context):
    return [
        {
            "name": "under test",
            "bakery.ami.image": {
                "name": "reliability-image",
                "instance_id": context["instance_id"],
                "tags": {"bakery:layer": "reliability"},
                "deprecate_at": "365d",
                "deregistration_protection": "enabled",
            },
        }
    ]


def _image_verify(aws, context, result):
    images = _own_images(aws, "reliability-image")
    assert len(images) == 1, "expected exactly one image, found %d" % len(images)
    image = images[0]
    assert image["ImageId"] == result["image_id"]
    assert {"Key": "bakery:layer", "Value": "reliability"} in image["Tags"]
    assert image.get("DeprecationTime")
    assert image.get("DeregistrationProtection", "").startswith("enabled")
    assert len(aws.client("ec2").describe_images(Owners=["self"])["Images"]) == 1, "a stray image"
    _assert_no_stray_snapshots(aws, "us-east-1", [image])


# ---- image_info ----


def _image_info_arrange(aws):
    ec2 = aws.client("ec2")
    instance_id = _launch_builder(aws)
    image_id = ec2.create_image(
        InstanceId=instance_id,
        Name="reliability-info",
        TagSpecifications=[{"ResourceType": "image", "Tags": [{"Key": "bakery:layer", "Value": "reliability"}]}],
    )["ImageId"]
    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": SHARE_ACCOUNTS[0]}]})
    return {"image_id": image_id}


def _image_info_tasks(context):
    return [
        {
            "name": "under test",
            "bakery.ami.image_info": {
                "regions": ["us-east-1", "eu-west-1"],
                "owners": ["self", DEBIAN_OWNER],
                "name": "*",
                "tags": {},
                "describe_launch_permissions": True,
            },
        }
    ]


def _image_info_verify(aws, context, result):
    for region in ("us-east-1", "eu-west-1"):
        described = aws.client("ec2", region).describe_images(Owners=["self", DEBIAN_OWNER])["Images"]
        found = sorted(image["image_id"] for image in result["images"] if image["region"] == region)
        assert found == sorted(image["ImageId"] for image in described), region
    (own,) = [image for image in result["images"] if image["image_id"] == context["image_id"]]
    assert own["tags"] == {"bakery:layer": "reliability"}
    assert own["launch_permissions"] == {"accounts": [SHARE_ACCOUNTS[0]], "organization_arns": [], "organizational_unit_arns": [], "public": False}


# ---- marketplace_info ----


def _marketplace_arrange(aws):
    aws.control.configure(marketplace_subscriptions=[MARKETPLACE_PRODUCT])
    return {}


def _marketplace_tasks(context):
    return [
        {
            "name": "under test",
            "bakery.ami.marketplace_info": {"product_codes": [MARKETPLACE_PRODUCT], "regions": ["us-east-1", "eu-west-1"], "architecture": "x86_64"},
        }
    ]


def _marketplace_verify(aws, context, result):
    assert sorted(product["region"] for product in result["products"]) == ["eu-west-1", "us-east-1"]
    for product in result["products"]:
        ec2 = aws.client("ec2", product["region"])
        images = ec2.describe_images(
            Owners=["aws-marketplace"],
            Filters=[{"Name": "product-code", "Values": [MARKETPLACE_PRODUCT]}, {"Name": "architecture", "Values": ["x86_64"]}],
        )["Images"]
        assert product["image_id"] == max(images, key=lambda image: image["CreationDate"])["ImageId"]
        assert product["subscribed"] is True, product
        # The subscription check is a DryRun: nothing may have been launched.
        assert ec2.describe_instances()["Reservations"] == []


# ---- image_copy ----


def _copy_arrange(aws):
    ec2 = aws.client("ec2")
    source = ec2.create_image(
        InstanceId=_launch_builder(aws),
        Name="reliability-copy-source",
        TagSpecifications=[{"ResourceType": "image", "Tags": [{"Key": "bakery:layer", "Value": "reliability"}]}],
    )["ImageId"]
    return {"source_image_id": source}


def _copy_tasks(context):
    return [
        {
            "name": "under test",
            "bakery.ami.image_copy": {"source_image_id": context["source_image_id"], "source_region": "us-east-1", "regions": COPY_REGIONS, "tags": {"team": "platform"}},
        }
    ]


def _copy_verify(aws, context, result):
    reference = "us-east-1/" + context["source_image_id"]
    for region in COPY_REGIONS:
        ec2 = aws.client("ec2", region)
        copies = ec2.describe_images(Owners=["self"], Filters=[{"Name": "tag:bakery:source-image", "Values": [reference]}])["Images"]
        assert [image["ImageId"] for image in copies] == [result["image_ids"][region]], "expected exactly one copy in %s" % region
        assert copies[0]["State"] == "available"
        tags = {tag["Key"]: tag["Value"] for tag in copies[0]["Tags"]}
        assert tags == {"bakery:layer": "reliability", "team": "platform", "bakery:source-image": reference}
        snapshot_id = copies[0]["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        assert ec2.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]["Encrypted"] is True
        assert len(ec2.describe_images(Owners=["self"])["Images"]) == 1, "a stray image in %s" % region
        _assert_no_stray_snapshots(aws, region, copies)


# ---- image_share ----


def _share_arrange(aws):
    ec2 = aws.client("ec2")
    source = ec2.create_image(InstanceId=_launch_builder(aws), Name="reliability-share")["ImageId"]
    key = aws.client("kms", "eu-west-1").create_key()["KeyMetadata"]["Arn"]
    copy = aws.client("ec2", "eu-west-1").copy_image(
        SourceImageId=source, SourceRegion="us-east-1", Name="reliability-share", Encrypted=True, KmsKeyId=key
    )["ImageId"]
    return {"image_ids": {"us-east-1": source, "eu-west-1": copy}}


def _share_tasks(context):
    return [
        {
            "name": "under test",
            "bakery.ami.image_share": {
                "image_ids": context["image_ids"],
                "accounts": SHARE_ACCOUNTS,
                "organization_arns": [ORGANIZATION],
                "organizational_unit_arns": [UNIT],
            },
        }
    ]


def _share_verify(aws, context, result):
    for region, image_id in context["image_ids"].items():
        ec2 = aws.client("ec2", region)
        permissions = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]
        assert sorted(p["UserId"] for p in permissions if "UserId" in p) == SHARE_ACCOUNTS
        assert [p for p in permissions if "UserId" not in p] in (
            [{"OrganizationArn": ORGANIZATION}, {"OrganizationalUnitArn": UNIT}],
            [{"OrganizationalUnitArn": UNIT}, {"OrganizationArn": ORGANIZATION}],
        ), "launch permissions beyond the accounts, the organization and the OU (or duplicates): %s" % permissions
        assert len(permissions) == len(SHARE_ACCOUNTS) + 2
        for snapshot_id in result["snapshot_permissions"][region]:
            volume_permissions = ec2.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")["CreateVolumePermissions"]
            assert sorted(p["UserId"] for p in volume_permissions) == SHARE_ACCOUNTS


# ---- image_prune ----

PRUNE_LAYER = "reliability-prune"


def _prune_arrange(aws):
    ec2 = aws.client("ec2")
    family = make_family(ec2, PRUNE_LAYER, 5)
    snapshots = dict(
        (image["ImageId"], [mapping["Ebs"]["SnapshotId"] for mapping in image["BlockDeviceMappings"] if "Ebs" in mapping])
        for image in ec2.describe_images(ImageIds=family)["Images"]
    )
    return {"family": family, "snapshots": snapshots}


def _prune_tasks(context):
    return [
        {
            "name": "under test",
            "bakery.ami.image_prune": {"tags": {"bakery:layer": PRUNE_LAYER}, "regions": ["us-east-1"], "keep": 2, "action": "deregister"},
        }
    ]


def _prune_verify(aws, context, result):
    ec2 = aws.client("ec2")
    assert sorted(own_family(ec2, PRUNE_LAYER)) == sorted(context["family"][-2:])
    assert sorted(entry["image_id"] for entry in result["pruned"]) == sorted(context["family"][:-2])
    remaining = set(snapshot["SnapshotId"] for snapshot in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"])
    for image_id in context["family"][:-2]:
        assert not remaining & set(context["snapshots"][image_id]), "snapshots of pruned %s remain" % image_id
    for image_id in context["family"][-2:]:
        assert set(context["snapshots"][image_id]) <= remaining, "snapshots of kept %s are gone" % image_id


# ---- ssm_automation ----


def _automation_arrange(aws):
    return {}


def _automation_tasks(context):
    parameters = {"SourceAmiId": DEBIAN_12_AMD64, "TargetAmiName": "reliability-patched", "InstanceType": "t3.small"}
    return [{"name": "under test", "bakery.ami.ssm_automation": {"parameters": parameters, "wait_timeout": 120}}]


def _automation_verify(aws, context, result):
    executions = aws.client("ssm").describe_automation_executions()["AutomationExecutionMetadataList"]
    assert [execution["AutomationExecutionId"] for execution in executions] == [result["execution_id"]], "expected exactly one execution"
    assert executions[0]["AutomationExecutionStatus"] == "Success"
    images = _own_images(aws, "reliability-patched")
    assert [image["ImageId"] for image in images] == [result["image_id"]]


# ---- image_parameter ----

PARAMETER_NAME = "/bakery/reliability/latest"


def _parameter_arrange(aws):
    from tests.emulator.tests.autoscaling_arrangements import own_image

    return {"image_ids": dict((region, own_image(aws.client("ec2", region), "reliability-parameter")) for region in ["us-east-1"] + COPY_REGIONS)}


def _parameter_tasks(context):
    return [{"name": "under test", "bakery.ami.image_parameter": {"name": PARAMETER_NAME, "image_ids": context["image_ids"], "tags": {"team": "web"}}}]


def _parameter_verify(aws, context, result):
    for region, image_id in context["image_ids"].items():
        ssm = aws.client("ssm", region)
        parameter = ssm.get_parameter(Name=PARAMETER_NAME)["Parameter"]
        assert (parameter["Value"], parameter["DataType"], parameter["Version"]) == (image_id, "aws:ec2:image", 1), "%s: %r" % (region, parameter)
        assert ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=PARAMETER_NAME)["TagList"] == [{"Key": "team", "Value": "web"}]


# ---- asg_rollout ----


def _rollout_arrange(aws):
    from tests.emulator.tests.autoscaling_arrangements import launch_configuration_group, launch_template_group, own_image

    ec2, autoscaling = aws.client("ec2"), aws.client("autoscaling")
    launch_configuration_group(autoscaling, ec2, "reliability-lc", DEBIAN_12_AMD64, capacity=1)
    template_id = launch_template_group(autoscaling, ec2, "reliability-lt", DEBIAN_12_AMD64, capacity=1)
    return {"image_id": own_image(ec2, "reliability-rollout"), "template_id": template_id}


def _rollout_tasks(context):
    return [
        {
            "name": "under test",
            "bakery.ami.asg_rollout": {"groups": ["reliability-lc", "reliability-lt"], "image_id": context["image_id"], "region": "us-east-1"},
        }
    ]


def _rollout_verify(aws, context, result):
    ec2, autoscaling = aws.client("ec2"), aws.client("autoscaling")
    groups = dict((group["AutoScalingGroupName"], group) for group in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"])
    configurations = autoscaling.describe_launch_configurations()["LaunchConfigurations"]
    assert sorted(lc["LaunchConfigurationName"] for lc in configurations) == sorted(
        ["reliability-lc-lc", "reliability-lc-%s" % context["image_id"]]
    ), "expected the original launch configuration and exactly one copy"
    current = [lc for lc in configurations if lc["LaunchConfigurationName"] == groups["reliability-lc"]["LaunchConfigurationName"]][0]
    assert current["ImageId"] == context["image_id"]
    versions = ec2.describe_launch_template_versions(LaunchTemplateId=context["template_id"])["LaunchTemplateVersions"]
    assert sorted(version["VersionNumber"] for version in versions) == [1, 2], "expected exactly one new launch template version"
    pinned = groups["reliability-lt"]["LaunchTemplate"]["Version"]
    (version,) = [version for version in versions if str(version["VersionNumber"]) == pinned]
    assert version["LaunchTemplateData"]["ImageId"] == context["image_id"]
    assert base64.b64decode(version["LaunchTemplateData"]["UserData"]).startswith(b"#!/bin/sh")


# ---- builder ----

BUILD_ID = "reliability-build"
CONTROLLER_CIDR = "203.0.113.7/32"


def _builder_arrange(aws):
    # The private key must outlive the first run: the second finds the key pair and needs its key file.
    return {"private_key_path": os.path.join(tempfile.mkdtemp(prefix="bakery-reliability-"), "builder.key")}


def _builder_tasks(context):
    options = {"build_id": BUILD_ID, "image_id": DEBIAN_12_AMD64, "ssh_cidrs": [CONTROLLER_CIDR], "private_key_path": context["private_key_path"]}
    return [{"name": "under test", "bakery.ami.builder": options}]


def _builder_verify(aws, context, result):
    ec2 = aws.client("ec2")
    by_build = [{"Name": "tag:bakery:build-id", "Values": [BUILD_ID]}]
    reservations = ec2.describe_instances(Filters=by_build + [{"Name": "instance-state-name", "Values": ["pending", "running"]}])["Reservations"]
    instances = [instance for reservation in reservations for instance in reservation["Instances"]]
    assert [instance["InstanceId"] for instance in instances] == [result["instance_id"]], "expected exactly one builder"
    assert instances[0]["State"]["Name"] == "running"
    assert instances[0]["MetadataOptions"]["HttpTokens"] == "required"
    assert len(ec2.describe_key_pairs(Filters=by_build)["KeyPairs"]) == 1
    (group,) = ec2.describe_security_groups(Filters=by_build)["SecurityGroups"]
    assert [(rule["FromPort"], [r["CidrIp"] for r in rule["IpRanges"]]) for rule in group["IpPermissions"]] == [(22, [CONTROLLER_CIDR])]
    assert stat.S_IMODE(os.stat(context["private_key_path"]).st_mode) == 0o600


SCENARIOS = {
    "image": Scenario("image", _image_arrange, _image_tasks, _image_verify),
    "image_info": Scenario("image_info", _image_info_arrange, _image_info_tasks, _image_info_verify, ["us-east-1", "eu-west-1"], changes=False),
    "marketplace_info": Scenario("marketplace_info", _marketplace_arrange, _marketplace_tasks, _marketplace_verify, ["us-east-1", "eu-west-1"], changes=False),
    "image_copy": Scenario("image_copy", _copy_arrange, _copy_tasks, _copy_verify, ["us-east-1"] + COPY_REGIONS),
    "image_share": Scenario("image_share", _share_arrange, _share_tasks, _share_verify, ["us-east-1", "eu-west-1"]),
    "image_prune": Scenario("image_prune", _prune_arrange, _prune_tasks, _prune_verify),
    "image_parameter": Scenario("image_parameter", _parameter_arrange, _parameter_tasks, _parameter_verify, ["us-east-1"] + COPY_REGIONS),
    "ssm_automation": Scenario("ssm_automation", _automation_arrange, _automation_tasks, _automation_verify),
    "asg_rollout": Scenario("asg_rollout", _rollout_arrange, _rollout_tasks, _rollout_verify),
    "builder": Scenario("builder", _builder_arrange, _builder_tasks, _builder_verify),
}
