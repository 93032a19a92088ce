"""More fixture images: AWS Marketplace products and private images shared with the emulator account.

moto loads one file of images (MOTO_AMIS_PATH) and builds each entry with `Ami(backend, **entry)`,
forcing `owner_alias="amazon"` on all of them. AWS describes Marketplace images with
`ImageOwnerAlias: aws-marketplace`, their `ProductCodes` (`[{ProductCodeId, ProductCodeType:
marketplace}]`) and matches them with the `product-code` filter
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html,
https://docs.aws.amazon.com/marketplace/latest/userguide/ami-products.html; API_Image.html
`productCodes`: "Any product codes associated with the AMI."). Images shared with an account carry a
`UserId` launch permission for it
(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html), and DescribeImages
lists them: "The images available to you include public images, private images that you own, and
private images owned by other Amazon Web Services accounts for which you have explicit launch
permissions."

This extension adds the images of fixtures/marketplace_amis.json and fixtures/shared_amis.json to
every regional backend, keeping their own `owner_alias`, `product_codes` and `launch_permissions`.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

from moto.core.parse import default_timestamp_parser as parse_timestamp
from moto.ec2.models.amis import Ami, AmiBackend

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ADDITIONAL_FIXTURE_FILES = ("marketplace_amis.json", "shared_amis.json")


def additional_images() -> list[dict]:
    entries = []
    for file_name in ADDITIONAL_FIXTURE_FILES:
        entries.extend(json.loads((FIXTURES / file_name).read_text()))
    return entries


_ENTRIES = additional_images()


def _add_image(backend, entry: dict) -> None:
    entry = copy.deepcopy(entry)
    launch_permissions = entry.pop("launch_permissions", [])
    entry["product_codes"] = set(entry.get("product_codes") or [])
    if isinstance(entry.get("creation_date"), str):
        entry["creation_date"] = parse_timestamp(entry["creation_date"])
    image = Ami(backend, **entry)
    image.launch_permissions.extend(launch_permissions)
    backend.amis[image.id] = image


def install() -> None:
    original = AmiBackend._load_amis

    @functools.wraps(original)
    def load_amis_and_additional_fixtures(self) -> None:
        original(self)
        for entry in _ENTRIES:
            _add_image(self, entry)

    AmiBackend._load_amis = load_amis_and_additional_fixtures
