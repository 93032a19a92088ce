"""DescribeImages returns an image's product codes.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html): `productCodes` —
"Any product codes associated with the AMI", each `{productCodeId, productCodeType}` with type
`marketplace` or `devpay` (API_ProductCode.html). moto keeps product codes as a set of ids (used by
the `product-code` filter and DescribeImageAttribute) but leaves them out of DescribeImages.
moto's serializer looks for the PascalCase attribute name first, so a `ProductCodes` property is enough.
"""

from __future__ import annotations

from moto.ec2.models.amis import Ami


def product_codes_field(self) -> list[dict]:
    return [{"ProductCodeId": code, "ProductCodeType": "marketplace"} for code in sorted(self.product_codes or ())]


def install() -> None:
    Ami.ProductCodes = property(product_codes_field)
