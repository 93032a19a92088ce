"""The bad-input corpus: options a user can get wrong, and what the module must say about them.

Each case: (case id, module, options, fragment the error message must contain, whether the module
must fail before ANY AWS call (True) or merely before any mutating one (False: the problem is only
knowable by asking AWS, such as an image id that does not exist)).
"""

VALID_INSTANCE = "i-0123456789abcdef0"
VALID_IMAGE = "ami-0123456789abcdef0"

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

CASES = [(case_id, "bakery.ami.image", options, message, before_any_call) for case_id, options, message, before_any_call in IMAGE_CASES]
