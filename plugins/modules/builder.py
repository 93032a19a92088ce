#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: builder
short_description: The temporary resources of one image bake - the builder instance and what reaching it takes
version_added: 0.1.0
description:
  - With O(state=present), launches in one region the builder instance from O(image_id) (IMDSv2 required, encrypted
    root volume) in O(subnet_id) (default - a default subnet of the region's default VPC; a region without one fails
    before anything is made), and what the chosen O(connection) needs to reach it; waits until the builder is up.
  - O(connection=ssh) - a key pair made on the controller (the private key written to O(private_key_path), mode 0600;
    only the public key is imported) and a security group open on port 22 to O(ssh_cidrs) only (default - the CIDR
    blocks of the builder's VPC), or O(security_group_ids) as they are. The builder is up when it runs.
  - O(connection=ssm) - AWS Systems Manager Session Manager (the C(amazon.aws.aws_ssm) connection plugin) - no key
    pair, a security group with no inbound rule (or O(security_group_ids)), no public address; an instance profile with
    AWS's C(AmazonSSMManagedInstanceCore) policy (O(iam_instance_profile), or one made for the build) and an S3 bucket
    for the plugin's file transfers (O(transfer_bucket), or one made for the build - encrypted, public access blocked,
    objects expire after a day). The builder is up when its SSM agent is C(Online).
  - Every resource is tagged C(bakery:build-id=<build_id>) and found again by that tag (and its name, derived from the
    build id), so a re-run with the same O(build_id) makes no mutating call, and a create whose response was lost is
    recognised and adopted on the retry.
  - With O(state=absent), removes everything of O(build_id) - in every region of O(regions) the instances (terminated,
    and waited for), key pairs, security groups and, with O(include_images=true), the build's images, the copies of
    those images (tagged C(bakery:source-image)) and their snapshots; and the instance profile, role and transfer bucket
    made for the build. Without O(build_id), removes every interrupted build - one whose key pair, security group,
    instance, instance profile or transfer bucket still exists.
author:
  - bakery.ami maintainers (@bakery-ami)
options:
  state:
    description:
      - V(present) creates the build resources, V(absent) removes them.
      - V(stopped) stops the build's instance and waits until it is stopped (before creating an image of it).
    type: str
    choices: [present, absent, stopped]
    default: present
  build_id:
    description:
      - The id of the build, the value of the C(bakery:build-id) tag. 1 to 100 letters, digits, C(.), C(_), C(-).
      - Required with O(state=present) and O(state=stopped). With O(state=absent) and no build id, every interrupted build is removed.
    type: str
  connection:
    description:
      - How the controller reaches the builder - V(ssh), or V(ssm) (Session Manager, the C(amazon.aws.aws_ssm)
        connection plugin). Defaults to V(ssh) with O(state=present).
      - With O(state=absent), V(ssh) leaves the instance profiles and transfer buckets of Session Manager builds alone
        (and needs no IAM or S3 permission); omitted, they are removed too.
    type: str
    choices: [ssh, ssm]
  image_id:
    description: The AMI the builder boots. Required with O(state=present).
    type: str
  instance_type:
    description: The builder's instance type.
    type: str
    default: t3.micro
  volume_size:
    description: The root volume size in GiB. Defaults to the size of the image's root snapshot.
    type: int
  volume_type:
    description: The root volume type.
    type: str
    default: gp3
  kms_key_id:
    description: The KMS key encrypting the root volume. Defaults to the account's default EBS key.
    type: str
  subnet_id:
    description:
      - The subnet to launch in; the security group is made in its VPC.
      - Defaults to a default subnet of the region's default VPC. A region without a default VPC fails naming this option.
    type: str
  security_group_ids:
    description:
      - Security groups of the builder's VPC to use as they are; no security group is made for the build.
      - With O(connection=ssh) they must let the controller in on port 22; with O(connection=ssm) they need no inbound rule.
    type: list
    elements: str
  associate_public_ip_address:
    description:
      - Whether the builder gets a public IPv4 address. Omitted with O(connection=ssh), the subnet's setting applies
        (C(MapPublicIpOnLaunch)); omitted with O(connection=ssm), V(false).
    type: bool
  iam_instance_profile:
    description:
      - An instance profile name or ARN for the builder.
      - With O(connection=ssm) its role needs the permissions of C(AmazonSSMManagedInstanceCore); omitted, an instance
        profile and role with that policy are made for the build (and removed with it).
    type: str
  transfer_bucket:
    description:
      - With O(connection=ssm), the S3 bucket the C(amazon.aws.aws_ssm) connection moves files through. Omitted, one is
        made for the build in its region (and removed with it).
    type: str
  user_data:
    description:
      - User data for the builder, given as is (EC2 encodes it); at most 16 KB. The bake role uses it to install the SSM
        agent on bases without it.
    type: str
  ssh_cidrs:
    description:
      - With O(connection=ssh), the addresses allowed to reach the builder on port 22, e.g. V(203.0.113.7/32) for a
        controller that reaches the builder's public address.
      - Omitted, the CIDR blocks of the builder's VPC - for a controller in the VPC, a bastion, or an EC2 Instance
        Connect Endpoint, all of which reach the builder on its private address.
      - Not with O(security_group_ids), nor with O(connection=ssm).
    type: list
    elements: str
  key_type:
    description: The key pair type (O(connection=ssh)).
    type: str
    choices: [ed25519, rsa]
    default: ed25519
  private_key_path:
    description:
      - Where the build's private key is written, mode 0600. Required with O(state=present) and O(connection=ssh).
      - With O(state=absent), this file is deleted.
    type: path
  regions:
    description:
      - With O(state=absent), the regions to clean. Defaults to O(region).
    type: list
    elements: str
  include_images:
    description:
      - With O(state=absent), also deregister the build's images and their copies and delete their snapshots.
    type: bool
    default: false
  tags:
    description: Extra tags for every resource.
    type: dict
  wait:
    description: Wait until the builder is up (running; with O(connection=ssm), its SSM agent C(Online)).
    type: bool
    default: true
  wait_timeout:
    description: How long to wait for the builder to be up, or to terminate, in seconds.
    type: int
    default: 600
extends_documentation_fragment:
  - bakery.ami.aws
attributes:
  check_mode:
    support: full
    description: Makes only read calls and reports what would be created or removed.
  diff_mode:
    support: full
    description: Shows the build's resources before and after.
notes:
  - The private key never appears in the module result or the logs; only its path does.
  - Running O(state=absent) without O(build_id) while another bake runs removes that bake's builder too.
  - IAM permissions per connection - see the IAM guide; the first real bake guide covers the network a builder needs.
"""

EXAMPLES = r"""
- name: Launch a builder reached over SSH on its public address
  bakery.ami.builder:
    build_id: web-server-002-20261126T120000-3f2a
    image_id: ami-0123456789abcdef0
    instance_type: t3.small
    subnet_id: subnet-0123456789abcdef0
    associate_public_ip_address: true
    ssh_cidrs: ["203.0.113.7/32"]
    private_key_path: /tmp/bake-web-server-002.key
  register: builder

- name: Launch a builder in a private subnet, reached through Session Manager
  bakery.ami.builder:
    build_id: web-server-002-20261126T120000-3f2a
    image_id: ami-0123456789abcdef0
    subnet_id: subnet-0123456789abcdef0
    connection: ssm
  register: builder

- name: Remove the build and everything it made, in every region it copied to
  bakery.ami.builder:
    state: absent
    build_id: web-server-002-20261126T120000-3f2a
    regions: [us-east-1, eu-west-1, ap-southeast-2]
    include_images: true

- name: Sweep every interrupted build
  bakery.ami.builder:
    state: absent
    regions: [us-east-1, eu-west-1]
    include_images: true
"""

RETURN = r"""
build_id:
  description: The build id.
  returned: with state=present
  type: str
connection:
  description: How the builder is reached, V(ssh) or V(ssm).
  returned: with state=present
  type: str
instance_id:
  description: The builder instance id.
  returned: with state=present
  type: str
instance:
  description: The builder - C(instance_id), C(state), C(image_id), C(instance_type), C(subnet_id),
    C(private_ip_address), C(public_ip_address), C(key_name), C(security_group_ids), C(iam_instance_profile_arn),
    C(metadata_http_tokens), C(tags).
  returned: with state=present
  type: dict
subnet_id:
  description: The builder's subnet.
  returned: with state=present
  type: str
vpc_id:
  description: The builder's VPC.
  returned: with state=present
  type: str
key_name:
  description: The key pair name (O(connection=ssh); null otherwise).
  returned: with state=present
  type: str
private_key_path:
  description: Where the private key is (O(connection=ssh); null otherwise).
  returned: with state=present
  type: str
security_group_id:
  description: The security group made for the build (null with O(security_group_ids)).
  returned: with state=present
  type: str
security_group_ids:
  description: The security groups of the builder.
  returned: with state=present
  type: list
  elements: str
ssh_cidrs:
  description: The CIDRs the build's security group lets in on port 22 (empty with O(connection=ssm) or O(security_group_ids)).
  returned: with state=present
  type: list
  elements: str
instance_profile:
  description: The builder's instance profile (given, or made for the build).
  returned: with state=present
  type: str
transfer_bucket:
  description: The S3 bucket of the Session Manager connection's file transfers (O(connection=ssm)).
  returned: with state=present
  type: str
actions:
  description: What was (in check mode, would be) created.
  returned: with state=present
  type: list
  elements: str
build_ids:
  description: The builds removed.
  returned: with state=absent
  type: list
  elements: str
removed:
  description: Per region, the C(instances), C(key_pairs), C(security_groups), C(images), C(snapshots) and
    C(transfer_buckets) removed.
  returned: with state=absent
  type: dict
  sample: {"us-east-1": {"instances": ["i-0123456789abcdef0"], "key_pairs": ["bakery-build-x"], "security_groups": [],
           "images": [], "snapshots": [], "transfer_buckets": []}}
removed_instance_profiles:
  description: The IAM instance profiles (and their roles, of the same name) removed; IAM is global.
  returned: with state=absent
  type: list
  elements: str
"""

from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import BakeryAwsModule
from ansible_collections.bakery.ami.plugins.module_utils._builder.launcher import launch_builder, stop_builder
from ansible_collections.bakery.ami.plugins.module_utils._builder.request import BuilderRequest
from ansible_collections.bakery.ami.plugins.module_utils._builder.sweeper import sweep_builds


def argument_spec():
    return dict(
        state=dict(type="str", choices=["present", "absent", "stopped"], default="present"),
        build_id=dict(type="str"),
        image_id=dict(type="str"),
        instance_type=dict(type="str", default="t3.micro"),
        volume_size=dict(type="int"),
        volume_type=dict(type="str", default="gp3"),
        kms_key_id=dict(type="str"),
        connection=dict(type="str", choices=["ssh", "ssm"]),
        subnet_id=dict(type="str"),
        security_group_ids=dict(type="list", elements="str"),
        associate_public_ip_address=dict(type="bool"),
        iam_instance_profile=dict(type="str"),
        transfer_bucket=dict(type="str"),
        user_data=dict(type="str"),
        ssh_cidrs=dict(type="list", elements="str"),
        key_type=dict(type="str", choices=["ed25519", "rsa"], default="ed25519"),
        private_key_path=dict(type="path", no_log=False),
        regions=dict(type="list", elements="str"),
        include_images=dict(type="bool", default=False),
        tags=dict(type="dict"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
    )


def main():
    module = BakeryAwsModule(argument_spec(), supports_check_mode=True)

    def work():
        factory = module.client_factory
        request = BuilderRequest.from_params(module.request_params)
        if request.state == "present":
            result = launch_builder(factory, request, module.check_mode)
        elif request.state == "stopped":
            result = stop_builder(factory.api("ec2", request.region), request, module.check_mode)
        else:
            result = sweep_builds(factory, request, module.check_mode)
        return result

    module.run(work)


if __name__ == "__main__":
    main()
