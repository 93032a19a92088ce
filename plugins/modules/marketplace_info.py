#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: marketplace_info
short_description: Find the newest AWS Marketplace image of products, per region, and whether this account is subscribed
version_added: 0.1.0
description:
  - For each AWS Marketplace product (by O(product_codes), or every product whose image name matches O(name))
    and each region of O(regions), returns the newest image, its product codes, owner, the Marketplace
    listing URL, and whether this account is subscribed to the product.
  - Images are looked up with one DescribeImages per region (owner C(aws-marketplace), the product codes,
    name and architecture sent as filters), all regions at once.
  - The subscription is found with a DryRun RunInstances of the image in this account, which launches
    nothing. C(DryRunOperation) means subscribed, C(OptInRequired) means not subscribed; any other answer
    leaves it unknown and gives the reason.
  - Never changes anything.
author:
  - bakery.ami maintainers (@bakery-ami)
options:
  product_codes:
    description:
      - AWS Marketplace product codes (25 lowercase letters and digits).
      - One of O(product_codes) and O(name) is required.
    type: list
    elements: str
    default: []
  name:
    description:
      - Only images whose name matches this pattern (C(*) and C(?) wildcards). Without O(product_codes),
        every product with a matching image is returned.
    type: str
  regions:
    description:
      - The regions to look in, all at once. Defaults to O(region).
    type: list
    elements: str
    default: []
  architecture:
    description:
      - Only images of this architecture.
    type: str
    choices: [i386, x86_64, arm64]
  check_subscription:
    description:
      - Find out whether this account is subscribed, with a DryRun RunInstances per product and region.
      - When V(false), RV(products[].subscribed) is null and RV(products[].subscription_status) is C(not_checked).
    type: bool
    default: true
  instance_type:
    description:
      - The instance type of the DryRun launch. Defaults to the smallest current type of the image's architecture
        (C(t3.micro), C(t4g.micro)). Give one the product supports if its listing restricts instance types.
    type: str
extends_documentation_fragment:
  - bakery.ami.aws
attributes:
  check_mode:
    support: full
    description: The module only reads (a DryRun launches nothing), so check mode does the same.
  diff_mode:
    support: none
    description: Nothing is changed, so there is nothing to show.
notes:
  - The vendor's display name is not part of EC2's image description; RV(products[].owner_id) and
    RV(products[].owner_alias) name the owner (C(aws-marketplace)), and RV(products[].marketplace_url) leads to the listing.
  - The DryRun needs C(ec2:RunInstances) permission; without it the subscription is C(unknown).
"""

EXAMPLES = r"""
- name: Newest image of a product in two regions, and whether we are subscribed
  bakery.ami.marketplace_info:
    product_codes: [aw0evgkw8e5c1q413zgy5pjce]
    regions: [eu-west-1, us-east-1]
    architecture: x86_64
  register: product

- name: Stop early when a subscription is missing
  ansible.builtin.assert:
    that: product.products | rejectattr('subscribed') | list | length == 0
    fail_msg: "Subscribe first: {{ product.products | rejectattr('subscribed') | map(attribute='marketplace_url') | unique | list }}"

- name: Every Marketplace product whose images are called bitnami-nginx-*
  bakery.ami.marketplace_info:
    name: bitnami-nginx-*
    check_subscription: false
"""

RETURN = r"""
products:
  description:
    - One entry per product and region, in the order of O(regions).
  returned: always
  type: list
  elements: dict
  contains:
    product_code:
      description: The product code.
      type: str
      sample: aw0evgkw8e5c1q413zgy5pjce
    region:
      description: The region.
      type: str
      sample: eu-west-1
    image:
      description:
        - The newest image of the product in the region, as the collection's image record (documented at
          RV(bakery.ami.image_info#module:images)); empty when there is none.
      type: dict
    image_id:
      description: The id of that image; null when there is none.
      type: str
      sample: ami-0123456789abcdef0
    product_codes:
      description: Every product code of the image.
      type: list
      elements: str
    owner_id:
      description: The account that owns the image.
      type: str
    owner_alias:
      description: The owner alias, C(aws-marketplace) for Marketplace images.
      type: str
    marketplace_url:
      description: The AWS Marketplace page of the product.
      type: str
      sample: https://aws.amazon.com/marketplace/pp?sku=aw0evgkw8e5c1q413zgy5pjce
    subscribed:
      description: V(true) or V(false); null when unknown or not checked.
      type: bool
    subscription_status:
      description: C(subscribed), C(not_subscribed), C(unknown) or C(not_checked).
      type: str
    subscription_reason:
      description: Why the status is what it is when it is not C(subscribed) (the AWS error of the DryRun, or no image found).
      type: str
"""

from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import BakeryAwsModule
from ansible_collections.bakery.ami.plugins.module_utils._marketplace_info.products import MarketplaceProducts
from ansible_collections.bakery.ami.plugins.module_utils._marketplace_info.request import ARCHITECTURES, MarketplaceQuery


def argument_spec():
    return dict(
        product_codes=dict(type="list", elements="str", default=[]),
        name=dict(type="str"),
        regions=dict(type="list", elements="str", default=[]),
        architecture=dict(type="str", choices=list(ARCHITECTURES)),
        check_subscription=dict(type="bool", default=True),
        instance_type=dict(type="str"),
    )


def main():
    module = BakeryAwsModule(argument_spec(), supports_check_mode=True)

    def work():
        factory = module.client_factory
        query = MarketplaceQuery.from_params(module.request_params)
        return MarketplaceProducts(factory, query).find()

    module.run(work)


if __name__ == "__main__":
    main()
