# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The key of the build and of every copy: it resolves in its region, is enabled, and can be shared when the bake shares.

KMS keys and aliases are regional: an alias given once must exist in every copy region, or that copy fails
asynchronously ("Amazon Web Services authenticates the KMS key asynchronously. Therefore, if you specify an ID, alias,
or ARN that is not valid, the action can appear to complete, but eventually fails.", API_CopyImage.html). Without a key
of its own a volume or copy is encrypted with the region's default EBS key (GetEbsDefaultKmsKeyId), the AWS managed
alias/aws/ebs unless the account chose another. "You can't share AMIs that are backed by snapshots that are encrypted
with the default AWS managed key." (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html):
DescribeKey's KeyManager tells AWS from CUSTOMER.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.copy_destinations import kms_key_region
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.region_fanout import fan_out
from ansible_collections.bakery.ami.plugins.module_utils._bake_preflight.findings import Findings

NOT_FOUND_CODES = ("NotFoundException",)
ENABLED = "Enabled"
CUSTOMER = "CUSTOMER"


def keys_by_region(request, regions):
    """{region: (the key asked for or None, where it was asked for)} for the regions checked."""
    keys = {}
    if request.home_region in regions:
        keys[request.home_region] = (request.kms_key_id, "kms_key_id (the build)")
    for copy in request.copies:
        if copy.region in regions:
            keys[copy.region] = (copy.kms_key_id, "%s.kms_key_id" % copy.option if copy.kms_key_id != request.kms_key_id else "kms_key_id (%s)" % copy.option)
    return keys


def check_keys(clients, request, regions, findings):
    keys = keys_by_region(request, regions)
    found_in = dict((region, Findings()) for region in keys)
    fan_out(sorted(keys), lambda region: _check_region(clients, request, region, keys[region], found_in[region]))
    for region in sorted(keys):
        findings.extend(found_in[region])


def _check_region(clients, request, region, key, findings):
    key_id, option = key
    if key_id is None:
        try:
            key_id = clients.api("ec2", region).call("get_ebs_default_kms_key_id")["KmsKeyId"]
        except BakeryError as error:
            findings.call_failed(error, "ec2:GetEbsDefaultKmsKeyId", "read the default EBS key of %s" % region)
            return
        option = "the default EBS key of %s (no kms_key_id given)" % region
    elif kms_key_region(key_id) not in (None, region):
        findings.problem("%s %r is a key of %s, but is used in %s: KMS keys are regional, give %s a key of its own"
                         % (option, key_id, kms_key_region(key_id), region, region))
        return
    try:
        metadata = clients.api("kms", region).call("describe_key", KeyId=key_id)["KeyMetadata"]
    except BakeryError as error:
        if getattr(error, "code", None) in NOT_FOUND_CODES:
            findings.problem("%s %r does not exist in %s: create it (or its alias) there, or give %s a key of its own" % (option, key_id, region, region))
        else:
            findings.call_failed(error, "kms:DescribeKey", "check the KMS key %r in %s" % (key_id, region))
        return
    state = metadata.get("KeyState")
    if state != ENABLED or metadata.get("Enabled") is False:
        findings.problem("%s %r in %s is %s, not Enabled: EBS cannot encrypt with it" % (option, key_id, region, state))
    if request.is_shared and metadata.get("KeyManager") != CUSTOMER:
        findings.problem(
            "sharing with %s needs a customer managed key, but %s %r in %s is managed by AWS (%s): AWS never lets "
            "other accounts use it, so the share would fail after the build; set kms_key_id to a customer managed "
            "key (an alias that exists in every region of the bake)"
            % (", ".join(request.share_targets), option, key_id, region, metadata.get("Arn", key_id))
        )
