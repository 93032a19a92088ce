"""Owner aliases of fixture images as AWS reports them, instead of moto's blanket "amazon".

moto sets `owner_alias="amazon"` on every image it loads from MOTO_AMIS_PATH
(moto/ec2/models/amis.py `_load_amis`), so `Owners=["amazon"]` would return Debian's and
Canonical's images too. AWS: "ImageOwnerAlias: The owner alias (amazon | aws-backup-vault |
aws-marketplace)" and `Owners` accepts those aliases
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html,
API_DescribeImages.html). Images of other publishers have no alias. This extension gives the
fixture images the alias of their owner account, or none.
"""

from __future__ import annotations

import functools

from moto.ec2.models.amis import AmiBackend

# Accounts AWS describes with an owner alias: Amazon Linux, Amazon's Windows images, AWS Marketplace.
OWNER_ALIASES = {
    "137112412989": "amazon",
    "801119661308": "amazon",
    "679593333241": "aws-marketplace",
}
MOTO_FORCED_ALIAS = "amazon"


def install() -> None:
    original = AmiBackend._load_amis

    @functools.wraps(original)
    def load_amis_with_owner_aliases(self) -> None:
        original(self)
        for image in self.amis.values():
            if image.owner_alias == MOTO_FORCED_ALIAS:
                image.owner_alias = OWNER_ALIASES.get(image.owner_id)

    AmiBackend._load_amis = load_amis_with_owner_aliases
