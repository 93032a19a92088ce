"""ListInstanceProfiles honours PathPrefix, as IAM does.

AWS: https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfiles.html (PathPrefix: "The path prefix
for filtering the results. For example, the prefix /application_abc/component_xyz/ gets all instance profiles whose
path starts with /application_abc/component_xyz/. This parameter is optional. If it is not included, it defaults to a
slash (/), listing all instance profiles.")

moto 5 ignores PathPrefix and lists every instance profile of the account (ListRoles does filter). A caller that asks
for the builds' path (/bakery-build/) then also sees an application's profile, such as the one `make demo` creates
for its instances. Pagination stays moto's (one page).
"""

from __future__ import annotations

from moto.core.responses import ActionResult
from moto.iam.responses import IamResponse


def _list_instance_profiles(self) -> ActionResult:
    prefix = self._get_param("PathPrefix") or "/"
    profiles = [profile for profile in self.backend.get_instance_profiles() if profile.path.startswith(prefix)]
    return ActionResult({"InstanceProfiles": profiles})


def install() -> None:
    IamResponse.list_instance_profiles = _list_instance_profiles
