# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Launch template data equivalent to a launch configuration, for moving a group off launch configurations.

AWS retired launch configurations (accounts created on or after 2024-10-01 cannot create them;
https://docs.aws.amazon.com/autoscaling/ec2/userguide/migrate-to-launch-templates.html maps each
launch configuration parameter to its launch template counterpart, which is what this follows).
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.launch_configuration_copy import block_device_mappings


def launch_template_data(launch_configuration, image_id, require_imdsv2=True):
    """``LaunchTemplateData`` launching the same instances as ``launch_configuration``, from ``image_id``."""
    lc = launch_configuration
    data = {"ImageId": image_id, "InstanceType": lc["InstanceType"]}
    for lc_field, lt_field in (("KeyName", "KeyName"), ("KernelId", "KernelId"), ("RamdiskId", "RamdiskId"), ("UserData", "UserData")):
        if lc.get(lc_field):
            # UserData: both APIs carry it base64-encoded on describe, and CreateLaunchTemplate takes it encoded.
            data[lt_field] = lc[lc_field]
    if lc.get("EbsOptimized") is not None:
        data["EbsOptimized"] = lc["EbsOptimized"]
    if lc.get("InstanceMonitoring") is not None:
        data["Monitoring"] = {"Enabled": bool(lc["InstanceMonitoring"].get("Enabled"))}
    profile = lc.get("IamInstanceProfile")
    if profile:
        data["IamInstanceProfile"] = {"Arn": profile} if profile.startswith("arn:") else {"Name": profile}
    mappings = block_device_mappings(lc.get("BlockDeviceMappings"))
    if mappings:
        for mapping in mappings:
            if mapping.get("NoDevice"):
                mapping["NoDevice"] = ""  # a string in launch templates
        data["BlockDeviceMappings"] = mappings
    if lc.get("SpotPrice"):
        data["InstanceMarketOptions"] = {"MarketType": "spot", "SpotOptions": {"MaxPrice": lc["SpotPrice"]}}
    if lc.get("PlacementTenancy"):
        data["Placement"] = {"Tenancy": lc["PlacementTenancy"]}
    metadata = dict(lc.get("MetadataOptions") or {})
    if require_imdsv2:
        metadata["HttpTokens"] = "required"
    if metadata:
        data["MetadataOptions"] = metadata
    security_groups = list(lc.get("SecurityGroups") or [])
    group_ids = [group for group in security_groups if group.startswith("sg-")]
    group_names = [group for group in security_groups if not group.startswith("sg-")]
    if lc.get("AssociatePublicIpAddress"):
        # A launch template sets a public IP on the primary network interface, and then the
        # security groups must be given there too, by id.
        data["NetworkInterfaces"] = [
            {"DeviceIndex": 0, "AssociatePublicIpAddress": True, "DeleteOnTermination": True, "Groups": group_ids}
        ]
    elif group_ids:
        data["SecurityGroupIds"] = group_ids
    if group_names and "NetworkInterfaces" not in data:
        data["SecurityGroups"] = group_names
    return data
