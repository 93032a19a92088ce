"""Parameters of data type `aws:ec2:image`: the image is validated, and the data type cannot change.

AWS (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-ec2-aliases.html,
https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html): "Parameter Store
validates the parameter value is in the required format, such as ami-12345abcdeEXAMPLE, and that the
specified AMI is available in your Amazon Web Services account ... The aws:ec2:image value is validated
asynchronously, and the PutParameter call returns before the validation is complete. If you submit an
invalid AMI value, the PutParameter operation will return success, but the asynchronous validation will
fail and the parameter will not be created or updated."
(https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-data-types.html): "You can't
change a parameter to or from either of these data types" (aws:ec2:image, aws:ssm:integration).

moto stores any value, and an overwrite without DataType silently turns the parameter into `text`.
Here the validation is modelled as finished by the time PutParameter returns: a rejected value gets the
success answer (with the version it would have had) and nothing is stored. Changing the data type of an
existing parameter is a ValidationException.
"""

from __future__ import annotations

import functools
import re

from moto.ssm.exceptions import ValidationException
from moto.ssm.models import Parameter, SimpleSystemManagerBackend

IMAGE_DATA_TYPE = "aws:ec2:image"
IMAGE_ID = re.compile(r"^ami-[0-9a-f]{8}(?:[0-9a-f]{9})?$")
ACCEPTED_STATES = ("available", "pending")


def image_is_accepted(account_id: str, region: str, value: str) -> bool:
    from ._accounts import find_image, is_visible_to

    if not IMAGE_ID.match(value or ""):
        return False
    image = find_image(account_id, region, value)  # also an image another account shared with this one
    return image is not None and image.state in ACCEPTED_STATES and is_visible_to(image, account_id)


def install() -> None:
    original = SimpleSystemManagerBackend.put_parameter

    @functools.wraps(original)
    def put_parameter(self, name, description, value, parameter_type, allowed_pattern, keyid, overwrite, tags, data_type, tier, policies):
        versions = self._parameters[name] if name in self._parameters else []
        previous = versions[-1] if versions else None
        if previous is not None and overwrite:
            previous_type = previous.data_type or "text"
            if (data_type or "text") != previous_type and IMAGE_DATA_TYPE in (data_type, previous_type):
                raise ValidationException(
                    "Parameter %s has data type %s; you can't change a parameter to or from %s." % (name, previous_type, IMAGE_DATA_TYPE)
                )
        if data_type == IMAGE_DATA_TYPE and not image_is_accepted(self.account_id, self.region_name, value):
            if previous is not None and not overwrite:
                return original(self, name, description, value, parameter_type, allowed_pattern, keyid, overwrite, tags, data_type, tier, policies)
            # Success for the caller, nothing stored: the asynchronous validation failed.
            return Parameter(
                account_id=self.account_id,
                name=name,
                value=value,
                parameter_type=parameter_type or "String",
                description=description,
                allowed_pattern=allowed_pattern,
                keyid=keyid,
                last_modified_date=previous.last_modified_date if previous else None,
                version=(previous.version + 1) if previous else 1,
                data_type=data_type,
                tier=tier or self.default_parameter_tier,
                policies=policies,
            )
        return original(self, name, description, value, parameter_type, allowed_pattern, keyid, overwrite, tags, data_type, tier, policies)

    SimpleSystemManagerBackend.put_parameter = put_parameter
