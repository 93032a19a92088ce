#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: image_info
short_description: Find Amazon Machine Images in one or many regions, and pick the newest that matches
version_added: 0.1.0
description:
  - Finds AMIs by id, owner, name pattern, operating system, architecture, root device type,
    virtualization type, launch permissions, tags or raw DescribeImages filters, in every region of
    O(regions) at once (one DescribeImages per region, all pages, regions queried concurrently).
  - Every selector EC2 can filter on is sent to AWS as a DescribeImages filter; nothing is listed
    in full and filtered locally. The one exception is O(platform=linux) (see there).
  - Images come back newest first (by creation date). With O(most_recent=true) only the newest match
    of each region is returned, as RV(image) (one region) or RV(images_by_region) (several regions).
  - O(ssm_parameter) resolves an SSM parameter holding an image id (such as AWS's public
    C(/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64)) in each region, then
    describes that image.
  - Never changes anything.
author:
  - bakery.ami maintainers (@bakery-ami)
options:
  image_ids:
    description:
      - Only these images.
    type: list
    elements: str
    default: []
  regions:
    description:
      - The regions to search, all at once. Defaults to O(region).
    type: list
    elements: str
    default: []
  owners:
    description:
      - Only images owned by these owners. Each is V(self) (the caller's account), V(amazon), V(aws-marketplace),
        V(aws-backup-vault) or a 12-digit AWS account id.
    type: list
    elements: str
    default: []
  name:
    description:
      - Only images whose name matches this pattern. C(*) matches any characters and C(?) one character.
    type: str
  architecture:
    description:
      - Only images of this architecture. V(i386) is 32-bit x86, V(x86_64) is 64-bit x86, V(arm64) is 64-bit ARM (Graviton).
    type: str
    choices: [i386, x86_64, arm64, x86_64_mac, arm64_mac]
  platform:
    description:
      - Only Windows (V(windows)) or only Linux/UNIX (V(linux)) images.
      - EC2 can filter on V(windows) only; Linux images carry no platform value in EC2. V(linux) is therefore
        applied to the answer instead, by leaving out Windows images. Combine it with O(owners) or O(name)
        so the request itself stays narrow.
    type: str
    choices: [linux, windows]
  root_device_type:
    description:
      - Only EBS-backed (V(ebs)) or instance store-backed (V(instance-store)) images.
    type: str
    choices: [ebs, instance-store]
  virtualization_type:
    description:
      - Only images of this virtualization type.
    type: str
    choices: [hvm, paravirtual]
  executable_by:
    description:
      - Only images these principals have explicit launch permissions for. V(self) finds images shared with
        the caller's account, V(all) finds public (community) images, an account id finds images shared with that account.
    type: list
    elements: str
    default: []
  tags:
    description:
      - Only images carrying every one of these tags with these values.
    type: dict
    default: {}
  filters:
    description:
      - 'Raw DescribeImages filters, as a dict of filter name to a value or a list of values, for example
        C({"product-code": "abc...", "ena-support": true}).'
      - See U(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html).
      - They are applied last, so they override the filter an option sets (for example C(state)).
    type: dict
    default: {}
  ssm_parameter:
    description:
      - The name of an SSM parameter whose value is an image id, resolved in each region (values differ per region).
      - For example C(/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64).
      - Mutually exclusive with O(image_ids). Other selectors still apply to the resolved image.
    type: str
  include_deprecated:
    description:
      - Also return deprecated images. AWS always returns the caller's own deprecated images, and images asked for by id.
    type: bool
    default: false
  include_disabled:
    description:
      - Also return disabled images (only their owner can see them).
    type: bool
    default: false
  most_recent:
    description:
      - Return only the newest matching image of each region.
    type: bool
    default: false
  describe_launch_permissions:
    description:
      - Add C(launch_permissions) (who may launch it) to each image the caller owns.
      - Only an image's owner may read them; other images are returned without the key, not as errors.
        Costs one C(sts:GetCallerIdentity) and one C(ec2:DescribeImageAttribute) per owned image.
    type: bool
    default: false
extends_documentation_fragment:
  - bakery.ami.aws
attributes:
  check_mode:
    support: full
    description: The module only reads; check mode changes nothing about what it does.
  diff_mode:
    support: none
    description: Nothing is changed, so there is nothing to show.
notes:
  - 'Unless O(image_ids) or O(ssm_parameter) is given, only C(available) images (and C(disabled) ones with
    O(include_disabled=true)) are returned; give O(filters) C({"state": [...]}) to choose other states.'
  - All options are checked before any AWS call; a bad value fails naming the option.
"""

EXAMPLES = r"""
- name: Newest Amazon Linux 2023 x86_64 EBS image in every region we deploy to
  bakery.ami.image_info:
    regions: [us-east-1, us-west-2, eu-west-1, eu-central-1]
    owners: [amazon]
    name: al2023-ami-2023.*-x86_64
    architecture: x86_64
    root_device_type: ebs
    most_recent: true
  register: al2023

- name: Use it
  ansible.builtin.debug:
    msg: "{{ al2023.images_by_region['eu-west-1'].image_id }}"

- name: The image AWS publishes as the latest Amazon Linux 2023 (arm64)
  bakery.ami.image_info:
    region: eu-west-1
    ssm_parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64
  register: latest_al2023_arm64

- name: Images other accounts shared with us, deprecated ones included
  bakery.ami.image_info:
    executable_by: [self]
    include_deprecated: true

- name: Our own web-server images and who may launch them
  bakery.ami.image_info:
    owners: [self]
    tags:
      bakery:layer: web-server-002
    describe_launch_permissions: true

- name: Newest Windows Server 2022 image from Amazon
  bakery.ami.image_info:
    owners: [amazon]
    platform: windows
    name: Windows_Server-2022-English-Full-Base-*
    most_recent: true
"""

RETURN = r"""
images:
  description:
    - The matching images of all regions, newest first, as the collection's image record.
    - With O(most_recent=true), the newest image of each region.
  returned: always
  type: list
  elements: dict
  contains:
    image_id:
      description: The AMI id.
      type: str
      sample: ami-0123456789abcdef0
    region:
      description: The region of the image.
      type: str
      sample: eu-west-1
    name:
      description: The AMI name.
      type: str
    description:
      description: The AMI description.
      type: str
    state:
      description: The image state.
      type: str
      sample: available
    owner_id:
      description: The owner account id.
      type: str
    owner_alias:
      description: The owner alias (C(amazon), C(aws-marketplace)) if the owner has one.
      type: str
    creation_date:
      description: When the image was created (UTC, ISO 8601).
      type: str
      sample: "2025-05-12T19:41:37.000Z"
    architecture:
      description: The architecture.
      type: str
      sample: x86_64
    platform:
      description: C(windows) for Windows images, null otherwise.
      type: str
    platform_details:
      description: The platform details (C(Linux/UNIX), C(Windows), ...).
      type: str
    virtualization_type:
      description: C(hvm) or C(paravirtual).
      type: str
    root_device_type:
      description: C(ebs) or C(instance-store).
      type: str
    root_device_name:
      description: The root device name.
      type: str
    boot_mode:
      description: The boot mode.
      type: str
    ena_support:
      description: Whether ENA is enabled.
      type: bool
    imds_support:
      description: C(v2.0) when instances launched from it require IMDSv2.
      type: str
    tpm_support:
      description: C(v2.0) when NitroTPM is enabled.
      type: str
    public:
      description: Whether anyone may launch the image.
      type: bool
    deprecation_time:
      description: When the image is (or was) deprecated, if it is.
      type: str
    deregistration_protection:
      description:
        - C(disabled), C(enabled-with-cooldown), C(enabled-without-cooldown) or C(disabled-until <time>); reported only
          to the image's owner.
      type: str
    image_location:
      description: The location of an instance store-backed image's manifest (C(<bucket>/<path>)); for EBS-backed images AWS reports C(<owner id>/<name>).
      type: str
    block_device_mappings:
      description: The block device mappings, in snake_case.
      type: list
      elements: dict
    snapshot_ids:
      description: The snapshots behind the image.
      type: list
      elements: str
    product_codes:
      description: The product codes (AWS Marketplace) of the image.
      type: list
      elements: dict
    tags:
      description: The image tags.
      type: dict
    launch_permissions:
      description:
        - Who may launch the image, in the same shape as M(bakery.ami.image_share) returns it.
      returned: with O(describe_launch_permissions=true), for images the caller owns
      type: dict
      contains:
        accounts:
          description: Account ids the image is shared with.
          type: list
          elements: str
        organization_arns:
          description: Organizations the image is shared with.
          type: list
          elements: str
        organizational_unit_arns:
          description: Organizational units the image is shared with.
          type: list
          elements: str
        public:
          description: Whether anyone may launch the image.
          type: bool
image:
  description:
    - The newest matching image (same record as in RV(images)); empty when nothing matched.
  returned: with O(most_recent=true) and one region
  type: dict
images_by_region:
  description:
    - With O(most_recent=true), the newest matching image of each region (an empty dict for a region where nothing matched).
    - Without it, the list of matching images of each region, newest first.
  returned: when several regions were searched
  type: dict
  sample: {"eu-west-1": {"image_id": "ami-0123456789abcdef0", "name": "al2023-ami-2023.7.20250512.0-kernel-6.1-x86_64"}}
"""

from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import BakeryAwsModule
from ansible_collections.bakery.ami.plugins.module_utils._image_info.finder import ImageFinder
from ansible_collections.bakery.ami.plugins.module_utils._image_info.request import (
    ARCHITECTURES,
    PLATFORMS,
    ROOT_DEVICE_TYPES,
    VIRTUALIZATION_TYPES,
    ImageQuery,
)


def argument_spec():
    return dict(
        image_ids=dict(type="list", elements="str", default=[]),
        regions=dict(type="list", elements="str", default=[]),
        owners=dict(type="list", elements="str", default=[]),
        name=dict(type="str"),
        architecture=dict(type="str", choices=list(ARCHITECTURES)),
        platform=dict(type="str", choices=list(PLATFORMS)),
        root_device_type=dict(type="str", choices=list(ROOT_DEVICE_TYPES)),
        virtualization_type=dict(type="str", choices=list(VIRTUALIZATION_TYPES)),
        executable_by=dict(type="list", elements="str", default=[]),
        tags=dict(type="dict", default={}),
        filters=dict(type="dict", default={}),
        ssm_parameter=dict(type="str"),
        include_deprecated=dict(type="bool", default=False),
        include_disabled=dict(type="bool", default=False),
        most_recent=dict(type="bool", default=False),
        describe_launch_permissions=dict(type="bool", default=False),
    )


def main():
    module = BakeryAwsModule(argument_spec(), supports_check_mode=True, mutually_exclusive=[["image_ids", "ssm_parameter"]])

    def work():
        factory = module.client_factory
        query = ImageQuery.from_params(module.request_params)
        return ImageFinder(factory, query).find()

    module.run(work)


if __name__ == "__main__":
    main()
