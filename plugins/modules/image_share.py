#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: image_share
short_description: Grant or revoke launch permissions of AMIs across regions
version_added: 0.1.0
description:
  - Grants or revokes launch permissions of one image, or of one image per region (the RV(bakery.ami.image_copy#module:image_ids)
    of M(bakery.ami.image_copy)), to AWS accounts, organizations, organizational units, and everyone (public).
  - With O(share_snapshots=true), the same accounts get create-volume permission on the images' snapshots.
  - Every region is checked before any change. Sharing is refused, in all regions, when an image is encrypted with the
    AWS managed key C(alias/aws/ebs) (other accounts can never use it), or when O(public=true) is asked in a region
    where image block public access is enabled.
  - Each image gets its removals, then its additions, in C(ModifyImageAttribute) calls of their own (AWS refuses both
    in one C(ModifySnapshotAttribute) call), at most 500 principals per call; its snapshots likewise. Regions run
    concurrently. A re-run that changes nothing makes no mutating call.
author:
  - bakery.ami maintainers (@bakery-ami)
options:
  image_ids:
    description:
      - The images, as a dict of region to image id (what M(bakery.ami.image_copy) returns as C(image_ids)),
        or a single image id in O(region).
    type: raw
    required: true
  accounts:
    description:
      - AWS account ids (12 digits) to grant (or with O(state=absent), revoke).
    type: list
    elements: str
    default: []
  organization_arns:
    description:
      - AWS Organizations organization ARNs, like C(arn:aws:organizations::123456789012:organization/o-abcdefghij).
    type: list
    elements: str
    default: []
  organizational_unit_arns:
    description:
      - Organizational unit ARNs, like C(arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefgh34).
    type: list
    elements: str
    default: []
  public:
    description:
      - V(true) makes the images public (launch permission for the group C(all)). Only an explicit V(true) does;
        V(false) leaves a public image public unless O(purge=true).
    type: bool
    default: false
  state:
    description:
      - V(present) grants the given principals; V(absent) revokes them.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With V(false), only adds. With V(true), the launch permissions (and the snapshots' create-volume permissions)
        become exactly the given principals; others are revoked.
    type: bool
    default: false
  share_snapshots:
    description:
      - Give the same accounts create-volume permission on the images' snapshots (needed to copy the image or create
        volumes from it). Organizations and OUs cannot be granted on snapshots; the result says so in RV(notes).
    type: bool
    default: true
  max_concurrency:
    description:
      - How many regions are worked on at the same time. Defaults to all of them.
    type: int
extends_documentation_fragment:
  - bakery.ami.aws
attributes:
  check_mode:
    support: full
    description: Makes only read calls and reports what would be added and removed.
  diff_mode:
    support: full
    description: Shows the launch permissions per region before and after.
notes:
  - Images encrypted with a customer managed key can be launched by the grantees only if the key policy lets them use
    the key; the keys are listed in RV(kms_key_ids).
seealso:
  - module: bakery.ami.image_copy
"""

EXAMPLES = r"""
- name: Share every copy with the production accounts and the organization
  bakery.ami.image_share:
    image_ids: "{{ copies.image_ids }}"
    accounts:
      - "111122223333"
      - "444455556666"
    organization_arns:
      - arn:aws:organizations::123456789012:organization/o-abcdefghij

- name: Make the launch permissions exactly one OU
  bakery.ami.image_share:
    image_ids: ami-0123456789abcdef0
    region: eu-west-1
    organizational_unit_arns:
      - arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefgh34
    purge: true

- name: Stop sharing with an account
  bakery.ami.image_share:
    image_ids: "{{ copies.image_ids }}"
    accounts: ["444455556666"]
    state: absent
"""

RETURN = r"""
launch_permissions:
  description: The launch permissions per region after the run (in check mode, as they would be).
  returned: always
  type: dict
  sample: {"eu-west-1": {"accounts": ["111122223333"], "organization_arns": [], "organizational_unit_arns": [], "public": false}}
added:
  description: The principals added per region (same shape as RV(launch_permissions)).
  returned: always
  type: dict
removed:
  description: The principals removed per region (same shape as RV(launch_permissions)).
  returned: always
  type: dict
snapshot_permissions:
  description: Per region, the accounts with create-volume permission on each snapshot after the run (when O(share_snapshots=true)).
  returned: always
  type: dict
  sample: {"eu-west-1": {"snap-0123456789abcdef0": ["111122223333"]}}
kms_key_ids:
  description: Per region, the customer managed KMS keys of the images' snapshots; grantees need them in the key policy.
  returned: always
  type: dict
  sample: {"eu-west-1": ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]}
image_ids:
  description: The images, by region.
  returned: always
  type: dict
failed:
  description: The AWS error message by region, for regions whose change failed.
  returned: always
  type: dict
failed_regions:
  description:
    - The same as RV(failed). When the task fails, Ansible replaces C(failed) with its own boolean; this key keeps the
      per-region messages.
  returned: always
  type: dict
notes:
  description: What could not be applied as asked and why (for example organizations on snapshots), and KMS reminders.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import BakeryAwsModule
from ansible_collections.bakery.ami.plugins.module_utils._image_share.request import ShareRequest
from ansible_collections.bakery.ami.plugins.module_utils._image_share.sharer import share_images


def argument_spec():
    return dict(
        image_ids=dict(type="raw", required=True),
        accounts=dict(type="list", elements="str", default=[]),
        organization_arns=dict(type="list", elements="str", default=[]),
        organizational_unit_arns=dict(type="list", elements="str", default=[]),
        public=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        purge=dict(type="bool", default=False),
        share_snapshots=dict(type="bool", default=True),
        max_concurrency=dict(type="int"),
    )


def main():
    module = BakeryAwsModule(argument_spec(), supports_check_mode=True)

    def work():
        request = ShareRequest.from_params(module.request_params)
        return share_images(module.client_factory, request, module.check_mode)

    module.run(work)


if __name__ == "__main__":
    main()
