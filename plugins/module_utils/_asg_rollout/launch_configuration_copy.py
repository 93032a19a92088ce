# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A copy of a launch configuration with another image, everything else preserved.

Launch configurations are immutable, so a new image means a new launch configuration
(https://docs.aws.amazon.com/autoscaling/ec2/userguide/change-launch-config.html).
"""

from __future__ import annotations

import base64

# DescribeLaunchConfigurations fields that CreateLaunchConfiguration takes back as they are.
COPIED_FIELDS = (
    "KeyName",
    "SecurityGroups",
    "ClassicLinkVPCId",
    "ClassicLinkVPCSecurityGroups",
    "InstanceType",
    "KernelId",
    "RamdiskId",
    "InstanceMonitoring",
    "SpotPrice",
    "IamInstanceProfile",
    "EbsOptimized",
    "AssociatePublicIpAddress",
    "PlacementTenancy",
    "MetadataOptions",
)
# Describe-only fields: identity and bookkeeping, never part of what instances are launched with.
IDENTITY_FIELDS = ("LaunchConfigurationName", "LaunchConfigurationARN", "CreatedTime", "ImageId")


def copy_request(launch_configuration, image_id, name):
    """CreateLaunchConfiguration parameters for a copy of ``launch_configuration`` with ``image_id``."""
    request = {"LaunchConfigurationName": name, "ImageId": image_id}
    for field in COPIED_FIELDS:
        value = launch_configuration.get(field)
        if value in (None, "", []):
            continue
        request[field] = value
    if launch_configuration.get("UserData"):
        # Describe returns it base64-encoded and botocore encodes it again on create:
        # hand back the raw bytes (user data may be gzip, so never decode to text).
        request["UserData"] = base64.b64decode(launch_configuration["UserData"])
    mappings = block_device_mappings(launch_configuration.get("BlockDeviceMappings"))
    if mappings:
        request["BlockDeviceMappings"] = mappings
    return request


def block_device_mappings(mappings):
    """Block device mappings as CreateLaunchConfiguration takes them (unset members left out)."""
    cleaned = []
    for mapping in mappings or []:
        entry = {"DeviceName": mapping["DeviceName"]}
        if mapping.get("VirtualName"):
            entry["VirtualName"] = mapping["VirtualName"]
        if mapping.get("NoDevice"):
            entry["NoDevice"] = True
        ebs = dict((key, value) for key, value in (mapping.get("Ebs") or {}).items() if value is not None)
        if ebs and not entry.get("NoDevice"):
            entry["Ebs"] = ebs
        cleaned.append(entry)
    return cleaned


def launch_attributes(launch_configuration):
    """Everything instances are launched with except the image: equal for a faithful copy."""
    return dict(
        (key, value)
        for key, value in launch_configuration.items()
        if key not in IDENTITY_FIELDS and key != "BlockDeviceMappings" and value not in (None, "", [])
    ), block_device_mappings(launch_configuration.get("BlockDeviceMappings"))


def is_copy_of(candidate, original, image_id):
    """Whether ``candidate`` is ``original`` with ``image_id`` (e.g. made by an earlier, interrupted run)."""
    return candidate.get("ImageId") == image_id and launch_attributes(candidate) == launch_attributes(original)
