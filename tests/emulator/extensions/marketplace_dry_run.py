"""DryRun RunInstances of an AWS Marketplace image answers `OptInRequired` until the account subscribes.

AWS: launching an AMI with a Marketplace product code requires a subscription to that product;
without one RunInstances fails with `OptInRequired` ("In order to use this AWS Marketplace product
you need to accept terms and subscribe"), also for a DryRun
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html, `OptInRequired`;
https://docs.aws.amazon.com/marketplace/latest/buyerguide/buyer-subscribing-to-products.html).
A DryRun that would succeed answers `DryRunOperation` (API_RunInstances.html, `DryRun`).
moto knows nothing of subscriptions. The emulator config decides:
`marketplace_subscriptions` lists the product codes the account is subscribed to, and
`marketplace_dry_run_errors` maps a product code to another error code to answer (e.g.
`UnauthorizedOperation`), for callers that must cope with an undecidable answer.
"""

from __future__ import annotations

import functools

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.instances import InstanceResponse

from ..config import emulator_config


def _product_codes_of(backend, image_id: str) -> set[str]:
    image = backend.amis.get(image_id)
    return set(getattr(image, "product_codes", None) or ()) if image is not None else set()


def install() -> None:
    original = InstanceResponse.run_instances

    @functools.wraps(original)
    def run_instances(self):
        product_codes = _product_codes_of(self.ec2_backend, self._get_param("ImageId"))
        for product_code in sorted(product_codes):
            error_code = emulator_config.marketplace_dry_run_errors.get(product_code)
            if error_code:
                raise EC2ClientError(error_code, f"You are not authorized to perform this operation ({product_code}).")
            if product_code not in emulator_config.marketplace_subscriptions:
                raise EC2ClientError(
                    "OptInRequired",
                    "In order to use this AWS Marketplace product you need to accept terms and subscribe. "
                    f"To do so please visit https://aws.amazon.com/marketplace/pp?sku={product_code}",
                )
        return original(self)

    InstanceResponse.run_instances = run_instances
