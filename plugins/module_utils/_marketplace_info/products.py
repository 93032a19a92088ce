# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS Marketplace products: the newest image of each product in each region, and the subscription to it."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.image_record import image_record
from ansible_collections.bakery.ami.plugins.module_utils._ami.image_selection import newest_first
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import RegionsFailedError
from ansible_collections.bakery.ami.plugins.module_utils._aws.region_fanout import fan_out
from ansible_collections.bakery.ami.plugins.module_utils._marketplace_info.subscription import (
    NOT_CHECKED,
    UNKNOWN,
    SubscriptionCheck,
    check_subscription,
)

MARKETPLACE_URL = "https://aws.amazon.com/marketplace/pp?sku=%s"


def product_codes_of(image):
    return [code["ProductCodeId"] for code in image.get("ProductCodes", []) if code.get("ProductCodeId")]


class MarketplaceProducts:
    """One DescribeImages per region (regions concurrently), then one DryRun per product found there."""

    def __init__(self, client_factory, query, max_concurrency=None):
        self.client_factory = client_factory
        self.query = query
        self.max_concurrency = max_concurrency

    def find(self):
        outcome = fan_out(self.query.regions, self._products_in_region, self.max_concurrency)
        if outcome.failed:
            raise RegionsFailedError(outcome.error_messages())
        products = [product for region in self.query.regions for product in outcome.results[region]]
        return {"changed": False, "products": products}

    def newest_image_per_product(self, region):
        """``{product_code: newest image}`` in ``region`` (codes asked for but without image map to None)."""
        ec2 = self.client_factory.api("ec2", region)
        images = ec2.paginate("describe_images", "Images", **self.query.describe_images_params())
        newest = dict((code, None) for code in self.query.product_codes)
        for image in newest_first(images):
            for code in product_codes_of(image):
                if newest.get(code) is None and (code in newest or not self.query.product_codes):
                    newest[code] = image
        return newest

    def _products_in_region(self, region):
        ec2 = self.client_factory.api("ec2", region)
        products = []
        for code, image in self.newest_image_per_product(region).items():
            if image is None:
                check = SubscriptionCheck(UNKNOWN, "no image of product %s in %s matches" % (code, region))
            elif self.query.check_subscription:
                check = check_subscription(ec2, image, self.query.instance_type)
            else:
                check = SubscriptionCheck(NOT_CHECKED, "check_subscription is false")
            products.append(product_record(code, region, image, check))
        return products


def product_record(product_code, region, image, check):
    record = image_record(image, region) if image else {}
    return {
        "product_code": product_code,
        "region": region,
        "image": record,
        "image_id": record.get("image_id"),
        "product_codes": [code["product_code_id"] for code in record.get("product_codes", [])],
        "owner_id": record.get("owner_id"),
        "owner_alias": record.get("owner_alias"),
        "marketplace_url": MARKETPLACE_URL % product_code,
        "subscribed": check.subscribed,
        "subscription_status": check.status,
        "subscription_reason": check.reason,
    }
