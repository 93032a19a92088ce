#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: image
short_description: Create, register, update or deregister an Amazon Machine Image
version_added: 0.1.0
description:
  - Creates an AMI from a running or stopped EC2 instance, or registers one from EBS snapshots
    (or an instance-store manifest).
  - The image O(name) is the idempotency key. AMI names are unique per owner and region, so a second
    run finds the caller's image of that name and adopts it without any mutating call.
  - Updates the description, tags (on the image and its snapshots), deprecation time and
    deregistration protection of an existing image.
  - With O(state=absent), deregisters the image and deletes its snapshots, except snapshots that
    another image still uses (AWS keeps those).
author:
  - bakery.ami maintainers (@bakery-ami)
options:
  state:
    description:
      - V(present) creates or registers the image when no image of that name exists, and updates it otherwise.
      - V(absent) deregisters it.
    type: str
    choices: [present, absent]
    default: present
  name:
    description:
      - The AMI name; unique among the caller's images in the region and the idempotency key of this module.
      - 3 to 128 characters from letters, digits, spaces and C(( ) [ ] . / - ' @ _).
      - Required to create or register an image. AMI names cannot be changed later.
    type: str
  image_id:
    description:
      - The id of an existing image to update or deregister, instead of finding it by O(name).
    type: str
  instance_id:
    description:
      - The instance to create the image from. It may be running or stopped.
    type: str
  no_reboot:
    description:
      - When V(false) (the default), EC2 shuts the running instance down before taking the snapshots, so
        the file systems are consistent, and starts it again afterwards.
      - When V(true), the instance keeps running; file systems may be captured in an inconsistent state.
    type: bool
    default: false
  description:
    description:
      - The description of the image (at most 255 characters).
    type: str
  device_mappings:
    description:
      - Block device mappings. When creating from an instance they add or change volumes of the image;
        when registering, they define it (the root device must map to a snapshot).
    type: list
    elements: dict
    suboptions:
      device_name:
        description: The device name, for example C(/dev/xvda).
        type: str
        required: true
      snapshot_id:
        description: The snapshot to build the volume from.
        type: str
      volume_size:
        description: The volume size in GiB.
        type: int
      volume_type:
        description: The EBS volume type.
        type: str
        choices: [standard, gp2, gp3, io1, io2, sc1, st1]
      iops:
        description: Provisioned IOPS (io1, io2, gp3).
        type: int
      throughput:
        description: Throughput in MiB/s (gp3).
        type: int
      encrypted:
        description: Whether the volume is encrypted.
        type: bool
      kms_key_id:
        description: The KMS key for an encrypted volume.
        type: str
      delete_on_termination:
        description: Whether the volume is deleted when the instance terminates.
        type: bool
      virtual_name:
        description: An instance store volume name such as C(ephemeral0).
        type: str
      no_device:
        description: Suppress this device from the image.
        type: bool
        default: false
  root_device_name:
    description:
      - The root device name of a registered image, for example C(/dev/xvda).
    type: str
  architecture:
    description: The architecture of a registered image.
    type: str
    choices: [i386, x86_64, arm64, x86_64_mac, arm64_mac]
  virtualization_type:
    description: The virtualization type of a registered image.
    type: str
    choices: [hvm, paravirtual]
  boot_mode:
    description: The boot mode of a registered image.
    type: str
    choices: [legacy-bios, uefi, uefi-preferred]
  ena_support:
    description: Whether enhanced networking with ENA is enabled for a registered image.
    type: bool
  imds_support:
    description:
      - V(v2.0) makes instances launched from a registered image require IMDSv2.
    type: str
    choices: [v2.0]
  tpm_support:
    description:
      - V(v2.0) enables NitroTPM for a registered image (needs O(boot_mode=uefi)).
    type: str
    choices: [v2.0]
  image_location:
    description:
      - The Amazon S3 path of the manifest of an instance-store-backed image to register.
    type: str
  tags:
    description:
      - Tags for the image (and its snapshots, see O(tag_snapshots)), as a dict.
      - When not set, tags are left alone.
    type: dict
  purge_tags:
    description:
      - When V(true) and O(tags) is set, tags not in O(tags) are removed (tags with the C(aws:) prefix are never touched).
    type: bool
    default: true
  tag_snapshots:
    description:
      - Whether the image's snapshots carry the same tags as the image.
    type: bool
    default: true
  deprecate_at:
    description:
      - When the image becomes deprecated.
      - A UTC time (V(2027-01-31T00:00:00Z)), an age after the image's creation (V(90d), V(12w), V(1y), V(36h)),
        or V(never) to cancel deprecation. An age keeps re-runs idempotent.
      - AWS keeps the time to the minute.
    type: str
  deregistration_protection:
    description:
      - V(enabled) or V(enabled-with-cooldown) (protection stays 24 hours after it is disabled) prevents deregistration;
        V(disabled) lifts it. When not set, it is left alone.
    type: str
    choices: [enabled, enabled-with-cooldown, disabled]
  delete_snapshots:
    description:
      - With O(state=absent), delete the image's snapshots too. Snapshots another image uses are always kept.
    type: bool
    default: true
  wait:
    description:
      - Wait until the image is C(available). Polls with exponential backoff.
    type: bool
    default: true
  wait_timeout:
    description:
      - How long to wait, in seconds.
    type: int
    default: 1200
extends_documentation_fragment:
  - bakery.ami.aws
attributes:
  check_mode:
    support: full
    description: Makes only read calls and reports what would change.
  diff_mode:
    support: full
    description: Shows name, description, tags, deprecation time and protection before and after.
notes:
  - CreateImage and RegisterImage have no idempotency token. If a request retried after a lost answer finds the name
    taken by the image its first attempt made (the same source instance, or the same snapshots or location, with the
    requested tags and description), that image is adopted; an image of that name anyone else made is reported, not
    changed. A DeregisterImage retried after a lost answer finds the image gone and succeeds.
"""

EXAMPLES = r"""
- name: Create an image from a builder instance (stopped first for a consistent file system)
  bakery.ami.image:
    name: web-server-000-20261126T1200
    instance_id: i-0123456789abcdef0
    description: Ruby, Node.js and PostgreSQL client
    tags:
      bakery:layer: web-server-000
    deprecate_at: 180d
  register: baked

- name: Register an image from a snapshot
  bakery.ami.image:
    name: imported-root
    root_device_name: /dev/xvda
    architecture: x86_64
    boot_mode: uefi
    ena_support: true
    imds_support: v2.0
    device_mappings:
      - device_name: /dev/xvda
        snapshot_id: snap-0123456789abcdef0
        volume_type: gp3
        delete_on_termination: true

- name: Protect a released image from deregistration
  bakery.ami.image:
    image_id: "{{ baked.image_id }}"
    deregistration_protection: enabled

- name: Deregister an image and delete its snapshots
  bakery.ami.image:
    name: web-server-000-20260101T1200
    state: absent
"""

RETURN = r"""
image:
  description:
    - The image after the run, as the collection's image record (every key is documented once, at
      RV(bakery.ami.image_info#module:images)). Empty when the image is absent.
  returned: always
  type: dict
  sample: {"image_id": "ami-0123456789abcdef0", "region": "eu-west-1", "name": "web-server-000-20261126T1200", "state": "available"}
image_id:
  description: The AMI id (the deregistered one with O(state=absent)); null when no image exists.
  returned: always
  type: str
  sample: ami-0123456789abcdef0
snapshot_ids:
  description: The snapshots behind the image.
  returned: always
  type: list
  elements: str
deleted_snapshot_ids:
  description: The snapshots deleted along with a deregistered image.
  returned: when an image was deregistered
  type: list
  elements: str
actions:
  description: What the run did (or, in check mode, would do), in order.
  returned: always
  type: list
  elements: str
  sample: ["create image from instance", "enable deprecation"]
"""

from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import BakeryAwsModule
from ansible_collections.bakery.ami.plugins.module_utils._image.reconciler import reconcile_image
from ansible_collections.bakery.ami.plugins.module_utils._image.request import ImageRequest


def argument_spec():
    device_mapping = dict(
        device_name=dict(type="str", required=True),
        snapshot_id=dict(type="str"),
        volume_size=dict(type="int"),
        volume_type=dict(type="str", choices=["standard", "gp2", "gp3", "io1", "io2", "sc1", "st1"]),
        iops=dict(type="int"),
        throughput=dict(type="int"),
        encrypted=dict(type="bool"),
        kms_key_id=dict(type="str"),
        delete_on_termination=dict(type="bool"),
        virtual_name=dict(type="str"),
        no_device=dict(type="bool", default=False),
    )
    return dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        name=dict(type="str"),
        image_id=dict(type="str"),
        instance_id=dict(type="str"),
        no_reboot=dict(type="bool", default=False),
        description=dict(type="str"),
        device_mappings=dict(type="list", elements="dict", options=device_mapping),
        root_device_name=dict(type="str"),
        architecture=dict(type="str", choices=["i386", "x86_64", "arm64", "x86_64_mac", "arm64_mac"]),
        virtualization_type=dict(type="str", choices=["hvm", "paravirtual"]),
        boot_mode=dict(type="str", choices=["legacy-bios", "uefi", "uefi-preferred"]),
        ena_support=dict(type="bool"),
        imds_support=dict(type="str", choices=["v2.0"]),
        tpm_support=dict(type="str", choices=["v2.0"]),
        image_location=dict(type="str"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
        tag_snapshots=dict(type="bool", default=True),
        deprecate_at=dict(type="str"),
        deregistration_protection=dict(type="str", choices=["enabled", "enabled-with-cooldown", "disabled"]),
        delete_snapshots=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1200),
    )


def main():
    module = BakeryAwsModule(
        argument_spec(),
        supports_check_mode=True,
        mutually_exclusive=[["instance_id", "image_location"]],
    )

    def work():
        request = ImageRequest.from_params(module.request_params)
        result = reconcile_image(module.client_factory.api("ec2"), request, module.check_mode)
        return result

    module.run(work)


if __name__ == "__main__":
    main()
