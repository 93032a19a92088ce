"""ListInstanceProfiles honours PathPrefix, as IAM does.

AWS: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfiles.html (PathPrefix: "The path prefix
for filtering the results. For example, the prefix /application_abc/component_xyz/ gets all instance profiles whose
path starts with /application_abc/component_xyz/. This parameter is optional. If it is not included, it defaults to a
slash (/), listing all instance profiles.")

moto 5 ignores PathPrefix and lists every instance profile of the account (ListRoles does filter). A caller that asks
for the builds' path (/bakery-build/) then also sees an application's profile, such as the one `make demo` creates
for its instances. Pagination stays moto's (one page).

The same page gives PathPrefix's constraints: "Length Constraints: Minimum length of 1. Maximum length of 512." and
"Pattern: \u002F[\u0021-\u007F]*" (a slash, then printable ASCII). A prefix outside them is refused with
ValidationError, the code IAM documents for input that fails its constraints (common errors page); the code for this
parameter is our choice, the refusal is AWS's.
"""

from __future__ import annotations

import re

from moto.core.responses import ActionResult
from moto.iam.exceptions import ValidationError
from moto.iam.responses import IamResponse

PATH_PREFIX = re.compile(r"/[\x21-\x7f]*")


def _list_instance_profiles(self) -> ActionResult:
    prefix = self._get_param("PathPrefix")
    if prefix is None:
        prefix = "/"
    elif not (1 <= len(prefix) <= 512 and PATH_PREFIX.fullmatch(prefix)):
        raise ValidationError("1 validation error detected: Value '%s' at 'pathPrefix' failed to satisfy constraint: "
                              "Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*" % prefix)
    profiles = [profile for profile in self.backend.get_instance_profiles() if profile.path.startswith(prefix)]
    return ActionResult({"InstanceProfiles": profiles})


def install() -> None:
    IamResponse.list_instance_profiles = _list_instance_profiles
