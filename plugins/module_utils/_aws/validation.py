# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of user input that AWS would reject, run before any AWS call so nothing is half-done."""

from __future__ import annotations

import functools
import re

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError

try:
    import botocore.session
except ImportError:  # pragma: no cover - reported by the module base as a missing library
    botocore = None

# EC2 resource ids: a prefix and 8 (old) or 17 (current) lowercase hex characters.
_RESOURCE_ID = r"^%s-(?:[0-9a-f]{8}|[0-9a-f]{17})$"
RESOURCE_ID_PATTERNS = {
    "image": re.compile(_RESOURCE_ID % "ami"),
    "snapshot": re.compile(_RESOURCE_ID % "snap"),
    "instance": re.compile(_RESOURCE_ID % "i"),
    "volume": re.compile(_RESOURCE_ID % "vol"),
    "launch_template": re.compile(_RESOURCE_ID % "lt"),
    "security_group": re.compile(_RESOURCE_ID % "sg"),
    "subnet": re.compile(_RESOURCE_ID % "subnet"),
}
_ID_EXAMPLES = {
    "image": "ami-0123456789abcdef0",
    "snapshot": "snap-0123456789abcdef0",
    "instance": "i-0123456789abcdef0",
    "volume": "vol-0123456789abcdef0",
    "launch_template": "lt-0123456789abcdef0",
    "security_group": "sg-0123456789abcdef0",
    "subnet": "subnet-0123456789abcdef0",
}
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html (Name constraints)
IMAGE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9()\[\] ./\-'@_]{3,128}$")
MAX_IMAGE_DESCRIPTION_LENGTH = 255
ACCOUNT_ID_PATTERN = re.compile(r"^\d{12}$")
REGION_PATTERN = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$")
ORGANIZATION_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:organizations::\d{12}:organization/o-[a-z0-9]{10,32}$")
ORGANIZATIONAL_UNIT_ARN_PATTERN = re.compile(
    r"^arn:aws[a-z-]*:organizations::\d{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$"
)


@functools.lru_cache(maxsize=1)
def known_ec2_regions():
    """Region names botocore's endpoint data lists for EC2 (all partitions); None without botocore.
    The one source of known regions: every region option is checked against it."""
    if botocore is None:
        return None
    session = botocore.session.get_session()
    names = set()
    for partition in session.get_available_partitions():
        names.update(session.get_available_regions("ec2", partition_name=partition))
    return names


def validate_resource_id(option, value, kind):
    if not isinstance(value, str) or not RESOURCE_ID_PATTERNS[kind].match(value):
        raise InvalidInputError(
            option, "%r is not a valid %s id (expected the form %s)" % (value, kind.replace("_", " "), _ID_EXAMPLES[kind])
        )
    return value


def validate_image_name(option, name):
    if not isinstance(name, str) or not IMAGE_NAME_PATTERN.match(name):
        raise InvalidInputError(
            option,
            "%r is not a name AWS accepts for an AMI: 3 to 128 characters from letters, digits, "
            "spaces and ( ) [ ] . / - ' @ _" % (name,),
        )
    return name


def validate_image_description(option, description):
    if description is not None and len(description) > MAX_IMAGE_DESCRIPTION_LENGTH:
        raise InvalidInputError(
            option, "is %d characters long; AWS allows at most %d" % (len(description), MAX_IMAGE_DESCRIPTION_LENGTH)
        )
    return description


def validate_account_id(option, account_id):
    account_id = str(account_id)
    if not ACCOUNT_ID_PATTERN.match(account_id):
        raise InvalidInputError(option, "%r is not a 12-digit AWS account id" % account_id)
    return account_id


def validate_region(option, region):
    if not isinstance(region, str) or not REGION_PATTERN.match(region):
        raise InvalidInputError(option, "%r is not an AWS region name (e.g. us-east-1)" % (region,))
    known_regions = known_ec2_regions()
    if known_regions and region not in known_regions:
        raise InvalidInputError(option, "%r is not a region this botocore knows for EC2" % region)
    return region


def validate_organization_arn(option, arn):
    if not isinstance(arn, str) or not ORGANIZATION_ARN_PATTERN.match(arn):
        raise InvalidInputError(
            option, "%r is not an organization ARN (arn:aws:organizations::<account>:organization/o-<id>)" % (arn,)
        )
    return arn


def validate_organizational_unit_arn(option, arn):
    if not isinstance(arn, str) or not ORGANIZATIONAL_UNIT_ARN_PATTERN.match(arn):
        raise InvalidInputError(
            option,
            "%r is not an organizational unit ARN (arn:aws:organizations::<account>:ou/o-<id>/ou-<root>-<id>)" % (arn,),
        )
    return arn


def each_indexed(option, values):
    """``(option[i], value)`` pairs, so errors name the exact list element."""
    for index, value in enumerate(values or []):
        yield "%s[%d]" % (option, index), value
