# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Image ids published as SSM parameters, such as AWS's public
``/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64``
(https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-public-parameters-ami.html).
Their values differ per region, so each region reads its own."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError


class SsmParameterError(BakeryError):
    def __init__(self, name, region, problem):
        self.name = name
        self.region = region
        super().__init__("ssm_parameter %r in %s %s" % (name, region, problem))


def resolve_image_id(ssm_api, name):
    """The image id held by parameter ``name`` in the API's region."""
    try:
        value = ssm_api.call("get_parameter", Name=name)["Parameter"]["Value"]
    except BakeryError as error:
        if getattr(error, "code", None) == "ParameterNotFound":
            raise SsmParameterError(name, ssm_api.region, "does not exist")
        raise
    if not str(value or "").startswith("ami-"):
        raise SsmParameterError(name, ssm_api.region, "holds %r, which is not an image id" % value)
    return value
