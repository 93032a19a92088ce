"""Images carry the DescribeImages fields moto's Ami constructor has no parameter for.

Follows the `Image` data type of the EC2 API reference
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html): `enaSupport`,
`imdsSupport` ("v2.0"), `tpmSupport` ("v2.0"), `deprecationTime`, `platformDetails`
("Linux/UNIX", "Windows") and `usageOperation` ("RunInstances", "RunInstances:0002" for
Windows). moto builds every entry of MOTO_AMIS_PATH with `Ami(backend, **entry)`, so the
fixture may only use constructor keywords; this extension lets it carry the others too.
Values are kept as plain attributes, which moto's serializer picks up by their snake_case names.
"""

from __future__ import annotations

import functools

from moto.ec2.models.amis import Ami

EXTRA_IMAGE_ATTRIBUTES = ("ena_support", "imds_support", "tpm_support", "deprecation_time")

# Billing codes of https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/billing-info-fields.html
_USAGE_OPERATIONS = {"Linux/UNIX": "RunInstances", "Windows": "RunInstances:0002"}


def install() -> None:
    original_init = Ami.__init__

    @functools.wraps(original_init)
    def init_with_extra_attributes(self, *args, **kwargs):
        extra = {name: kwargs.pop(name) for name in EXTRA_IMAGE_ATTRIBUTES if name in kwargs}
        original_init(self, *args, **kwargs)
        for name, value in extra.items():
            setattr(self, name, value)

    Ami.__init__ = init_with_extra_attributes

    def platform_details(self) -> str:
        return "Windows" if (self.platform or "").lower() == "windows" else "Linux/UNIX"

    def usage_operation(self) -> str:
        return _USAGE_OPERATIONS[self.platform_details]

    Ami.platform_details = property(platform_details)
    Ami.usage_operation = property(usage_operation)
