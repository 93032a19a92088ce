# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The temporary resources of one bake and the builder instance (IMDSv2 required, encrypted root volume), all tagged
``bakery:build-id``, reached one of two ways:

- ``ssh``: a key pair (made here, imported), and a security group open on port 22 to the given CIDRs (by default the
  builder's VPC: it is reached on its private address, through a bastion or an EC2 Instance Connect Endpoint), or the
  given security groups as they are;
- ``ssm`` (Session Manager): no key pair, a security group with no inbound rule (or the given ones), no public address,
  an instance profile with the SSM core permissions and an S3 bucket for the connection's file transfers (each given,
  or made for the build); the builder counts as up once its SSM agent is Online.

Plan first (read-only: everything is found by its build-id tag or its build-derived name), then create what is missing,
so check mode makes no mutating call and a re-run with the same build id changes nothing. Every create survives a lost
response (see each resource's module, and RunInstances' ClientToken below).
"""

from __future__ import annotations

import hashlib

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import BUILD_ID_TAG
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError, BakeryError, InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff, poll_until
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import tag_list_to_dict, tag_specifications
from ansible_collections.bakery.ami.plugins.module_utils._builder.instance_profile import BuildInstanceProfile
from ansible_collections.bakery.ami.plugins.module_utils._builder.key_pair import BuildKeyPair
from ansible_collections.bakery.ami.plugins.module_utils._builder.network import check_security_groups, find_network
from ansible_collections.bakery.ami.plugins.module_utils._builder.request import SSH, SSM
from ansible_collections.bakery.ami.plugins.module_utils._builder.security_group import BuildSecurityGroup
from ansible_collections.bakery.ami.plugins.module_utils._builder.ssm_agent import wait_until_online
from ansible_collections.bakery.ami.plugins.module_utils._builder.transfer_bucket import BuildTransferBucket, bucket_exists

LIVE_INSTANCE_STATES = ("pending", "running", "stopping", "stopped")
# A new instance profile takes a few seconds to be usable by EC2 (IAM is eventually consistent): RunInstances answers
# InvalidParameterValue ("Invalid IAM Instance Profile name") meanwhile.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
PROFILE_PROPAGATION_SECONDS = 120
PURPOSE = {SSH: "SSH from the controller only", SSM: "Session Manager, no inbound traffic"}


def find_instances(ec2, build_id, states=LIVE_INSTANCE_STATES):
    filters = [{"Name": "tag:%s" % BUILD_ID_TAG, "Values": [build_id]}, {"Name": "instance-state-name", "Values": list(states)}]
    reservations = ec2.paginate("describe_instances", "Reservations", Filters=filters)
    return [instance for reservation in reservations for instance in reservation.get("Instances", [])]


def instance_summary(instance):
    if not instance:
        return {}
    return {
        "instance_id": instance["InstanceId"],
        "state": instance.get("State", {}).get("Name"),
        "image_id": instance.get("ImageId"),
        "instance_type": instance.get("InstanceType"),
        "subnet_id": instance.get("SubnetId"),
        "private_ip_address": instance.get("PrivateIpAddress"),
        "public_ip_address": instance.get("PublicIpAddress"),
        "key_name": instance.get("KeyName"),
        "security_group_ids": [group["GroupId"] for group in instance.get("SecurityGroups", [])],
        "iam_instance_profile_arn": (instance.get("IamInstanceProfile") or {}).get("Arn"),
        "metadata_http_tokens": instance.get("MetadataOptions", {}).get("HttpTokens"),
        "tags": tag_list_to_dict(instance.get("Tags")),
    }


def is_profile_not_yet_visible(error):
    return error_code(error) == "InvalidParameterValue" and "iaminstanceprofile" in (error.aws_message or "").lower()


class BuilderPlan:
    def __init__(self, connection):
        self.connection = connection
        self.network = None
        self.key_pair = None
        self.security_group = None
        self.given_security_groups = []
        self.ssh_cidrs = []
        self.missing_ssh_cidrs = []
        self.instance_profile = None
        self.transfer_bucket = None
        self.instance = None
        self.root_device = None
        # What this build makes (rather than what it is given): decided by the request.
        self.makes_security_group = True
        self.makes_instance_profile = False
        self.makes_transfer_bucket = False

    @property
    def actions(self):
        actions = []
        if self.connection == SSH and not self.key_pair:
            actions.append("import key pair")
        if self.makes_security_group and not self.security_group:
            actions.append("create security group")
        elif self.missing_ssh_cidrs:
            # A run interrupted between creating the group and adding its rule.
            actions.append("allow SSH from %s" % ", ".join(self.missing_ssh_cidrs))
        if self.makes_instance_profile and not self.instance_profile:
            actions.append("create instance profile")
        if self.makes_transfer_bucket and not self.transfer_bucket:
            actions.append("create transfer bucket")
        if not self.instance:
            actions.append("launch instance")
        return actions

    @property
    def security_group_ids(self):
        if self.given_security_groups:
            return [group["GroupId"] for group in self.given_security_groups]
        return [self.security_group["GroupId"]] if self.security_group else []

    def describe(self):
        return {
            "key_name": (self.key_pair or {}).get("KeyName"),
            "security_group_id": (self.security_group or {}).get("GroupId"),
            "instance_profile": (self.instance_profile or {}).get("InstanceProfileName"),
            "transfer_bucket": (self.transfer_bucket or {}).get("Name"),
            "instance_id": (self.instance or {}).get("InstanceId"),
        }


class BuilderLauncher:
    def __init__(self, client_factory, request):
        self.request = request
        self.ec2 = client_factory.api("ec2", request.region)
        self._client_factory = client_factory

    def _api(self, service):
        return self._client_factory.api(service, self.request.region)

    def plan(self):
        request = self.request
        plan = BuilderPlan(request.connection)
        plan.makes_security_group = request.makes_security_group
        plan.makes_instance_profile = request.makes_instance_profile
        plan.makes_transfer_bucket = request.makes_transfer_bucket
        instances = find_instances(self.ec2, request.build_id)
        plan.instance = instances[0] if instances else None
        plan.network = find_network(self.ec2, request.region, request.subnet_id)
        plan.given_security_groups = check_security_groups(self.ec2, plan.network, request.security_group_ids)
        if request.connection == SSH:
            plan.key_pair = BuildKeyPair(self.ec2, request).find()
        if plan.makes_security_group:
            security_group = BuildSecurityGroup(self.ec2, request)
            plan.security_group = security_group.find()
            if request.connection == SSH:
                plan.ssh_cidrs = request.ssh_cidrs or plan.network.cidr_blocks
                plan.missing_ssh_cidrs = security_group.missing_cidrs(plan.security_group, plan.ssh_cidrs)
        if plan.makes_instance_profile:
            plan.instance_profile = BuildInstanceProfile(self._api("iam"), request).find()
        elif request.iam_instance_profile:
            plan.instance_profile = {"InstanceProfileName": request.iam_instance_profile}
        if plan.makes_transfer_bucket:
            plan.transfer_bucket = BuildTransferBucket(self._api("s3"), request).find()
        elif request.transfer_bucket:
            if not bucket_exists(self._api("s3"), request.transfer_bucket):
                raise InvalidInputError("transfer_bucket", "%s does not exist" % request.transfer_bucket)
            plan.transfer_bucket = {"Name": request.transfer_bucket}
        # A missing image is found before anything is created, so bad input leaves no key pair or security group.
        plan.root_device = None if plan.instance else self._root_device()
        return plan

    def apply(self, plan):
        request = self.request
        if request.connection == SSH and not plan.key_pair:
            plan.key_pair = BuildKeyPair(self.ec2, request).create()
        if plan.makes_security_group:
            security_group = BuildSecurityGroup(self.ec2, request)
            if not plan.security_group:
                plan.security_group = security_group.create(plan.network.vpc_id, PURPOSE[request.connection])
                plan.missing_ssh_cidrs = security_group.missing_cidrs(plan.security_group, plan.ssh_cidrs)
            security_group.allow_ssh(plan.security_group["GroupId"], plan.missing_ssh_cidrs)
        if plan.makes_instance_profile and not plan.instance_profile:
            plan.instance_profile = BuildInstanceProfile(self._api("iam"), request).create()
        if plan.makes_transfer_bucket and not plan.transfer_bucket:
            plan.transfer_bucket = BuildTransferBucket(self._api("s3"), request).create()
        if not plan.instance:
            plan.instance = self._launch(plan)
        self.wait_until_up(plan)
        return plan

    def wait_until_up(self, plan):
        if not self.request.wait:
            return
        if plan.instance["State"]["Name"] != "running":
            plan.instance = self._wait_until_running(plan.instance["InstanceId"])
        if self.request.connection == SSM:
            wait_until_online(self._api("ssm"), plan.instance["InstanceId"], self.request.build_id, self.request.wait_timeout)

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

    def _launch_options(self, plan):
        request = self.request
        root_device_name, image_volume_size = plan.root_device or self._root_device()
        root_ebs = {"Encrypted": True, "DeleteOnTermination": True, "VolumeType": request.volume_type}
        if request.volume_size or image_volume_size:
            root_ebs["VolumeSize"] = request.volume_size or image_volume_size
        if request.kms_key_id:
            root_ebs["KmsKeyId"] = request.kms_key_id
        # Always the subnet and groups explicitly: no default VPC is assumed, and AssociatePublicIpAddress is sent only
        # when decided (a subnet's MapPublicIpOnLaunch applies otherwise; organisations may deny public addresses).
        network_interface = {"DeviceIndex": 0, "SubnetId": plan.network.subnet_id, "Groups": plan.security_group_ids, "DeleteOnTermination": True}
        if request.associate_public_ip_address is not None:
            network_interface["AssociatePublicIpAddress"] = request.associate_public_ip_address
        options = {
            "ImageId": request.image_id,
            "InstanceType": request.instance_type,
            "MinCount": 1,
            "MaxCount": 1,
            "NetworkInterfaces": [network_interface],
            # IMDSv2 only: a session token is required for every metadata request.
            "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 2},
            "BlockDeviceMappings": [{"DeviceName": root_device_name, "Ebs": root_ebs}],
            "TagSpecifications": tag_specifications(["instance", "volume", "network-interface"], request.resource_tags()),
            # A retried RunInstances (lost response) must not start a second builder: the same token returns the first.
            "ClientToken": hashlib.sha256(("builder:" + request.build_id).encode()).hexdigest()[:64],
        }
        if plan.key_pair:
            options["KeyName"] = plan.key_pair["KeyName"]
        if plan.instance_profile:
            name = plan.instance_profile["InstanceProfileName"]
            options["IamInstanceProfile"] = {"Arn" if name.startswith("arn:") else "Name": name}
        if request.user_data:
            options["UserData"] = request.user_data
        return options

    def _launch(self, plan):
        options = self._launch_options(plan)
        if not plan.makes_instance_profile:
            return self.ec2.call("run_instances", **options)["Instances"][0]

        def probe():
            try:
                return True, self.ec2.call("run_instances", **options)["Instances"][0]
            except AwsCallError as error:
                if not is_profile_not_yet_visible(error):
                    raise
                return False, error.aws_message

        return poll_until(probe, "EC2 to accept the new instance profile %s" % plan.instance_profile["InstanceProfileName"],
                          PROFILE_PROPAGATION_SECONDS, Backoff(initial_delay=2, max_delay=10))

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


def launch_builder(client_factory, request, check_mode):
    launcher = BuilderLauncher(client_factory, request)
    plan = launcher.plan()
    before = plan.describe()
    actions = plan.actions
    if actions and not check_mode:
        launcher.apply(plan)
    elif not actions and not check_mode:
        launcher.wait_until_up(plan)
    after = plan.describe()
    is_ssh = request.connection == SSH
    return {
        "changed": bool(actions),
        "actions": actions,
        "build_id": request.build_id,
        "region": request.region,
        "connection": request.connection,
        "subnet_id": plan.network.subnet_id,
        "vpc_id": plan.network.vpc_id,
        "key_name": (after["key_name"] or (request.name if check_mode else None)) if is_ssh else None,
        "private_key_path": request.private_key_path if is_ssh else None,
        "security_group_id": after["security_group_id"],
        "security_group_ids": plan.security_group_ids,
        "ssh_cidrs": plan.ssh_cidrs,
        "instance_profile": after["instance_profile"] or (request.iam_name if check_mode and plan.makes_instance_profile else None),
        "transfer_bucket": after["transfer_bucket"] or (request.bucket_name if check_mode and plan.makes_transfer_bucket else None),
        "instance_id": after["instance_id"],
        "instance": instance_summary(plan.instance),
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
