"""The benchmark scenarios: the same work written with bakery.ami and with the peer modules
(amazon.aws / community.aws, as shipped in the `ansible` package), as a user would write each.

A scenario is data: how to arrange AWS, the two task lists, the emulator settings, how many
repetitions, and what to look at in AWS afterwards (the evidence behind the findings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

SOURCE_REGION = "us-east-1"
COPY_REGIONS = ["us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1", "ap-southeast-1", "ap-northeast-1"]
LOOKUP_REGIONS = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"]
SHARE_REGIONS = ["us-east-1", "eu-west-1"]
DEBIAN_12 = "ami-0de12a0d640000002"  # fixture: debian-12-amd64-20250510-2108
AL2023_NAME = "al2023-ami-2023.*-x86_64"
GROUP_COUNT = 20
GROUP_CAPACITY = 2
TIMING_REPETITIONS = 5


@dataclass
class Scenario:
    name: str
    title: str
    arrange: Callable  # (aws) -> context
    ours: Callable  # (context) -> tasks
    peer: Callable  # (context) -> tasks
    peer_description: str
    # Every timing row is the median of this many runs of ours and of the peer; probes are single runs.
    repetitions: int = TIMING_REPETITIONS
    emulator_config: dict = field(default_factory=dict)
    inspect: Optional[Callable] = None  # (aws, context) -> {evidence: value}
    answers: Optional[Callable] = None  # (playbook_run, implementation) -> {region: answer}
    faults: list = field(default_factory=list)  # emulator fault rules for both runs
    fault_seed: int = 20261126
    implementations: tuple = ("ours", "peer")


def accounts(count):
    return ["%012d" % (200000000000 + index) for index in range(count)]


def _own_image(aws, name, region=SOURCE_REGION):
    ec2 = aws.client("ec2", region)
    instance_id = ec2.run_instances(ImageId=DEBIAN_12, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]
    image_id = ec2.create_image(InstanceId=instance_id, Name=name)["ImageId"]
    ec2.create_tags(Resources=[image_id], Tags=[{"Key": "bakery:layer", "Value": "web-server-000"}])
    return image_id


# ---- copy to 8 regions ----


def _copy_arrange(aws):
    return {"source_image_id": _own_image(aws, "web-server-000")}


def _copy_ours(context):
    return [
        {
            "name": "copy to 8 regions",
            "bakery.ami.image_copy": {
                "source_image_id": context["source_image_id"],
                "source_region": SOURCE_REGION,
                "regions": COPY_REGIONS,
                "tags": {"team": "platform"},
            },
        }
    ]


def _copy_peer(context, tag_equality=True):
    # tag_equality is ec2_ami_copy's only guard against copying again: it looks for an image carrying all `tags`.
    return [
        {
            "name": "copy to each region",
            "community.aws.ec2_ami_copy": {
                "source_region": SOURCE_REGION,
                "source_image_id": context["source_image_id"],
                "region": "{{ item }}",
                "name": "web-server-000",
                "encrypted": True,
                "tags": {"team": "platform", "bakery:source-image": "%s/%s" % (SOURCE_REGION, context["source_image_id"])},
                "tag_equality": tag_equality,
                "wait": True,
            },
            "loop": COPY_REGIONS,
        }
    ]


def _copy_inspect(aws, context):
    copies = {}
    for region in COPY_REGIONS:
        images = aws.client("ec2", region).describe_images(Owners=["self"])["Images"]
        copies[region] = len(images)
    return {"copies_total": sum(copies.values()), "regions_with_more_than_one_copy": sorted(r for r, n in copies.items() if n > 1)}


# ---- share with N accounts, plus snapshots ----


def _share_arrange(aws):
    source = _own_image(aws, "web-server-000")
    copy = aws.client("ec2", "eu-west-1").copy_image(SourceImageId=source, SourceRegion=SOURCE_REGION, Name="web-server-000")["ImageId"]
    return {"image_ids": {SOURCE_REGION: source, "eu-west-1": copy}}


def _share_ours(count):
    def tasks(context):
        return [{"name": "share", "bakery.ami.image_share": {"image_ids": context["image_ids"], "accounts": accounts(count)}}]

    return tasks


def _share_peer(count):
    def tasks(context):
        return [
            {
                "name": "launch permissions",
                "amazon.aws.ec2_ami": {
                    "region": "{{ item.key }}",
                    "image_id": "{{ item.value }}",
                    "state": "present",
                    "launch_permissions": {"user_ids": accounts(count)},
                },
                "loop": "{{ image_ids | dict2items }}",
            },
            {
                "name": "find the images' snapshots",
                "amazon.aws.ec2_ami_info": {"region": "{{ item.key }}", "image_ids": ["{{ item.value }}"]},
                "loop": "{{ image_ids | dict2items }}",
                "register": "described",
            },
            {
                "name": "create volume permissions",
                "amazon.aws.ec2_snapshot": {
                    "region": "{{ item.0.item.key }}",
                    # Every image here has one EBS volume; an image with more needs one more loop level.
                    "snapshot_id": "{{ (item.1.block_device_mappings | selectattr('ebs', 'defined') | first).ebs.snapshot_id }}",
                    "modify_create_vol_permission": True,
                    "user_ids": accounts(count),
                },
                "loop": "{{ described.results | subelements('images') }}",
            },
        ]

    return tasks


def _share_vars(tasks_of):
    def tasks(context):
        return [{"name": "image ids", "ansible.builtin.set_fact": {"image_ids": context["image_ids"]}}] + tasks_of(context)

    return tasks


def _share_inspect(aws, context):
    evidence = {}
    for region, image_id in context["image_ids"].items():
        ec2 = aws.client("ec2", region)
        launch = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]
        snapshot_id = ec2.describe_images(ImageIds=[image_id])["Images"][0]["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        volume = ec2.describe_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission")["CreateVolumePermissions"]
        evidence["%s_launch_permissions" % region] = sum(1 for permission in launch if "UserId" in permission)
        evidence["%s_snapshot_permissions" % region] = sum(1 for permission in volume if "UserId" in permission)
    return evidence


# ---- newest image in 8 regions ----


def _newest_ours(context):
    return [
        {
            "name": "newest",
            "bakery.ami.image_info": {
                "regions": LOOKUP_REGIONS,
                "owners": ["amazon"],
                "name": AL2023_NAME,
                "architecture": "x86_64",
                "root_device_type": "ebs",
                "most_recent": True,
            },
        }
    ]


def _newest_peer(context):
    return [
        {
            "name": "images per region",
            "amazon.aws.ec2_ami_info": {
                "region": "{{ item }}",
                "owners": ["amazon"],
                "filters": {"name": AL2023_NAME, "architecture": "x86_64", "root-device-type": "ebs"},
            },
            "loop": LOOKUP_REGIONS,
            "register": "found",
        },
        {
            "name": "newest",
            "ansible.builtin.set_fact": {
                "newest": "{{ dict(found.results | map(attribute='item') | zip(found.results | map(attribute='images') "
                "| map('sort', attribute='creation_date') | map('last') | map(attribute='image_id'))) }}"
            },
        },
    ]


def _newest_answers(playbook_run, implementation):
    try:
        result = playbook_run.task("newest")
    except AssertionError:
        return {}
    if implementation == "ours":
        return {region: image["image_id"] for region, image in (result.get("images_by_region") or {}).items()}
    return dict((result.get("ansible_facts") or {}).get("newest") or {})


# ---- roll out to 20 groups ----


def _rollout_arrange(aws, group_count=GROUP_COUNT):
    ec2 = aws.client("ec2", SOURCE_REGION)
    autoscaling = aws.client("autoscaling", SOURCE_REGION)
    groups = []
    for index in range(group_count):
        name = "web-%02d" % index
        group_id = ec2.create_security_group(GroupName="%s-sg" % name, Description=name)["GroupId"]
        ec2.create_launch_template(
            LaunchTemplateName="%s-lt" % name,
            LaunchTemplateData={
                "ImageId": DEBIAN_12,
                "InstanceType": "t3.micro",
                "SecurityGroupIds": [group_id],
                "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
            },
        )
        autoscaling.create_auto_scaling_group(
            AutoScalingGroupName=name,
            LaunchTemplate={"LaunchTemplateName": "%s-lt" % name, "Version": "1"},
            MinSize=0,
            MaxSize=GROUP_CAPACITY * 2,
            DesiredCapacity=GROUP_CAPACITY,
            AvailabilityZones=["%sa" % SOURCE_REGION],
        )
        groups.append(name)
    return {"groups": groups, "image_id": _own_image(aws, "web-server-003")}


def _rollout_ours(context):
    return [
        {
            "name": "roll out",
            "bakery.ami.asg_rollout": {
                "region": SOURCE_REGION,
                "groups": context["groups"],
                "image_id": context["image_id"],
                "instance_refresh": {"enabled": True, "min_healthy_percentage": 90, "wait": True},
            },
        }
    ]


def _rollout_peer(context, guarded=True):
    return [
        {"name": "inputs", "ansible.builtin.set_fact": {"rollout_groups": context["groups"], "rollout_image_id": context["image_id"]}},
        {
            "name": "new launch template version with the image",
            "amazon.aws.ec2_launch_template": {"template_name": "{{ item }}-lt", "image_id": "{{ rollout_image_id }}"},
            "loop": "{{ rollout_groups }}",
            "register": "templates",
        },
        {
            "name": "point the group at the new version",
            "amazon.aws.autoscaling_group": {
                "name": "{{ item.item }}",
                "launch_template": {"launch_template_name": "{{ item.item }}-lt", "version": "{{ item.latest_version | string }}"},
            },
            "loop": "{{ templates.results }}",
            "register": "updated",
        },
        dict(
            {
                "name": "start instance refresh",
                "amazon.aws.autoscaling_instance_refresh": {
                    "name": "{{ item.item.item }}",
                    "state": "started",
                    "preferences": {"min_healthy_percentage": 90},
                },
                "loop": "{{ updated.results }}",
                "register": "started",
            },
            # Guarded: a refresh only where the group changed, or every re-run would replace every instance.
            **({"when": "item.changed"} if guarded else {}),
        ),
        {
            "name": "wait for each refresh",
            "amazon.aws.autoscaling_instance_refresh_info": {"name": "{{ item.item.item.item }}", "ids": ["{{ item.instance_refreshes.instance_refresh_id }}"]},
            # autoscaling_instance_refresh reports changed=false even when it started a refresh: select the started ones.
            "loop": "{{ started.results | selectattr('instance_refreshes', 'defined') | list }}",
            "register": "refresh",
            "until": "refresh.instance_refreshes and refresh.instance_refreshes[0].status in ['Successful', 'Failed', 'Cancelled']",
            "retries": 120,
            "delay": 1,
        },
    ]


def _rollout_inspect(aws, context):
    ec2 = aws.client("ec2", SOURCE_REGION)
    autoscaling = aws.client("autoscaling", SOURCE_REGION)
    groups = {group["AutoScalingGroupName"]: group for group in autoscaling.describe_auto_scaling_groups(MaxRecords=100)["AutoScalingGroups"]}
    on_image = versions = refreshes = 0
    for name in context["groups"]:
        spec = groups[name].get("LaunchTemplate") or {}
        template_versions = ec2.describe_launch_template_versions(LaunchTemplateName="%s-lt" % name)["LaunchTemplateVersions"]
        versions += len(template_versions)
        version = spec.get("Version")
        if version in ("$Latest", "$Default"):
            number = max(v["VersionNumber"] for v in template_versions) if version == "$Latest" else [v for v in template_versions if v["DefaultVersion"]][0]["VersionNumber"]
        else:
            number = int(version)
        data = [v for v in template_versions if v["VersionNumber"] == number][0]["LaunchTemplateData"]
        on_image += data.get("ImageId") == context["image_id"]
        refreshes += len(autoscaling.describe_instance_refreshes(AutoScalingGroupName=name)["InstanceRefreshes"])
    return {"groups_on_new_image": on_image, "launch_template_versions": versions, "instance_refreshes": refreshes}


SCENARIOS = [
    Scenario(
        name="copy_8_regions",
        title="Copy one AMI to 8 regions (available at once)",
        arrange=_copy_arrange,
        ours=_copy_ours,
        peer=_copy_peer,
        peer_description="`community.aws.ec2_ami_copy` looped over the 8 regions, `wait: true`, `tag_equality: true`",
        inspect=_copy_inspect,
    ),
    Scenario(
        name="copy_8_regions_pending_10s",
        title="Copy one AMI to 8 regions, copies pending 10 s",
        arrange=_copy_arrange,
        ours=_copy_ours,
        peer=_copy_peer,
        peer_description="as above; the emulator keeps each copy `pending` for 10 s (`configure(pending_seconds=10)`)",
        emulator_config={"pending_seconds": 10},
        inspect=_copy_inspect,
    ),
    Scenario(
        name="share_100_accounts",
        title="Share 2 images (2 regions) and their snapshots with 100 accounts",
        arrange=_share_arrange,
        ours=_share_vars(_share_ours(100)),
        peer=_share_vars(_share_peer(100)),
        peer_description="per region `amazon.aws.ec2_ami` `launch_permissions.user_ids`, `ec2_ami_info` for the snapshot ids, "
        "`amazon.aws.ec2_snapshot` `modify_create_vol_permission` per snapshot",
        inspect=_share_inspect,
    ),
    Scenario(
        name="share_1000_accounts",
        title="Share 2 images (2 regions) and their snapshots with 1000 accounts",
        arrange=_share_arrange,
        ours=_share_vars(_share_ours(1000)),
        peer=_share_vars(_share_peer(1000)),
        peer_description="as above, 1000 accounts",
        inspect=_share_inspect,
    ),
    Scenario(
        name="newest_8_regions",
        title="Newest AL2023 x86_64 EBS image in 8 regions",
        arrange=lambda aws: {},
        ours=_newest_ours,
        peer=_newest_peer,
        peer_description="`amazon.aws.ec2_ami_info` looped over the 8 regions, newest picked with `sort(attribute='creation_date') | last`",
        answers=_newest_answers,
    ),
    Scenario(
        name="rollout_20_groups",
        title="Roll a new AMI out to 20 launch-template groups, instance refresh, wait",
        arrange=_rollout_arrange,
        ours=_rollout_ours,
        peer=_rollout_peer,
        peer_description="per group `amazon.aws.ec2_launch_template` (new version), `amazon.aws.autoscaling_group` "
        "(pin it), `amazon.aws.autoscaling_instance_refresh` (when the group changed), `autoscaling_instance_refresh_info` "
        "until done (`delay: 1`)",
        inspect=_rollout_inspect,
    ),
]

# Single runs that check a suspected peer behaviour; their evidence goes to the findings, not the timing table.
PROBES = [
    Scenario(
        name="probe_peer_copy_rerun_without_tag_equality",
        title="ec2_ami_copy re-run without tag_equality",
        arrange=_copy_arrange,
        ours=None,
        peer=lambda context: _copy_peer(context, tag_equality=False),
        peer_description="the copy scenario's peer playbook with `tag_equality: false` (the module's default), run twice",
        repetitions=1,
        inspect=_copy_inspect,
        implementations=("peer",),
    ),
    Scenario(
        name="probe_peer_refresh_rerun_unguarded",
        title="autoscaling_instance_refresh re-run without a `when: changed` guard (2 groups)",
        arrange=lambda aws: _rollout_arrange(aws, group_count=2),
        ours=None,
        peer=lambda context: _rollout_peer(context, guarded=False),
        peer_description="the rollout scenario's peer playbook without `when: item.changed` on the refresh task, run twice",
        repetitions=1,
        inspect=_rollout_inspect,
        implementations=("peer",),
    ),
    Scenario(
        name="probe_copy_under_throttling_30pct",
        title="Copy to 8 regions with 30 % of EC2 calls throttled",
        arrange=_copy_arrange,
        ours=_copy_ours,
        peer=_copy_peer,
        peer_description="the copy scenario, both runs with `RequestLimitExceeded` on 30 % of EC2 calls (fixed seed)",
        repetitions=1,
        inspect=_copy_inspect,
        faults=[{"action": "ec2:*", "kind": "throttle", "rate": 0.3}],
    ),
]

SCENARIOS_BY_NAME = {scenario.name: scenario for scenario in SCENARIOS + PROBES}
