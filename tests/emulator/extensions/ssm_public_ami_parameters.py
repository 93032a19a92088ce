"""AWS public SSM parameters for the newest Amazon Linux 2023 images, pointing at the fixture's images.

AWS publishes the id of the newest Amazon Linux image of each flavour as a public parameter in
every region, e.g. `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64`
(https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-public-parameters-ami.html,
https://docs.aws.amazon.com/linux/al2023/ug/ec2.html#launch-via-ssm;
https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-finding-public-parameters.html:
"The next part of the name corresponds to the service that owns that parameter", `ami-amazon-linux-latest`
among them). GetParameter(s) read them like
any other parameter; their type is `String` and their data type `aws:ec2:image`.
moto ships its own copies pointing at its default AMIs, which the emulator does not load; this
extension replaces them with parameters whose values are the newest matching fixture image (found
by name, so fixture ids may change).
"""

from __future__ import annotations

import fnmatch

from moto.core.utils import utcnow
from moto.ec2.models.amis import AMIS
from moto.ssm.models import Parameter, ParameterDict

PREFIX = "/aws/service/ami-amazon-linux-latest/"
AMAZON_ACCOUNT = "137112412989"
# Parameter name suffix -> the fixture image names it follows (newest creation date wins).
PUBLIC_PARAMETERS = {
    "al2023-ami-kernel-default-x86_64": "al2023-ami-2023.*-kernel-6.1-x86_64",
    "al2023-ami-kernel-6.1-x86_64": "al2023-ami-2023.*-kernel-6.1-x86_64",
    "al2023-ami-kernel-default-arm64": "al2023-ami-2023.*-kernel-6.1-arm64",
    "al2023-ami-kernel-6.1-arm64": "al2023-ami-2023.*-kernel-6.1-arm64",
    "al2023-ami-minimal-kernel-default-x86_64": "al2023-ami-minimal-2023.*-kernel-6.1-x86_64",
    "al2023-ami-minimal-kernel-6.1-x86_64": "al2023-ami-minimal-2023.*-kernel-6.1-x86_64",
}


def newest_image_id(name_pattern: str) -> str | None:
    matching = [
        image for image in AMIS if image.get("owner_id") == AMAZON_ACCOUNT and fnmatch.fnmatchcase(image.get("name") or "", name_pattern)
    ]
    if not matching:
        return None
    return max(matching, key=lambda image: str(image.get("creation_date")))["ami_id"]


def public_parameter_values() -> dict[str, str]:
    values = {}
    for suffix, name_pattern in PUBLIC_PARAMETERS.items():
        image_id = newest_image_id(name_pattern)
        if image_id:
            values[PREFIX + suffix] = image_id
    return values


def _load_fixture_latest_amis(self) -> None:
    modified = utcnow()
    for name, image_id in public_parameter_values().items():
        super(ParameterDict, self).__getitem__(name).append(
            Parameter(
                account_id=self.account_id,
                name=name,
                value=image_id,
                parameter_type="String",
                description=None,
                allowed_pattern=None,
                keyid=None,
                last_modified_date=modified,
                version=1,
                data_type="aws:ec2:image",
            )
        )


def install() -> None:
    ParameterDict._load_latest_amis = _load_fixture_latest_amis
