"""The bad-input corpus: options a user can get wrong, and what the module must say about them.

Each case: (case id, module, options, fragment the error message must contain, whether the module
must fail before ANY AWS call (True) or merely before any mutating one (False: the problem is only
knowable by asking AWS, such as an image id that does not exist)).
"""

VALID_INSTANCE = "i-0123456789abcdef0"
VALID_IMAGE = "ami-0123456789abcdef0"
VALID_ACCOUNT = "123456789013"
ORGANIZATION = "arn:aws:organizations::123456789012:organization/o-abcdefghij"
UNIT = "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefgh34"
PRODUCT_CODE = "a1b2c3d4e5f6g7h8i9j0k1l2m"
WEST_2_KEY = "arn:aws:kms:us-west-2:123456789012:key/11111111-1111-1111-1111-111111111111"

IMAGE_CASES = [
    ("image-name-too-short", {"name": "ab", "instance_id": VALID_INSTANCE}, "name 'ab' is not a name AWS accepts", True),
    ("image-name-too-long", {"name": "a" * 129, "instance_id": VALID_INSTANCE}, "is not a name AWS accepts", True),
    ("image-name-bad-characters", {"name": "web:server", "instance_id": VALID_INSTANCE}, "name 'web:server' is not a name AWS accepts", True),
    ("image-malformed-instance-id", {"name": "web-server", "instance_id": "i-12345"}, "instance_id 'i-12345' is not a valid instance id", True),
    ("image-instance-id-is-an-ami", {"name": "web-server", "instance_id": VALID_IMAGE}, "is not a valid instance id", True),
    ("image-malformed-image-id", {"image_id": "ami-xyz", "tags": {"a": "b"}}, "image_id 'ami-xyz' is not a valid image id", True),
    ("image-malformed-snapshot-id", {"name": "web-server", "root_device_name": "/dev/xvda", "device_mappings": [{"device_name": "/dev/xvda", "snapshot_id": "snap-1"}]}, "device_mappings[0].snapshot_id 'snap-1' is not a valid snapshot id", True),
    ("image-register-without-root-device", {"name": "web-server", "device_mappings": [{"device_name": "/dev/xvda", "snapshot_id": "snap-0123456789abcdef0"}]}, "root_device_name is required", True),
    ("image-register-root-not-mapped", {"name": "web-server", "root_device_name": "/dev/sda1", "device_mappings": [{"device_name": "/dev/xvda", "snapshot_id": "snap-0123456789abcdef0"}]}, "must map root_device_name '/dev/sda1' to a snapshot_id", True),
    ("image-iops-on-gp2", {"name": "web-server", "instance_id": VALID_INSTANCE, "device_mappings": [{"device_name": "/dev/xvdb", "volume_size": 10, "volume_type": "gp2", "iops": 3000}]}, "device_mappings[0] sets iops", True),
    ("image-no-device-with-volume", {"name": "web-server", "instance_id": VALID_INSTANCE, "device_mappings": [{"device_name": "/dev/xvdb", "no_device": True, "volume_size": 5}]}, "sets no_device together with a volume", True),
    ("image-description-too-long", {"name": "web-server", "instance_id": VALID_INSTANCE, "description": "d" * 256}, "description is 256 characters long", True),
    ("image-reserved-tag", {"name": "web-server", "instance_id": VALID_INSTANCE, "tags": {"aws:owner": "me"}}, "tags key 'aws:owner' uses the reserved prefix", True),
    ("image-too-many-tags", {"name": "web-server", "instance_id": VALID_INSTANCE, "tags": dict(("k%d" % i, "v") for i in range(51))}, "tags has 51 tags; AWS allows at most 50", True),
    ("image-unreadable-deprecation", {"name": "web-server", "instance_id": VALID_INSTANCE, "deprecate_at": "next tuesday"}, "deprecate_at 'next tuesday' is neither", True),
    ("image-absent-without-target", {"state": "absent"}, "absent needs name or image_id", True),
    ("image-present-without-name", {"instance_id": VALID_INSTANCE}, "name is required to create or register an image", True),
    ("image-instance-and-manifest", {"name": "web-server", "instance_id": VALID_INSTANCE, "image_location": "bucket/manifest.xml"}, "mutually exclusive", True),
    ("image-wrong-type-wait-timeout", {"name": "web-server", "instance_id": VALID_INSTANCE, "wait_timeout": "soon"}, "wait_timeout", True),
    ("image-negative-wait-timeout", {"name": "web-server", "instance_id": VALID_INSTANCE, "wait_timeout": -5}, "wait_timeout must be a positive number", True),
    ("image-unknown-protection", {"name": "web-server", "instance_id": VALID_INSTANCE, "deregistration_protection": "on"}, "deregistration_protection", True),
    ("image-unknown-option", {"name": "web-server", "instance_id": VALID_INSTANCE, "flavour": "vanilla"}, "Unsupported parameters", True),
    ("image-malformed-region", {"name": "web-server", "instance_id": VALID_INSTANCE, "region": "us east"}, "region 'us east' is not an AWS region name", True),
    ("image-unknown-image-id", {"image_id": VALID_IMAGE, "tags": {"a": "b"}}, "image_id 'ami-0123456789abcdef0' does not exist in us-east-1", False),
    ("image-missing-instance", {"name": "web-server", "instance_id": VALID_INSTANCE}, "instance_id 'i-0123456789abcdef0' does not exist in us-east-1", False),
]



def _copy(**options):
    values = {"source_image_id": VALID_IMAGE, "source_region": "us-east-1", "regions": ["eu-west-1"]}
    values.update(options)
    return values


IMAGE_COPY_CASES = [
    ("copy-malformed-source-id", _copy(source_image_id="ami-123"), "source_image_id 'ami-123' is not a valid image id", True),
    ("copy-source-is-a-snapshot-id", _copy(source_image_id="snap-0123456789abcdef0"), "source_image_id 'snap-0123456789abcdef0' is not a valid image id", True),
    ("copy-malformed-region", _copy(regions=["eu-west-1", "mars north"]), "regions[1].region 'mars north' is not an AWS region name", True),
    ("copy-unknown-region", _copy(regions=["eu-west-1", "eu-north-9"]), "regions[1].region 'eu-north-9' is not a region", True),
    ("copy-malformed-source-region", _copy(source_region="useast1"), "source_region 'useast1' is not an AWS region name", True),
    ("copy-repeated-region", _copy(regions=["eu-west-1", {"region": "eu-west-1"}]), "regions[1] repeats region 'eu-west-1'", True),
    ("copy-empty-regions", _copy(regions=[]), "regions must name at least one destination region", True),
    ("copy-region-entry-unknown-key", _copy(regions=[{"region": "eu-west-1", "kms": "alias/x"}]), "regions[0] has unknown key(s) kms", True),
    ("copy-region-entry-wrong-type", _copy(regions=[["eu-west-1"]]), "regions[0] must be a region name or a dict", True),
    ("copy-kms-key-without-encryption", _copy(encrypted=False, kms_key_id="alias/bakery"), "kms_key_id needs encrypted: true", True),
    ("copy-kms-key-of-another-region", _copy(regions=[{"region": "eu-west-1", "kms_key_id": WEST_2_KEY}]), "regions[0].kms_key_id '%s' is a key in us-west-2, but regions[0] copies to eu-west-1" % WEST_2_KEY, True),
    ("copy-default-kms-key-of-another-region", _copy(regions=["us-west-2", "eu-west-1"], kms_key_id=WEST_2_KEY), "kms_key_id '%s' is a key in us-west-2, but regions[1] copies to eu-west-1" % WEST_2_KEY, True),
    ("copy-name-aws-rejects", _copy(name="web:copy"), "name 'web:copy' is not a name AWS accepts", True),
    ("copy-into-source-region-without-name", _copy(regions=["us-east-1"]), "regions[0] copies into the source region us-east-1: give it a name", True),
    ("copy-sets-the-lineage-tag", _copy(tags={"bakery:source-image": "x"}), "tags must not set 'bakery:source-image'", True),
    ("copy-description-too-long", _copy(description="d" * 256), "description is 256 characters long", True),
    ("copy-zero-concurrency", _copy(max_concurrency=0), "max_concurrency must be at least 1", True),
    ("copy-wrong-type-concurrency", _copy(max_concurrency="many"), "max_concurrency", True),
    ("copy-unknown-source-image", _copy(), "source_image_id 'ami-0123456789abcdef0' does not exist in us-east-1", False),
]


def _share(**options):
    values = {"image_ids": {"us-east-1": VALID_IMAGE}, "accounts": [VALID_ACCOUNT]}
    values.update(options)
    return values


IMAGE_SHARE_CASES = [
    ("share-short-account-id", _share(accounts=[VALID_ACCOUNT, "12345"]), "accounts[1] '12345' is not a 12-digit AWS account id", True),
    # The public group is only reachable through public: true, never smuggled in as an account.
    ("share-public-group-as-account", _share(accounts=["all"]), "accounts[0] 'all' is not a 12-digit AWS account id", True),
    ("share-account-id-with-dashes", _share(accounts=["1234-5678-9012"]), "accounts[0] '1234-5678-9012' is not a 12-digit AWS account id", True),
    ("share-malformed-organization-arn", _share(organization_arns=["o-abcdefghij"]), "organization_arns[0] 'o-abcdefghij' is not an organization ARN", True),
    ("share-ou-arn-given-as-organization", _share(organization_arns=[UNIT]), "organization_arns[0] '%s' is not an organization ARN" % UNIT, True),
    ("share-malformed-ou-arn", _share(organizational_unit_arns=["ou-ab12-cdefgh34"]), "organizational_unit_arns[0] 'ou-ab12-cdefgh34' is not an organizational unit ARN", True),
    ("share-malformed-image-id", _share(image_ids={"us-east-1": "ami-1"}), "image_ids[us-east-1] 'ami-1' is not a valid image id", True),
    ("share-malformed-region-key", _share(image_ids={"moon-1": VALID_IMAGE}), "image_ids key 'moon-1' is not an AWS region name", True),
    ("share-unknown-region-key", _share(image_ids={"eu-north-9": VALID_IMAGE}), "image_ids key 'eu-north-9' is not a region", True),
    ("share-empty-image-ids", _share(image_ids={}), "image_ids must be an image id (with region) or a non-empty dict", True),
    ("share-no-principal", _share(accounts=[]), "accounts names no principal", True),
    ("share-purge-with-absent", _share(state="absent", purge=True), "purge cannot be combined with state: absent", True),
    ("share-public-not-a-boolean", _share(public="to everyone"), "public", True),
    ("share-accounts-wrong-type", _share(accounts={"id": VALID_ACCOUNT}), "accounts", True),
    ("share-unknown-image", _share(), "image_ids 'ami-0123456789abcdef0' does not exist in us-east-1", False),
]

IMAGE_INFO_CASES = [
    ("info-malformed-image-id", {"image_ids": [VALID_IMAGE, "ami-12"]}, "image_ids[1] 'ami-12' is not a valid image id", True),
    ("info-unknown-region", {"regions": ["us-east-1", "atlantis-1"], "owners": ["self"]}, "regions[1] 'atlantis-1'", True),
    ("info-well-formed-unknown-region", {"regions": ["eu-north-9"], "owners": ["self"]}, "regions[0] 'eu-north-9' is not a region", True),
    ("info-malformed-owner", {"owners": ["amazonn"]}, "owners[0] 'amazonn' is neither a 12-digit AWS account id nor", True),
    ("info-malformed-executable-by", {"executable_by": ["everyone"]}, "executable_by[0] 'everyone' is neither a 12-digit AWS account id nor", True),
    ("info-image-ids-and-ssm-parameter", {"image_ids": [VALID_IMAGE], "ssm_parameter": "/aws/service/x"}, "mutually exclusive", True),
    ("info-unknown-architecture", {"owners": ["self"], "architecture": "amd64"}, "architecture", True),
    ("info-filters-not-a-dict", {"filters": ["name", "web-*"]}, "filters", True),
    ("info-empty-filter-name", {"owners": ["self"], "filters": {" ": "x"}}, "filters has an empty filter name", True),
    ("info-malformed-ssm-parameter", {"ssm_parameter": "latest debian"}, "ssm_parameter 'latest debian' is not an SSM parameter name", True),
]

MARKETPLACE_INFO_CASES = [
    ("marketplace-malformed-product-code", {"product_codes": [PRODUCT_CODE, "not-a-code"]}, "product_codes[1] 'not-a-code' is not an AWS Marketplace product code", True),
    ("marketplace-no-product-nor-name", {"regions": ["us-east-1"]}, "product_codes or name is required", True),
    ("marketplace-unknown-region", {"product_codes": [PRODUCT_CODE], "regions": ["atlantis-1"]}, "regions[0] 'atlantis-1'", True),
    ("marketplace-unknown-architecture", {"product_codes": [PRODUCT_CODE], "architecture": "amd64"}, "architecture", True),
]

IMAGE_PRUNE_CASES = [
    ("prune-no-selector", {"keep": 2}, "one of the following is required: name, tags", True),
    ("prune-empty-name", {"name": ""}, "name or tags is required", True),
    ("prune-negative-keep", {"name": "web-", "keep": -1}, "keep must be a whole number of images to keep, 0 or more, got -1", True),
    ("prune-negative-age", {"name": "web-", "older_than_days": -3}, "older_than_days must be a number of days, 0 or more, got -3", True),
    ("prune-unknown-action", {"name": "web-", "action": "delete"}, "action", True),
    ("prune-unknown-region", {"name": "web-", "regions": ["us-east-1", "mars-north-1"]}, "regions[1]", True),
    ("prune-zero-concurrency", {"name": "web-", "max_concurrency": 0}, "max_concurrency must be at least 1", True),
    ("prune-reserved-tag-selector", {"tags": {"aws:layer": "x"}}, "aws:layer", True),
]

SOURCE = {"SourceAmiId": VALID_IMAGE}
SSM_AUTOMATION_CASES = [
    ("ssm-malformed-source-ami", {"parameters": {"SourceAmiId": "latest-debian"}}, "parameters.SourceAmiId 'latest-debian' is not a valid image id", True),
    ("ssm-missing-source-ami", {"parameters": {"InstanceType": "t3.small"}}, "parameters.SourceAmiId is required by AWS-UpdateLinuxAmi", True),
    ("ssm-unknown-runbook-parameter", {"parameters": dict(SOURCE, Flavour="vanilla")}, "parameters has Flavour, which AWS-UpdateLinuxAmi does not take", True),
    ("ssm-malformed-role-arn", {"parameters": dict(SOURCE, AutomationAssumeRole="admin")}, "parameters.AutomationAssumeRole 'admin' is not an IAM role ARN", True),
    ("ssm-malformed-subnet", {"parameters": dict(SOURCE, SubnetId="subnet-1")}, "parameters.SubnetId 'subnet-1' is not a valid subnet id", True),
    ("ssm-null-parameter", {"parameters": dict(SOURCE, InstanceType=None)}, "parameters.InstanceType is null", True),
    ("ssm-reserved-tag", {"parameters": SOURCE, "tags": {"bakery:ssm-automation:x": "y"}}, "tags key 'bakery:ssm-automation:x' uses the prefix", True),
    ("ssm-negative-timeout", {"parameters": SOURCE, "wait_timeout": -1}, "wait_timeout must be a positive number of seconds", True),
    ("ssm-malformed-document-name", {"document_name": "update my ami!", "parameters": SOURCE}, "document_name 'update my ami!' is not an SSM document name", True),
    ("ssm-parameters-not-a-dict", {"parameters": ["SourceAmiId", VALID_IMAGE]}, "parameters", True),
]

ASG_ROLLOUT_CASES = [
    ("rollout-no-groups", {"image_id": VALID_IMAGE}, "one of the following is required: groups, group_tags", True),
    ("rollout-groups-and-tags", {"image_id": VALID_IMAGE, "groups": ["web"], "group_tags": {"role": "web"}}, "mutually exclusive", True),
    ("rollout-malformed-image-id", {"image_id": "ami-1", "groups": ["web"]}, "image_id 'ami-1' is not a valid image id", True),
    ("rollout-image-map-malformed-region", {"image_id": {"atlantis": VALID_IMAGE}, "groups": ["web"]}, "image_id key 'atlantis' is not an AWS region name", True),
    ("rollout-image-id-wrong-type", {"image_id": [VALID_IMAGE], "groups": ["web"]}, "image_id must be an AMI id or a {region: AMI id} map, got list", True),
    ("rollout-empty-group-name", {"image_id": VALID_IMAGE, "groups": [""]}, "groups[0] '' is not an Auto Scaling group name", True),
    ("rollout-min-healthy-over-100", {"image_id": VALID_IMAGE, "groups": ["web"], "instance_refresh": {"enabled": True, "min_healthy_percentage": 150}}, "instance_refresh.min_healthy_percentage must be 0 to 100, got 150", True),
    ("rollout-lc-name-without-image-id", {"image_id": VALID_IMAGE, "groups": ["web"], "launch_configuration_name": "{group}-copy"}, "launch_configuration_name '{group}-copy' must contain {image_id}", True),
    ("rollout-unknown-placeholder", {"image_id": VALID_IMAGE, "groups": ["web"], "launch_template_name": "{group}-{sha}"}, "launch_template_name", True),
    ("rollout-negative-keep", {"image_id": VALID_IMAGE, "groups": ["web"], "keep_previous": -1}, "keep_previous must be 0 or more, got -1", True),
    ("rollout-unknown-group", {"image_id": VALID_IMAGE, "groups": ["no-such-group"]}, "no-such-group", False),
]

def _builder(**options):
    values = {"build_id": "bad-input-1", "image_id": VALID_IMAGE, "ssh_cidrs": ["203.0.113.7/32"], "private_key_path": "/tmp/bakery-bad-input.key"}
    values.update(options)
    return values


BUILDER_CASES = [
    ("builder-present-without-build-id", _builder(build_id=None), "build_id is required with state=present", True),
    ("builder-build-id-with-spaces", _builder(build_id="my build"), "build_id 'my build' is not a build id", True),
    ("builder-malformed-image-id", _builder(image_id="ami-xyz"), "image_id 'ami-xyz' is not a valid image id", True),
    ("builder-no-ssh-cidrs", _builder(ssh_cidrs=[]), "ssh_cidrs must list at least one CIDR", True),
    ("builder-malformed-cidr", _builder(ssh_cidrs=["203.0.113.7/33"]), "ssh_cidrs[0] '203.0.113.7/33' is not a CIDR", True),
    ("builder-key-directory-missing", _builder(private_key_path="/nonexistent-dir/builder.key"), "private_key_path '/nonexistent-dir/builder.key': the directory /nonexistent-dir does not exist", True),
    ("builder-present-in-two-regions", _builder(regions=["us-east-1", "eu-west-1"]), "regions state=present launches one builder in one region", True),
    ("builder-absent-malformed-region", {"state": "absent", "regions": ["us east 1"]}, "regions[0] 'us east 1' is not an AWS region name", True),
    ("builder-unknown-image", _builder(), "image_id ami-0123456789abcdef0 does not exist in us-east-1", False),
]

IMAGE_PARAMETER_NAME = "/bakery/web-server-003/latest"
IMAGE_PARAMETER_CASES = [
    ("parameter-reserved-prefix", {"name": "/aws/bakery/latest", "image_ids": {"us-east-1": VALID_IMAGE}}, "name '/aws/bakery/latest' starts with aws or ssm", True),
    ("parameter-relative-path", {"name": "bakery/latest", "image_ids": {"us-east-1": VALID_IMAGE}}, "name 'bakery/latest' is a path, and a path must start with /", True),
    ("parameter-malformed-image-id", {"name": IMAGE_PARAMETER_NAME, "image_ids": {"us-east-1": "ami-xyz"}}, "image_ids[us-east-1] 'ami-xyz' is not a valid image id", True),
    ("parameter-unknown-region", {"name": IMAGE_PARAMETER_NAME, "image_ids": {"us-east-9": VALID_IMAGE}}, "image_ids key 'us-east-9' is not a region this botocore knows", True),
    ("parameter-regions-with-present", {"name": IMAGE_PARAMETER_NAME, "image_ids": {"us-east-1": VALID_IMAGE}, "regions": ["eu-west-1"]}, "regions is for state: absent", True),
    ("parameter-unknown-image", {"name": IMAGE_PARAMETER_NAME, "image_ids": {"us-east-1": VALID_IMAGE}}, "image_ids 'ami-0123456789abcdef0' does not exist in us-east-1", False),
]

CASES = (
    [(case_id, "bakery.ami.image", options, message, before_any_call) for case_id, options, message, before_any_call in IMAGE_CASES]
    + [(case_id, "bakery.ami.image_copy", options, message, before_any_call) for case_id, options, message, before_any_call in IMAGE_COPY_CASES]
    + [(case_id, "bakery.ami.image_share", options, message, before_any_call) for case_id, options, message, before_any_call in IMAGE_SHARE_CASES]
    + [(case_id, "bakery.ami.image_info", options, message, before_any_call) for case_id, options, message, before_any_call in IMAGE_INFO_CASES]
    + [(case_id, "bakery.ami.marketplace_info", options, message, before_any_call) for case_id, options, message, before_any_call in MARKETPLACE_INFO_CASES]
    + [(case_id, "bakery.ami.image_prune", options, message, before_any_call) for case_id, options, message, before_any_call in IMAGE_PRUNE_CASES]
    + [(case_id, "bakery.ami.ssm_automation", options, message, before_any_call) for case_id, options, message, before_any_call in SSM_AUTOMATION_CASES]
    + [(case_id, "bakery.ami.asg_rollout", options, message, before_any_call) for case_id, options, message, before_any_call in ASG_ROLLOUT_CASES]
    + [(case_id, "bakery.ami.image_parameter", options, message, before_any_call) for case_id, options, message, before_any_call in IMAGE_PARAMETER_CASES]
    + [(case_id, "bakery.ami.builder", options, message, before_any_call) for case_id, options, message, before_any_call in BUILDER_CASES]
)
