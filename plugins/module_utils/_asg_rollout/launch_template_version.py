# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Launch template versions: the one a group runs, a new one with another image, and which old ones may go.

A new version is made with ``SourceVersion`` = the group's version and only ``ImageId`` given, so
every other launch parameter is inherited unchanged
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html).
"""

from __future__ import annotations

import copy
import hashlib

MOVING_VERSIONS = ("$Latest", "$Default")
VERSION_DESCRIPTION = "bakery.ami rollout of %s"
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteLaunchTemplateVersions.html
MAX_VERSIONS_PER_DELETE = 200


class TemplateVersions:
    """The versions of one launch template that a group's rollout needs: the group's, the latest, the default."""

    def __init__(self, ec2_api, template_id, group_version):
        self.api = ec2_api
        self.template_id = template_id
        self.group_version = str(group_version or "$Default")
        wanted = list(dict.fromkeys([self.group_version, "$Latest", "$Default"]))
        versions = ec2_api.call("describe_launch_template_versions", LaunchTemplateId=template_id, Versions=wanted)["LaunchTemplateVersions"]
        by_number = dict((version["VersionNumber"], version) for version in versions)
        self.latest = max(by_number.values(), key=lambda version: version["VersionNumber"])
        self.default = [version for version in versions if version.get("DefaultVersion")][0] if any(v.get("DefaultVersion") for v in versions) else None
        if self.group_version == "$Latest":
            self.current = self.latest
        elif self.group_version == "$Default":
            self.current = self.default or self.latest
        else:
            self.current = by_number[int(self.group_version)]

    @property
    def template_name(self):
        return self.current["LaunchTemplateName"]

    @property
    def current_image(self):
        return self.current["LaunchTemplateData"].get("ImageId")

    @property
    def current_number(self):
        return self.current["VersionNumber"]

    def latest_is_current_with(self, image_id):
        """Whether the latest version is the group's version with ``image_id``, made by an earlier run (it may have
        pinned the group to the version its instances ran first, so the description says whose it is)."""
        if self.latest["VersionNumber"] == self.current["VersionNumber"]:
            return False
        if (self.latest.get("LaunchTemplateData") or {}).get("ImageId") != image_id:
            return False
        if self.latest.get("VersionDescription") == VERSION_DESCRIPTION % image_id:
            return True
        expected = copy.deepcopy(self.current["LaunchTemplateData"])
        expected["ImageId"] = image_id
        return self.latest["LaunchTemplateData"] == expected


def client_token(*marks):
    """A ClientToken that is the same for the same request marks, so a re-run after a lost answer gets the first answer
    (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html; at most 64 characters)."""
    return "bakery-%s" % hashlib.sha256("|".join(str(mark) for mark in marks).encode("utf-8")).hexdigest()[:48]


def new_version_request(template_id, source_version, image_id, latest_version):
    """CreateLaunchTemplateVersion of ``source_version`` with ``image_id``, meant to become version ``latest_version + 1``."""
    return {
        "LaunchTemplateId": template_id,
        "SourceVersion": str(source_version),
        "VersionDescription": VERSION_DESCRIPTION % image_id,
        "LaunchTemplateData": {"ImageId": image_id},
        "ClientToken": client_token("launch-template-version", template_id, source_version, image_id, latest_version),
    }


def all_versions(ec2_api, template_id):
    return ec2_api.paginate("describe_launch_template_versions", "LaunchTemplateVersions", LaunchTemplateId=template_id, MaxResults=200)


def versions_to_prune(versions, kept_version, references, keep_previous):
    """Numbers of superseded versions beyond the ``keep_previous`` newest that nothing uses.

    Kept whatever ``keep_previous`` says: ``kept_version`` (the rollout's), the default version,
    the latest, and every version a group references (by number, or through $Latest/$Default).
    """
    numbers = sorted((version["VersionNumber"] for version in versions), reverse=True)
    if not numbers:
        return []
    protected = {int(kept_version), numbers[0]}
    protected.update(version["VersionNumber"] for version in versions if version.get("DefaultVersion"))
    protected.update(int(reference) for reference in references if str(reference).isdigit())
    superseded = [number for number in numbers if number < int(kept_version)]
    return sorted(number for number in superseded[keep_previous:] if number not in protected)
