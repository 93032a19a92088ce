#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: image_copy
short_description: Copy one AMI to many regions at once
version_added: 0.1.0
description:
  - Copies one source AMI to every region of O(regions) in one task, concurrently, each copy with its own
    name, description and KMS key.
  - Every copy carries the tag C(bakery:source-image) with the value C(<source region>/<source image id>).
    A region that already holds an available or pending copy of the source (found by that tag among the
    caller's own images) is reused, not copied again, so a re-run makes no mutating call.
  - Each CopyImage request carries a deterministic C(ClientToken) derived from the region and every field of the
    request, so a retried request, or a re-run after a crash, cannot create a duplicate.
  - AWS answers a token with the copy it made even after that copy is gone. When a region's earlier copy was
    deregistered or failed, CopyImage answers with it, the module sees it is gone, and copies again at once with a
    token that names the gone copy; a re-run walks the same tokens, so it still makes one copy.
  - When some regions fail, the ones that succeeded are returned in RV(images) and the failed ones in RV(failed) with
    the AWS message, and the task fails naming them. A re-run completes only the missing regions.
author:
  - bakery.ami maintainers (@bakery-ami)
options:
  source_image_id:
    description:
      - The id of the AMI to copy.
    type: str
    required: true
  source_region:
    description:
      - The region of the source AMI. Defaults to O(region).
    type: str
  regions:
    description:
      - The destination regions. Each entry is a region name, or a dict with the keys C(region) (required),
        C(kms_key_id), C(name) and C(description), which override O(kms_key_id), O(name) and O(description)
        for that region.
      - KMS keys are regional, so a customer managed key usually has to be given per region.
    type: list
    elements: raw
    required: true
  name:
    description:
      - The name of the copies. Defaults to the name of the source AMI.
      - A copy into the source region itself needs a name of its own (AMI names are unique per region).
    type: str
  description:
    description:
      - The description of the copies. Defaults to the description of the source AMI.
    type: str
  encrypted:
    description:
      - Whether the copies' snapshots are encrypted. With V(true) and no O(kms_key_id), the account's default
        EBS key of the destination region is used (C(alias/aws/ebs) unless changed).
      - A copy of an encrypted image is always encrypted.
    type: bool
    default: true
  kms_key_id:
    description:
      - The KMS key (key id, key ARN, alias name or alias ARN) for the copies' snapshots, in every region without
        a C(kms_key_id) of its own. The key must exist in the destination region.
      - Requires O(encrypted=true).
    type: str
  copy_tags:
    description:
      - Copy the source AMI's user-defined tags to the copies (C(CopyImageTags)), and to the copies' snapshots.
    type: bool
    default: true
  tags:
    description:
      - Extra tags for the copies and their snapshots, as a dict. They win over copied tags of the same key.
      - Tags are applied when a copy is made; reused copies are not re-tagged.
    type: dict
  max_concurrency:
    description:
      - How many regions are worked on at the same time. Defaults to all of them.
    type: int
  wait:
    description:
      - Wait until every copy is C(available). Copies of one image take about as long as each other, so one region is
        polled with exponential backoff and, once its copy is available, every other region is looked at once; a region
        still pending then is followed with a backoff of its own.
    type: bool
    default: true
  wait_timeout:
    description:
      - How long to wait for each region, in seconds.
    type: int
    default: 1800
extends_documentation_fragment:
  - bakery.ami.aws
attributes:
  check_mode:
    support: full
    description: Makes only read calls; RV(regions_to_copy) lists the regions that would be copied.
  diff_mode:
    support: full
    description: Shows the image id per region before and after (a placeholder for copies that would be made).
notes:
  - AWS parses the KMS key of a copy asynchronously; a copy with an unusable key becomes C(failed), which this
    module reports as a failed region. A failed copy is not reused; fixing the key and re-running makes a new one.
  - Launch permissions are not copied by AWS; use M(bakery.ami.image_share) with RV(image_ids).
seealso:
  - module: bakery.ami.image_share
  - module: bakery.ami.image
"""

EXAMPLES = r"""
- name: Copy the new image to three regions, encrypted with a customer managed key per region
  bakery.ami.image_copy:
    source_image_id: "{{ baked.image_id }}"
    source_region: us-east-1
    regions:
      - us-east-2
      - region: eu-west-1
        kms_key_id: alias/bakery-images
      - region: ap-southeast-2
        kms_key_id: arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
        name: web-server-002-20261126T1200-apse2
    tags:
      environment: production
    max_concurrency: 4
  register: copies

- name: Start the copies without waiting for them
  bakery.ami.image_copy:
    source_image_id: ami-0123456789abcdef0
    regions: [eu-central-1, eu-north-1]
    wait: false
"""

RETURN = r"""
images:
  description: The copy in every region that succeeded, as the collection's image record (documented at RV(bakery.ami.image_info#module:images)), by region.
  returned: always
  type: dict
  sample: {"eu-west-1": {"image_id": "ami-0123456789abcdef0", "region": "eu-west-1", "state": "available"}}
image_ids:
  description: The copy's image id by region, for the regions that succeeded (what M(bakery.ami.image_share) takes).
  returned: always
  type: dict
  sample: {"eu-west-1": "ami-0123456789abcdef0", "us-east-2": "ami-0fedcba9876543210"}
failed:
  description: The AWS error message by region, for the regions that failed.
  returned: always
  type: dict
  sample: {"ap-south-1": "CopyImage in ap-south-1 failed: InvalidParameterValue: ..."}
failed_regions:
  description:
    - The same as RV(failed). When the task fails, Ansible replaces C(failed) with its own boolean; this key keeps the
      per-region messages.
  returned: always
  type: dict
regions_to_copy:
  description: The regions that had no copy of the source yet (copied now, or in check mode would be).
  returned: always
  type: list
  elements: str
regions_reused:
  description: The regions that already held an available or pending copy of the source.
  returned: always
  type: list
  elements: str
progress:
  description:
    - Per region, what happened - C(action) (C(copied), C(reused), C(would copy), C(failed)), the image C(state),
      the C(image_id) and the C(seconds) spent on that region (copy and wait).
  returned: always
  type: dict
  sample: {"eu-west-1": {"action": "copied", "state": "available", "image_id": "ami-0123456789abcdef0", "seconds": 312.5}}
source_image_id:
  description: The source image id.
  returned: always
  type: str
source_region:
  description: The source region.
  returned: always
  type: str
"""

from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import BakeryAwsModule
from ansible_collections.bakery.ami.plugins.module_utils._image_copy.copier import copy_image_to_regions
from ansible_collections.bakery.ami.plugins.module_utils._image_copy.request import CopyRequest


def argument_spec():
    return dict(
        source_image_id=dict(type="str", required=True),
        source_region=dict(type="str"),
        regions=dict(type="list", elements="raw", required=True),
        name=dict(type="str"),
        description=dict(type="str"),
        encrypted=dict(type="bool", default=True),
        kms_key_id=dict(type="str"),
        copy_tags=dict(type="bool", default=True),
        tags=dict(type="dict"),
        max_concurrency=dict(type="int"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
    )


def main():
    module = BakeryAwsModule(argument_spec(), supports_check_mode=True)

    def work():
        request = CopyRequest.from_params(module.request_params)
        return copy_image_to_regions(module.client_factory, request, module.check_mode)

    module.run(work)


if __name__ == "__main__":
    main()
