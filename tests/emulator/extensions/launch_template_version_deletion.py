"""DeleteLaunchTemplateVersions, with version numbers that stay stable after a deletion.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteLaunchTemplateVersions.html):
"Deletes one or more versions of a launch template. You can't delete the default version of a launch
template; you must first assign a different version as the default." "You can delete up to 200 launch
template versions in a single request." The response lists `SuccessfullyDeletedLaunchTemplateVersions`
and `UnsuccessfullyDeletedLaunchTemplateVersions` (each with `ResponseError` {Code, Message}:
`launchTemplateVersionDoesNotExist` for an unknown number, a code of the `LaunchTemplateErrorCode`
enum; `launchTemplateVersionIsDefaultVersion` for the default, a code not in that enum: chosen by us). Version numbers are never reused: a new version after deleting the
latest gets the next number (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/manage-launch-template-versions.html).

moto 5.2.5 does not implement the call and numbers versions by list position; here versions
are looked up by their number and `_next_version_number` counts on from the highest ever made.
"""

from __future__ import annotations

from moto.core.responses import ActionResult
from moto.ec2.exceptions import InvalidLaunchTemplateVersionNotFound
from moto.ec2.models.launch_templates import LaunchTemplate, LaunchTemplateBackend, LaunchTemplateVersion
from moto.ec2.responses.launch_templates import LaunchTemplates

_moto_describe_versions = LaunchTemplateBackend.describe_launch_template_versions


def _create_version(self, data, description):
    number = max([self.__dict__.get("_highest_version_number", 0)] + [v.number for v in self.versions]) + 1
    self._highest_version_number = number
    version = LaunchTemplateVersion(self, number, data, description)
    self.versions.append(version)
    return version


def _get_version(self, num):
    if str(num).lower() == "$latest":
        return self.versions[-1]
    if str(num).lower() == "$default":
        return self.default_version()
    for version in self.versions:
        if str(version.number) == str(num):
            return version
    raise InvalidLaunchTemplateVersionNotFound(template_id=self.id, version=num)


def _default_version(self):
    return self._get_version_by_number(self.default_version_number)


def _describe_versions(self, template_name, template_id, versions, min_version, max_version, max_results):
    if (min_version or max_version) and not versions and (template_name or template_id):
        template = self.get_launch_template_by_name(template_name) if template_name else self.get_launch_template(template_id)
        selected = [
            (template, version)
            for version in template.versions
            if (not min_version or version.number >= min_version) and (not max_version or version.number <= max_version)
        ]
        return selected[:max_results]
    return _moto_describe_versions(self, template_name, template_id, versions, min_version, max_version, max_results)


def delete_launch_template_versions(self) -> ActionResult:
    name = self._get_param("LaunchTemplateName")
    template_id = self._get_param("LaunchTemplateId")
    numbers = [str(number) for number in self._get_param("Versions", [])]
    self.error_on_dryrun()
    template = self.ec2_backend.get_launch_template(template_id) if template_id else self.ec2_backend.get_launch_template_by_name(name)
    deleted, refused = [], []
    for number in numbers:
        matches = [version for version in template.versions if str(version.number) == number]
        entry = {"LaunchTemplateId": template.id, "LaunchTemplateName": template.name, "VersionNumber": int(number) if number.isdigit() else 0}
        if not matches:
            refused.append(dict(entry, ResponseError={"Code": "launchTemplateVersionDoesNotExist", "Message": f"The specified launch template version {number} does not exist."}))
        elif template.is_default(matches[0]):
            refused.append(dict(entry, ResponseError={"Code": "launchTemplateVersionIsDefaultVersion", "Message": "The default version of a launch template cannot be deleted."}))
        else:
            template.versions.remove(matches[0])
            deleted.append(entry)
    return ActionResult(
        {"SuccessfullyDeletedLaunchTemplateVersions": deleted, "UnsuccessfullyDeletedLaunchTemplateVersions": refused}
    )


def install() -> None:
    LaunchTemplate.create_version = _create_version
    LaunchTemplate.get_version = _get_version
    LaunchTemplate._get_version_by_number = _get_version
    LaunchTemplate.default_version = _default_version
    LaunchTemplateBackend.describe_launch_template_versions = _describe_versions
    LaunchTemplates.delete_launch_template_versions = delete_launch_template_versions
