#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: bake_preflight
short_description: Check, before anything is built, that AWS would accept one bake of one image layer
version_added: 0.1.0
description:
  - Makes only read calls and C(DryRun) requests, and reports every problem it finds at once, so a bake fails in
    seconds instead of after its build and copies. The bake role (C(roles/bake/tasks/preflight.yml)) runs it for every
    layer of C(playbooks/bake.yml) and C(playbooks/patch.yml) before any builder is launched.
  - "Checks: every region (O(region) and O(copy_regions)) is in the home region's partition and enabled for the
    account (C(DescribeRegions) with C(AllRegions), C(OptInStatus)); the KMS key of the build and of each copy exists
    and is enabled in its region (C(DescribeKey); without a key, the region's default EBS key,
    C(GetEbsDefaultKmsKeyId)), and when the bake shares, is customer managed; O(image_name) and the copies' names are
    valid AMI names; O(image_tags) fit AWS's limits (50 tags per resource, one fewer on copies, which add
    C(bakery:source-image); keys up to 128 and values up to 256 characters); O(deprecate_at) lies within 10 years;
    the builder's subnet exists, or the region has a default VPC with default subnets; the builder's instance type is
    offered in those zones; O(source_image_id) exists and is available."
  - "Probes the bake's permissions with C(DryRun): C(RunInstances), C(ImportKeyPair), C(CreateSecurityGroup) (home
    region), C(CopyImage) (each copy region), C(ModifyImageAttribute) (every region, when sharing). An
    C(UnauthorizedOperation) answer is reported as a missing IAM permission in RV(missing_actions). Not probed:
    C(CreateImage) (it needs the builder instance), the KMS grants EBS makes, C(ssm:PutParameter) (no C(DryRun))."
  - Fails when it found any problem, the message listing them all (numbered); the result carries them in RV(problems).
author:
  - bakery.ami maintainers (@bakery-ami)
options:
  image_name:
    description: The AMI name the bake would give its image, after templating.
    type: str
    required: true
  image_description:
    description: The image's description (at most 255 characters).
    type: str
  image_tags:
    description: The tags the image would carry - the lineage tags and any extra tags - as a dict.
    type: dict
    default: {}
  deprecate_at:
    description: The image's deprecation time, as M(bakery.ami.image) takes it (V(90d), a UTC time, V(never)).
    type: str
  source_image_id:
    description:
      - The image the builder boots from (the parent or base image) in O(region). The permission probes use it too;
        without it C(RunInstances), C(CopyImage) and C(ModifyImageAttribute) are not probed.
    type: str
  copy_regions:
    description:
      - The regions the image would be copied to - names, or dicts with C(region), C(kms_key_id), C(name),
        C(description), as M(bakery.ami.image_copy) takes them. The home region is skipped.
    type: list
    elements: raw
    default: []
  kms_key_id:
    description:
      - The KMS key of the builder's root volume (so of the image) and of every copy without a key of its own. Empty -
        each region's default EBS key.
    type: str
  share_accounts:
    description: The accounts the images would be shared with.
    type: list
    elements: str
    default: []
  share_organization_arns:
    description: The organizations the images would be shared with.
    type: list
    elements: str
    default: []
  share_organizational_unit_arns:
    description: The organizational units the images would be shared with.
    type: list
    elements: str
    default: []
  builder:
    description:
      - The builder the bake would launch in O(region), with the keys C(instance_type) (default V(t3.micro)),
        C(subnet_id) (default - the default VPC), C(iam_instance_profile), C(key_pair) and C(security_group) (whether
        the bake imports a key pair and makes a security group for it, as over SSH; default V(true)).
      - Omit when the bake launches no builder of its own (an SSM Automation patch).
    type: dict
extends_documentation_fragment:
  - bakery.ami.aws
attributes:
  check_mode:
    support: full
    description: Always makes only read calls and C(DryRun) requests; check mode changes nothing about that.
  diff_mode:
    support: none
    description: Nothing is changed, so there is nothing to show.
notes:
  - C(DryRun) answers are about IAM only. A denied probe may stand for an action AWS authorizes as part of the request
    (C(ec2:CreateTags) for tags on create, C(iam:PassRole) for an instance profile); the problem says so.
  - A region not enabled for the account is reported once; nothing else is checked in it.
seealso:
  - module: bakery.ami.builder
  - module: bakery.ami.image_copy
  - module: bakery.ami.image_share
"""

EXAMPLES = r"""
- name: Check the bake of web-server-002 before launching anything
  bakery.ami.bake_preflight:
    region: us-east-1
    image_name: web-server-002-20261126T120000
    image_tags:
      bakery:layer: web-server-002
    deprecate_at: 180d
    source_image_id: ami-0123456789abcdef0
    copy_regions:
      - eu-west-1
      - region: ap-southeast-2
        kms_key_id: alias/bakery-images
    kms_key_id: alias/bakery-images
    share_accounts: ["111122223333"]
    builder:
      instance_type: t3.small
  register: preflight
  failed_when: false

- name: Stop with every problem found
  ansible.builtin.fail:
    msg: "{{ preflight.problems }}"
  when: preflight.problems | default([]) | length > 0
"""

RETURN = r"""
problems:
  description: Every problem found, in words that name the setting to change. Empty when the bake can go ahead.
  returned: always
  type: list
  elements: str
  sample: ["copy region ap-east-1 (copy_regions[0]) is not enabled for this account (opt-in status not-opted-in): ..."]
missing_actions:
  description: The IAM actions the caller was found to lack (denied C(DryRun) probes, denied read calls).
  returned: always
  type: list
  elements: str
  sample: ["ec2:CopyImage"]
regions_checked:
  description: The regions found enabled and checked (the home region first).
  returned: always
  type: list
  elements: str
probes:
  description: "Each permission probe, C(<action>@<region>), and its answer: C(allowed), C(denied) or C(undecided: <AWS answer>)."
  returned: always
  type: dict
  sample: {"ec2:CopyImage@eu-west-1": "allowed", "ec2:ModifyImageAttribute@us-east-1": "undecided: AuthFailure"}
"""

from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import BakeryAwsModule
from ansible_collections.bakery.ami.plugins.module_utils._bake_preflight.preflight import run_preflight
from ansible_collections.bakery.ami.plugins.module_utils._bake_preflight.request import PreflightRequest


def argument_spec():
    return dict(
        image_name=dict(type="str", required=True),
        image_description=dict(type="str"),
        image_tags=dict(type="dict", default={}),
        deprecate_at=dict(type="str"),
        source_image_id=dict(type="str"),
        copy_regions=dict(type="list", elements="raw", default=[]),
        kms_key_id=dict(type="str", no_log=False),
        share_accounts=dict(type="list", elements="str", default=[]),
        share_organization_arns=dict(type="list", elements="str", default=[]),
        share_organizational_unit_arns=dict(type="list", elements="str", default=[]),
        builder=dict(type="dict"),
    )


def main():
    module = BakeryAwsModule(argument_spec(), supports_check_mode=True)

    def work():
        request = PreflightRequest.from_params(module.request_params)
        return run_preflight(module.client_factory, request)

    module.run(work)


if __name__ == "__main__":
    main()
