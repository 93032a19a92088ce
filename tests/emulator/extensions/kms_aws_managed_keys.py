"""`alias/aws/ebs` resolves to an AWS managed KMS key, created on first use in each region.

AWS (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key;
https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html `KeyManager`: "The manager of
the KMS key. KMS keys in your Amazon Web Services account are either customer managed or Amazon Web
Services managed."): AWS managed keys have aliases `aws/<service>`, are created when a service first encrypts a
resource for the account in a region, and DescribeKey reports them with
`KeyManager: AWS`; their key policy cannot be changed, so other accounts can never be
granted use of them. EBS encryption by default uses `alias/aws/ebs` unless the account
chose another default key (API_GetEbsDefaultKmsKeyId.html). moto creates the reserved
aliases on first lookup but marks them `CUSTOMER`, and EC2's own default key is a second,
unrelated key; here both are the one AWS managed key.
"""

from __future__ import annotations

import functools

from moto.ec2.models.elastic_block_store import EBSBackend
from moto.kms.models import KmsBackend

EBS_ALIAS = "alias/aws/ebs"
AWS_MANAGED_DESCRIPTIONS = {EBS_ALIAS: "Default key that protects my EBS volumes when no other key is defined"}


def aws_managed_key(kms_backend, alias_name: str):
    """The AWS managed key behind ``alias_name`` in this KMS backend, created on first use."""
    key = kms_backend.describe_key(alias_name)
    key.key_manager = "AWS"
    key.description = AWS_MANAGED_DESCRIPTIONS.get(alias_name, key.description)
    return key


def install() -> None:
    original_generate = KmsBackend._generate_default_keys

    @functools.wraps(original_generate)
    def generate_default_keys(self, alias_name):
        key_id = original_generate(self, alias_name)
        if key_id is not None:
            self.keys[key_id].key_manager = "AWS"
            self.keys[key_id].description = AWS_MANAGED_DESCRIPTIONS.get(alias_name, "Default key")
        return key_id

    KmsBackend._generate_default_keys = generate_default_keys

    def create_default_encryption_key(self) -> str:
        from moto.kms import kms_backends

        key = aws_managed_key(kms_backends[self.account_id][self.region_name], EBS_ALIAS)
        self.default_kms_key_id = key.arn
        return key.arn

    EBSBackend._create_default_encryption_key = create_default_encryption_key
