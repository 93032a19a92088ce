# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The temporary resources of one bake: a key pair, a security group open to SSH from the controller only,
and the builder instance (IMDSv2 required, encrypted root volume), all tagged ``bakery:build-id``.

Plan first (read-only: the three resources are found by their build-id tag), then create what is missing,
so check mode makes no mutating call and a re-run with the same build id changes nothing.

Lost answers (AWS committed, the client saw a 500 or a dropped connection, botocore retried): RunInstances carries
a ClientToken derived from the build id, so the retry gets the first launch back; the key pair is imported
(key_pair.py), so its private key is on disk before the call; CreateSecurityGroup has no token, so a retry that finds
the name taken adopts the group when it carries this build's tag, and an ingress rule that already exists is the one
the first attempt added.
"""

from __future__ import annotations

import hashlib

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import BUILD_ID_TAG
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError, InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff, poll_until
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import tag_list_to_dict, tag_specifications
from ansible_collections.bakery.ami.plugins.module_utils._builder.key_pair import BuildKeyPair, build_filter

LIVE_INSTANCE_STATES = ("pending", "running", "stopping", "stopped")
SSH_PORT = 22


def find_instances(ec2, build_id, states=LIVE_INSTANCE_STATES):
    filters = build_filter(build_id) + [{"Name": "instance-state-name", "Values": list(states)}]
    reservations = ec2.paginate("describe_instances", "Reservations", Filters=filters)
    return [instance for reservation in reservations for instance in reservation.get("Instances", [])]


def find_security_groups(ec2, build_id):
    return ec2.paginate("describe_security_groups", "SecurityGroups", Filters=build_filter(build_id))


def instance_summary(instance):
    if not instance:
        return {}
    return {
        "instance_id": instance["InstanceId"],
        "state": instance.get("State", {}).get("Name"),
        "image_id": instance.get("ImageId"),
        "instance_type": instance.get("InstanceType"),
        "private_ip_address": instance.get("PrivateIpAddress"),
        "public_ip_address": instance.get("PublicIpAddress"),
        "metadata_http_tokens": instance.get("MetadataOptions", {}).get("HttpTokens"),
        "tags": tag_list_to_dict(instance.get("Tags")),
    }


class BuilderPlan:
    def __init__(self, key_pair, security_group, instance):
        self.key_pair = key_pair
        self.security_group = security_group
        self.instance = instance
        self.root_device = None

    @property
    def actions(self):
        actions = []
        if not self.key_pair:
            actions.append("create key pair")
        if not self.security_group:
            actions.append("create security group")
        if not self.instance:
            actions.append("launch instance")
        return actions

    def describe(self):
        return {
            "key_name": (self.key_pair or {}).get("KeyName"),
            "security_group_id": (self.security_group or {}).get("GroupId"),
            "instance_id": (self.instance or {}).get("InstanceId"),
        }


class BuilderLauncher:
    def __init__(self, ec2, request):
        self.ec2 = ec2
        self.request = request

    def plan(self):
        build_id = self.request.build_id
        key_pair = BuildKeyPair(self.ec2, self.request).find()
        groups = find_security_groups(self.ec2, build_id)
        instances = find_instances(self.ec2, build_id)
        plan = BuilderPlan(key_pair, groups[0] if groups else None, instances[0] if instances else None)
        # A missing image is found before anything is created, so bad input leaves no key pair or security group.
        plan.root_device = None if plan.instance else self._root_device()
        return plan

    def apply(self, plan):
        if not plan.key_pair:
            plan.key_pair = BuildKeyPair(self.ec2, self.request).create()
        if not plan.security_group:
            plan.security_group = self._create_security_group()
        if not plan.instance:
            plan.instance = self._launch(plan.key_pair["KeyName"], plan.security_group["GroupId"], plan.root_device or self._root_device())
        if self.request.wait and plan.instance["State"]["Name"] != "running":
            plan.instance = self._wait_until_running(plan.instance["InstanceId"])
        return plan

    def _create_security_group(self):
        options = {}
        if self.request.subnet_id:
            subnet = self.ec2.call("describe_subnets", SubnetIds=[self.request.subnet_id])["Subnets"][0]
            options["VpcId"] = subnet["VpcId"]
        try:
            created = self.ec2.call(
                "create_security_group",
                GroupName=self.request.name,
                Description="bakery.ami builder %s: SSH from the controller only" % self.request.build_id,
                TagSpecifications=tag_specifications(["security-group"], self.request.resource_tags()),
                **options
            )
        except BakeryError as error:
            if error_code(error) != "InvalidGroup.Duplicate":
                raise
            created = self._security_group_made_before(options.get("VpcId"))
        self._authorize_ssh(created["GroupId"])
        return {"GroupId": created["GroupId"], "GroupName": self.request.name}

    def _security_group_made_before(self, vpc_id):
        """The group a CreateSecurityGroup whose answer was lost made (botocore's retry finds the name taken): adopted
        when it carries this build's tag, which the same call set; any other group of that name is refused."""
        filters = [{"Name": "group-name", "Values": [self.request.name]}]
        if vpc_id:
            filters.append({"Name": "vpc-id", "Values": [vpc_id]})
        groups = self.ec2.paginate("describe_security_groups", "SecurityGroups", Filters=filters)
        ours = [group for group in groups if tag_list_to_dict(group.get("Tags")).get(BUILD_ID_TAG) == self.request.build_id]
        if not ours:
            raise BakeryError(
                "a security group named %s exists in %s that is not build %s's: remove it or use another build id"
                % (self.request.name, self.request.region, self.request.build_id)
            )
        return ours[0]

    def _authorize_ssh(self, group_id):
        try:
            self._authorize_ssh_ingress(group_id)
        except BakeryError as error:
            # A retry after a lost answer: the first attempt added the rule.
            if error_code(error) != "InvalidPermission.Duplicate":
                raise

    def _authorize_ssh_ingress(self, group_id):
        self.ec2.call(
            "authorize_security_group_ingress",
            GroupId=group_id,
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": SSH_PORT,
                    "ToPort": SSH_PORT,
                    "IpRanges": [{"CidrIp": cidr, "Description": "bakery.ami controller"} for cidr in self.request.ssh_cidrs if ":" not in cidr],
                    "Ipv6Ranges": [{"CidrIpv6": cidr, "Description": "bakery.ami controller"} for cidr in self.request.ssh_cidrs if ":" in cidr],
                }
            ],
        )

    def _root_device(self):
        """(root device name, its size in GiB) of the image."""
        try:
            images = self.ec2.call("describe_images", ImageIds=[self.request.image_id]).get("Images", [])
        except BakeryError as error:
            if getattr(error, "code", None) not in ("InvalidAMIID.NotFound", "InvalidAMIID.Unavailable"):
                raise
            images = []
        if not images:
            raise InvalidInputError(
                "image_id", "%s does not exist in %s (or is not visible to this account)" % (self.request.image_id, self.request.region)
            )
        device_name = images[0].get("RootDeviceName") or "/dev/xvda"
        sizes = [mapping.get("Ebs", {}).get("VolumeSize") for mapping in images[0].get("BlockDeviceMappings", []) if mapping.get("DeviceName") == device_name]
        return device_name, next((size for size in sizes if size), None)

    def _launch(self, key_name, group_id, root_device):
        request = self.request
        root_device_name, image_volume_size = root_device
        root_ebs = {"Encrypted": True, "DeleteOnTermination": True, "VolumeType": request.volume_type}
        if request.volume_size or image_volume_size:
            root_ebs["VolumeSize"] = request.volume_size or image_volume_size
        if request.kms_key_id:
            root_ebs["KmsKeyId"] = request.kms_key_id
        network = {"Groups": [group_id], "DeviceIndex": 0}
        options = {}
        if request.subnet_id or request.associate_public_ip_address is not None:
            if request.subnet_id:
                network["SubnetId"] = request.subnet_id
            if request.associate_public_ip_address is not None:
                network["AssociatePublicIpAddress"] = request.associate_public_ip_address
            options["NetworkInterfaces"] = [network]
        else:
            options["SecurityGroupIds"] = [group_id]
        if request.iam_instance_profile:
            key = "Arn" if request.iam_instance_profile.startswith("arn:") else "Name"
            options["IamInstanceProfile"] = {key: request.iam_instance_profile}
        launched = self.ec2.call(
            "run_instances",
            ImageId=request.image_id,
            InstanceType=request.instance_type,
            MinCount=1,
            MaxCount=1,
            KeyName=key_name,
            # IMDSv2 only: a session token is required for every metadata request.
            MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 2},
            BlockDeviceMappings=[{"DeviceName": root_device_name, "Ebs": root_ebs}],
            TagSpecifications=tag_specifications(["instance", "volume", "network-interface"], request.resource_tags()),
            # A retried RunInstances (lost response) must not start a second builder.
            ClientToken=hashlib.sha256(("builder:" + request.build_id).encode()).hexdigest()[:64],
            **options
        )
        return launched["Instances"][0]

    def _wait_until_running(self, instance_id):
        def probe():
            reservations = self.ec2.call("describe_instances", InstanceIds=[instance_id]).get("Reservations", [])
            instances = [instance for reservation in reservations for instance in reservation["Instances"]]
            if not instances:
                return False, "not visible yet"
            state = instances[0]["State"]["Name"]
            if state in ("terminated", "shutting-down"):
                raise BakeryError("builder %s of build %s became %s while starting (%s)" % (
                    instance_id, self.request.build_id, state, instances[0].get("StateReason", {}).get("Message", "no reason given")))
            return state == "running", instances[0] if state == "running" else state

        return poll_until(probe, "builder %s to be running" % instance_id, self.request.wait_timeout, Backoff(initial_delay=1, max_delay=10))


def launch_builder(ec2, request, check_mode):
    launcher = BuilderLauncher(ec2, request)
    plan = launcher.plan()
    before = plan.describe()
    actions = plan.actions
    if actions and not check_mode:
        launcher.apply(plan)
    elif not actions and request.wait and not check_mode and plan.instance["State"]["Name"] != "running":
        plan.instance = launcher._wait_until_running(plan.instance["InstanceId"])
    after = plan.describe()
    return {
        "changed": bool(actions),
        "actions": actions,
        "build_id": request.build_id,
        "region": request.region,
        "key_name": after["key_name"] or (request.name if check_mode else None),
        "private_key_path": request.private_key_path,
        "security_group_id": after["security_group_id"],
        "instance_id": after["instance_id"],
        "instance": instance_summary(plan.instance if not isinstance(plan.instance, str) else None),
        "diff": {"before": before, "after": after if not check_mode else dict(before, planned=actions)},
    }


def stop_builder(ec2, request, check_mode):
    """Stop the build's instance and wait until it is stopped (an image of a stopped instance is consistent)."""
    instances = find_instances(ec2, request.build_id)
    if not instances:
        raise BakeryError("build %s has no builder instance in %s to stop" % (request.build_id, request.region))
    instance = instances[0]
    is_stopped = instance["State"]["Name"] == "stopped"
    if not is_stopped and not check_mode:
        ec2.call("stop_instances", InstanceIds=[instance["InstanceId"]])

        def probe():
            reservations = ec2.call("describe_instances", InstanceIds=[instance["InstanceId"]]).get("Reservations", [])
            current = [item for reservation in reservations for item in reservation["Instances"]][0]
            return current["State"]["Name"] == "stopped", current

        instance = poll_until(probe, "builder %s to stop" % instance["InstanceId"], request.wait_timeout, Backoff(initial_delay=1, max_delay=10))
    return {
        "changed": not is_stopped,
        "actions": [] if is_stopped else ["stop instance"],
        "build_id": request.build_id,
        "region": request.region,
        "instance_id": instance["InstanceId"],
        "instance": instance_summary(instance),
        "diff": {"before": {"state": "stopped" if is_stopped else "running"}, "after": {"state": "stopped"}},
    }
