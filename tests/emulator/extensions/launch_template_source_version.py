"""CreateLaunchTemplateVersion with `SourceVersion` inherits the source version's parameters.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html,
`SourceVersion`): "The version of the launch template on which to base the new version.
Snapshots applied to the block device mapping are ignored when creating a new version unless
they are explicitly included. If you specify this parameter, the new version inherits the launch
parameters from the source version. If you specify additional launch parameters for the new
version, they overwrite any corresponding launch parameters inherited from the source version."
So inheritance is per top-level launch parameter: a parameter given in `LaunchTemplateData`
replaces the inherited one whole (a new `BlockDeviceMappings` list replaces the old list).
An unknown source version answers `InvalidLaunchTemplateId.VersionNotFound`.

moto 5.2.5 ignores SourceVersion (the new version holds only what was given) and keeps
`UserData` of new versions as a plain string, which breaks launching from them; both fixed here.
"""

from __future__ import annotations

import copy

from moto.core.responses import ActionResult
from moto.ec2.responses.launch_templates import LaunchTemplates
from moto.ec2.utils import parse_user_data


def create_launch_template_version(self) -> ActionResult:
    name = self._get_param("LaunchTemplateName")
    template_id = self._get_param("LaunchTemplateId")
    template = self.ec2_backend.get_launch_template(template_id) if template_id else self.ec2_backend.get_launch_template_by_name(name)
    description = self._get_param("VersionDescription")
    given = self._get_param("LaunchTemplateData", {})
    if "UserData" in given:
        given["UserData"] = parse_user_data(given["UserData"])
    source_version = self._get_param("SourceVersion")
    self.error_on_dryrun()

    data = {}
    if source_version is not None:
        data = copy.deepcopy(template.get_version(source_version).data)
    data.update(given)
    version = template.create_version(data, description)
    return ActionResult(
        {
            "LaunchTemplateVersion": {
                "CreateTime": version.create_time,
                "CreatedBy": f"arn:{self.partition}:iam::{self.current_account}:root",
                "DefaultVersion": template.is_default(version),
                "LaunchTemplateData": version.data,
                "LaunchTemplateId": template.id,
                "LaunchTemplateName": template.name,
                "VersionDescription": version.description,
                "VersionNumber": version.number,
            }
        }
    )


def install() -> None:
    LaunchTemplates.create_launch_template_version = create_launch_template_version
