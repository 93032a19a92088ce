# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``ssm_automation`` module's options, checked and turned into StartAutomationExecution fields before any call."""

from __future__ import annotations

import hashlib
import json
import re
import uuid

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import SSM_AUTOMATION_TAG_PREFIX as REQUEST_TAG_PREFIX
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.module_request import ModuleRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import validate_tags
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import validate_resource_id

UPDATE_LINUX_AMI = "AWS-UpdateLinuxAmi"
# https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-aws-updatelinuxami.html
UPDATE_LINUX_AMI_PARAMETERS = (
    "SourceAmiId",
    "IamInstanceProfileName",
    "AutomationAssumeRole",
    "TargetAmiName",
    "InstanceType",
    "SubnetId",
    "SecurityGroupIds",
    "IncludePackages",
    "ExcludePackages",
    "PreUpdateScript",
    "PostUpdateScript",
    "MetadataOptions",
)
# https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_StartAutomationExecution.html (DocumentName)
DOCUMENT_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_\-.:/]{3,128}$|^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:document/[a-zA-Z0-9_\-.]{3,128}$")
ROLE_ARN_PATTERN = re.compile(r"^$|^arn:aws[a-z0-9-]*:iam::(\d{12}|\{\{global:ACCOUNT_ID\}\}):role/[\w/.@+=,-]{1,1017}$")
# The one namespace every request token of this module is derived in (uuid5 needs one; any fixed UUID does).
TOKEN_NAMESPACE = uuid.UUID("6f1c2e0a-6b1d-5d8e-9a57-0ba4e7000000")


class AutomationRequest(ModuleRequest):
    """One Automation run the user asked for. Built only through ``from_params``."""

    def __init__(self, params):
        super().__init__(params)
        self.document_name = params["document_name"]
        self.document_version = params.get("document_version")
        self.raw_parameters = params["parameters"]
        self.parameters = {}
        self.tags = params.get("tags")
        self.idempotency_key = params.get("idempotency_key")
        self.wait = params["wait"]

    def validate(self):
        self.region = self.region_option()
        self.wait_timeout = self.wait_timeout_option()
        if not DOCUMENT_NAME_PATTERN.match(self.document_name):
            raise InvalidInputError("document_name", "%r is not an SSM document name or ARN" % (self.document_name,))
        if not isinstance(self.raw_parameters, dict):
            raise InvalidInputError("parameters", "must be a dict of runbook parameter names to values")
        for name, value in self.raw_parameters.items():
            self.parameters[name] = _parameter_values("parameters.%s" % name, value)
        if self.document_name == UPDATE_LINUX_AMI:
            self._validate_update_linux_ami()
        self.tags = validate_tags("tags", self.tags)
        for key in self.tags or {}:
            if key.startswith(REQUEST_TAG_PREFIX):
                raise InvalidInputError("tags", "key %r uses the prefix %s, which this module keeps for itself" % (key, REQUEST_TAG_PREFIX))

    def _validate_update_linux_ami(self):
        unknown = sorted(set(self.parameters) - set(UPDATE_LINUX_AMI_PARAMETERS))
        if unknown:
            raise InvalidInputError(
                "parameters", "has %s, which %s does not take; it takes %s" % (", ".join(unknown), UPDATE_LINUX_AMI, ", ".join(UPDATE_LINUX_AMI_PARAMETERS))
            )
        if not self.parameters.get("SourceAmiId"):
            raise InvalidInputError("parameters.SourceAmiId", "is required by %s: the AMI to update (ami-...)" % UPDATE_LINUX_AMI)
        validate_resource_id("parameters.SourceAmiId", self.parameters["SourceAmiId"][0], "image")
        subnet = (self.parameters.get("SubnetId") or [""])[0]
        if subnet:
            validate_resource_id("parameters.SubnetId", subnet, "subnet")
        role = (self.parameters.get("AutomationAssumeRole") or [""])[0]
        if not ROLE_ARN_PATTERN.match(role):
            raise InvalidInputError("parameters.AutomationAssumeRole", "%r is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)" % role)

    @property
    def request_id(self):
        """A UUID naming this request: the same document, version, parameters and idempotency key give the same one."""
        material = json.dumps(
            ["bakery.ami/ssm_automation/v1", self.document_name, self.document_version or "", self.parameters, self.idempotency_key or ""],
            sort_keys=True,
        )
        return str(uuid.uuid5(TOKEN_NAMESPACE, hashlib.sha256(material.encode("utf-8")).hexdigest()))

    @property
    def request_tag_key(self):
        return REQUEST_TAG_PREFIX + self.request_id

    def client_token(self, ended_execution_ids):
        """The ClientToken: the request, and the executions of it that ended unsuccessfully (so a re-run after a failure starts anew)."""
        return str(uuid.uuid5(TOKEN_NAMESPACE, "%s|%s" % (self.request_id, ",".join(sorted(ended_execution_ids)))))

    def start_fields(self, ended_execution_ids):
        fields = {
            "DocumentName": self.document_name,
            "Parameters": self.parameters,
            "ClientToken": self.client_token(ended_execution_ids),
            "Tags": [{"Key": self.request_tag_key, "Value": self.document_name}]
            + [{"Key": key, "Value": value} for key, value in sorted((self.tags or {}).items())],
        }
        if self.document_version:
            fields["DocumentVersion"] = self.document_version
        return fields


def _parameter_values(option, value):
    """Automation parameters are lists of strings; a scalar becomes a one-element list, dicts become JSON (StringMap)."""
    if value is None:
        raise InvalidInputError(option, "is null; leave the parameter out to use the runbook's default")
    values = value if isinstance(value, list) else [value]
    converted = []
    for item in values:
        if isinstance(item, bool):
            converted.append("true" if item else "false")
        elif isinstance(item, (dict, list)):
            converted.append(json.dumps(item, sort_keys=True))
        else:
            converted.append(str(item))
    return converted
