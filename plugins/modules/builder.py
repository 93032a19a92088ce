#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: builder
short_description: The temporary resources of one image bake - key pair, security group and builder instance
version_added: 0.1.0
description:
  - With O(state=present), creates in one region a key pair (generated on the controller, its private key written to
    O(private_key_path) with mode 0600 before its public key is imported with C(ImportKeyPair), so a lost answer never
    loses the private key), a security group that allows SSH (port 22) from O(ssh_cidrs) only, and the builder instance from O(image_id)
    with IMDSv2 required and an encrypted root volume; waits until the instance is running.
  - Every resource is tagged C(bakery:build-id=<build_id>) and found again by that tag, so a re-run with the same
    O(build_id) makes no mutating call.
  - With O(state=absent), removes everything tagged with O(build_id) in every region of O(regions) - the instances
    (terminated, and waited for), key pairs and security groups - and with O(include_images=true) the build's images,
    the copies of those images (tagged C(bakery:source-image)) and their snapshots. Without O(build_id), removes every
    interrupted build - one whose key pair, security group or instance still exists.
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
    description: The subnet to launch in (the security group is made in its VPC). Defaults to the default VPC.
    type: str
  associate_public_ip_address:
    description: Whether the builder gets a public address. Defaults to the subnet's setting.
    type: bool
  iam_instance_profile:
    description: An instance profile name or ARN for the builder.
    type: str
  ssh_cidrs:
    description:
      - The addresses allowed to reach the builder on port 22 - the controller's address, e.g. V(203.0.113.7/32).
      - Required with O(state=present).
    type: list
    elements: str
  key_type:
    description: The key pair type.
    type: str
    choices: [ed25519, rsa]
    default: ed25519
  private_key_path:
    description:
      - Where the new key pair's private key is written, mode 0600. Required with O(state=present).
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
    description: Wait until the builder is running.
    type: bool
    default: true
  wait_timeout:
    description: How long to wait for the builder to run, or to terminate, in seconds.
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
"""

EXAMPLES = r"""
- name: Launch the builder of this bake
  bakery.ami.builder:
    build_id: web-server-002-20261126T120000-3f2a
    image_id: ami-0123456789abcdef0
    instance_type: t3.small
    volume_size: 16
    ssh_cidrs: ["203.0.113.7/32"]
    private_key_path: /tmp/bake-web-server-002.key
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
instance_id:
  description: The builder instance id.
  returned: with state=present
  type: str
instance:
  description: The builder - C(instance_id), C(state), C(image_id), C(instance_type), C(private_ip_address),
    C(public_ip_address), C(metadata_http_tokens), C(tags).
  returned: with state=present
  type: dict
key_name:
  description: The key pair name.
  returned: with state=present
  type: str
private_key_path:
  description: Where the private key is.
  returned: with state=present
  type: str
security_group_id:
  description: The security group id.
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
  description: Per region, the C(instances), C(key_pairs), C(security_groups), C(images) and C(snapshots) removed.
  returned: with state=absent
  type: dict
  sample: {"us-east-1": {"instances": ["i-0123456789abcdef0"], "key_pairs": ["bakery-build-x"], "security_groups": [],
           "images": [], "snapshots": []}}
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
        subnet_id=dict(type="str"),
        associate_public_ip_address=dict(type="bool"),
        iam_instance_profile=dict(type="str"),
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
            result = launch_builder(factory.api("ec2", request.region), request, module.check_mode)
        elif request.state == "stopped":
            result = stop_builder(factory.api("ec2", request.region), request, module.check_mode)
        else:
            result = sweep_builds(factory, request, module.check_mode)
        return result

    module.run(work)


if __name__ == "__main__":
    main()
