# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``image`` module's options, checked and turned into AWS request fields before any call is made."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.deprecation import DeprecationSchedule
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.module_request import ModuleRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import validate_tags
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import (
    each_indexed,
    validate_image_description,
    validate_image_name,
    validate_resource_id,
)

PROTECTION_STATES = ("enabled", "enabled-with-cooldown", "disabled")
_DEVICE_MAPPING_FIELDS = {
    "snapshot_id": "SnapshotId",
    "volume_size": "VolumeSize",
    "volume_type": "VolumeType",
    "iops": "Iops",
    "throughput": "Throughput",
    "encrypted": "Encrypted",
    "kms_key_id": "KmsKeyId",
    "delete_on_termination": "DeleteOnTermination",
}


class ImageRequest(ModuleRequest):
    """What the user asked of one image. Built only through ``from_params``, which validates everything."""

    def __init__(self, params):
        super().__init__(params)
        self.state = params["state"]
        self.name = params.get("name")
        self.image_id = params.get("image_id")
        self.instance_id = params.get("instance_id")
        self.no_reboot = params["no_reboot"]
        self.description = params.get("description")
        self.device_mappings = params.get("device_mappings") or []
        self.root_device_name = params.get("root_device_name")
        self.architecture = params.get("architecture")
        self.virtualization_type = params.get("virtualization_type")
        self.boot_mode = params.get("boot_mode")
        self.ena_support = params.get("ena_support")
        self.imds_support = params.get("imds_support")
        self.tpm_support = params.get("tpm_support")
        self.image_location = params.get("image_location")
        self.tags = params.get("tags")
        self.purge_tags = params["purge_tags"]
        self.tag_snapshots = params["tag_snapshots"]
        self.deprecation = None
        self.deregistration_protection = params.get("deregistration_protection")
        self.delete_snapshots = params["delete_snapshots"]
        self.wait = params["wait"]
        self.wait_timeout = params["wait_timeout"]

    @property
    def registers_from_mappings(self):
        return self.instance_id is None and (bool(self.device_mappings) or self.image_location is not None)

    def validate(self):
        params = self.params
        self.region = self.region_option()
        if self.name is not None:
            validate_image_name("name", self.name)
        if self.image_id is not None:
            validate_resource_id("image_id", self.image_id, "image")
        if self.instance_id is not None:
            validate_resource_id("instance_id", self.instance_id, "instance")
        validate_image_description("description", self.description)
        self.tags = validate_tags("tags", self.tags)
        self.deprecation = DeprecationSchedule.parse("deprecate_at", params.get("deprecate_at"))
        if self.deregistration_protection is not None and self.deregistration_protection not in PROTECTION_STATES:
            raise InvalidInputError(
                "deregistration_protection", "must be one of %s, got %r" % (", ".join(PROTECTION_STATES), self.deregistration_protection)
            )
        self.wait_timeout = self.wait_timeout_option()
        for option, mapping in each_indexed("device_mappings", self.device_mappings):
            _validate_device_mapping(option, mapping)
        if self.state == "absent":
            if not (self.name or self.image_id):
                raise InvalidInputError("state", "absent needs name or image_id to know which image to deregister")
            return
        if not (self.name or self.image_id):
            raise InvalidInputError("name", "is required to create or register an image (or give image_id to update one)")
        if self.instance_id and self.image_location:
            raise InvalidInputError("image_location", "cannot be combined with instance_id: an image comes from an instance or is registered")
        if self.registers_from_mappings:
            self._validate_registration()

    def _validate_registration(self):
        if self.image_location is not None:
            return
        if not self.root_device_name:
            raise InvalidInputError("root_device_name", "is required to register an image from device_mappings (e.g. /dev/xvda)")
        root = [m for m in self.device_mappings if m.get("device_name") == self.root_device_name]
        if not root or not root[0].get("snapshot_id"):
            raise InvalidInputError(
                "device_mappings",
                "must map root_device_name %r to a snapshot_id to register an EBS-backed image" % self.root_device_name,
            )

    def block_device_mappings(self):
        """``BlockDeviceMappings`` for CreateImage/RegisterImage."""
        mappings = []
        for mapping in self.device_mappings:
            entry = {"DeviceName": mapping["device_name"]}
            if mapping.get("no_device"):
                entry["NoDevice"] = ""
            elif mapping.get("virtual_name"):
                entry["VirtualName"] = mapping["virtual_name"]
            else:
                ebs = dict((aws_key, mapping[key]) for key, aws_key in _DEVICE_MAPPING_FIELDS.items() if mapping.get(key) is not None)
                if ebs:
                    entry["Ebs"] = ebs
            mappings.append(entry)
        return mappings

    def registration_fields(self):
        """RegisterImage fields other than name, description, mappings and tags."""
        fields = {
            "RootDeviceName": self.root_device_name,
            "Architecture": self.architecture,
            "VirtualizationType": self.virtualization_type,
            "BootMode": self.boot_mode,
            "EnaSupport": self.ena_support,
            "ImdsSupport": self.imds_support,
            "TpmSupport": self.tpm_support,
            "ImageLocation": self.image_location,
        }
        return dict((key, value) for key, value in fields.items() if value is not None)


def _validate_device_mapping(option, mapping):
    if not mapping.get("device_name"):
        raise InvalidInputError(option, "needs a device_name (e.g. /dev/xvda)")
    if mapping.get("snapshot_id") is not None:
        validate_resource_id("%s.snapshot_id" % option, mapping["snapshot_id"], "snapshot")
    if mapping.get("no_device") and (mapping.get("snapshot_id") or mapping.get("volume_size")):
        raise InvalidInputError(option, "sets no_device together with a volume; choose one")
    if mapping.get("iops") is not None and mapping.get("volume_type") not in ("io1", "io2", "gp3"):
        raise InvalidInputError(option, "sets iops, which only volume_type io1, io2 or gp3 accepts")
    if mapping.get("throughput") is not None and mapping.get("volume_type") != "gp3":
        raise InvalidInputError(option, "sets throughput, which only volume_type gp3 accepts")
