# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A launch template image given as ``resolve:ssm:<parameter>``, and what the parameter holds now.

AWS (https://docs.aws.amazon.com/autoscaling/ec2/userguide/using-systems-manager-parameters.html): "With Systems
Manager parameters, you can update your Auto Scaling groups to use new AMI IDs without needing to create new launch
templates or new versions of launch templates each time an AMI ID changes." The parameter is resolved at each launch,
so scale-outs launch whatever it holds as soon as it changes. A reference may pin a version or label of the parameter
(``resolve:ssm:/bakery/web:3``, ``...:prod``); publishing a new value does not move those.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code

SSM_IMAGE_REFERENCE = "resolve:ssm:"


class ImageParameterReference:
    def __init__(self, reference):
        self.reference = reference
        self.parameter = reference[len(SSM_IMAGE_REFERENCE):]

    @classmethod
    def of(cls, image_id):
        """The reference an image id field holds, or None for an AMI id."""
        if isinstance(image_id, str) and image_id.startswith(SSM_IMAGE_REFERENCE):
            return cls(image_id)
        return None

    @property
    def pins_a_version(self):
        # Parameter names cannot contain ":" outside an ARN; a selector follows the last ":".
        name = self.parameter.split("parameter/", 1)[-1] if self.parameter.startswith("arn:") else self.parameter
        return ":" in name

    def current_value(self, ssm_api):
        """What the parameter holds now; None when it does not exist."""
        try:
            return ssm_api.call("get_parameter", Name=self.parameter)["Parameter"].get("Value")
        except BakeryError as error:
            if error_code(error) in ("ParameterNotFound", "ParameterVersionNotFound"):
                return None
            raise
