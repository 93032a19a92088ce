"""extensions/ebs_default_kms_key.py: GetEbsDefaultKmsKeyId / ResetEbsDefaultKmsKeyId per account and region."""


def key_manager(aws, key_arn, region="us-east-1"):
    return aws.client("kms", region=region).describe_key(KeyId=key_arn)["KeyMetadata"]["KeyManager"]


def test_the_default_key_is_the_aws_managed_ebs_key(aws, ec2):
    key_arn = ec2.get_ebs_default_kms_key_id()["KmsKeyId"]
    assert key_arn.startswith("arn:aws:kms:us-east-1:123456789012:key/")
    assert key_arn == aws.client("kms").describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["Arn"]
    assert key_manager(aws, key_arn) == "AWS"


def test_a_modified_default_is_answered_and_reset_goes_back(aws, ec2):
    customer_key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    ec2.modify_ebs_default_kms_key_id(KmsKeyId=customer_key)
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == customer_key
    reset = ec2.reset_ebs_default_kms_key_id()["KmsKeyId"]
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == reset and key_manager(aws, reset) == "AWS"


def test_each_region_has_its_own_default(aws, ec2):
    customer_key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    ec2.modify_ebs_default_kms_key_id(KmsKeyId=customer_key)
    other = aws.client("ec2", region="eu-west-1").get_ebs_default_kms_key_id()["KmsKeyId"]
    assert other.startswith("arn:aws:kms:eu-west-1:") and key_manager(aws, other, "eu-west-1") == "AWS"
