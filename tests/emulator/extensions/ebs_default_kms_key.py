"""GetEbsDefaultKmsKeyId and ResetEbsDefaultKmsKeyId: the account's default KMS key for EBS encryption, per region.

AWS: GetEbsDefaultKmsKeyId "Describes the default KMS key for EBS encryption by default for your account in this
Region. You can change the default KMS key for encryption by default using ModifyEbsDefaultKmsKeyId or
ResetEbsDefaultKmsKeyId." Its answer `KmsKeyId` is "The Amazon Resource Name (ARN) of the default KMS key for
encryption by default." (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetEbsDefaultKmsKeyId.html).
ResetEbsDefaultKmsKeyId "Resets the default KMS key for EBS encryption for your account in this Region to the Amazon
Web Services managed KMS key for EBS." (API_ResetEbsDefaultKmsKeyId.html). A volume encrypted without a key of its own
(a builder's root volume, a CopyImage with Encrypted and no KmsKeyId) is encrypted with that default key.

moto implements ModifyEbsDefaultKmsKeyId only (GetEbsDefaultKmsKeyId answers an HTML 500). Here Get answers the ARN of
the key moto's EBS backend encrypts with by default: the AWS managed `alias/aws/ebs` key (kms_aws_managed_keys.py),
created on first use, until ModifyEbsDefaultKmsKeyId chose another; Reset goes back to it.
"""

from __future__ import annotations

from moto.core.responses import ActionResult
from moto.ec2.responses.elastic_block_store import ElasticBlockStore


def default_key_arn(ebs_backend) -> str:
    return ebs_backend.default_kms_key_id or ebs_backend._create_default_encryption_key()


def get_ebs_default_kms_key_id(self) -> ActionResult:
    self.error_on_dryrun()
    return ActionResult({"KmsKeyId": default_key_arn(self.ec2_backend)})


def reset_ebs_default_kms_key_id(self) -> ActionResult:
    self.error_on_dryrun()
    return ActionResult({"KmsKeyId": self.ec2_backend._create_default_encryption_key()})


def install() -> None:
    ElasticBlockStore.get_ebs_default_kms_key_id = get_ebs_default_kms_key_id
    ElasticBlockStore.reset_ebs_default_kms_key_id = reset_ebs_default_kms_key_id
