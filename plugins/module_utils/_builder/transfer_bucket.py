# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The S3 bucket the ``amazon.aws.aws_ssm`` connection moves files through (module code, files the roles copy), made
for one build when none is given: in the builder's region, encrypted (SSE-S3), every kind of public access blocked,
ACLs disabled (S3's default for new buckets since April 2023), objects expiring after a day (the plugin deletes each
object after its transfer; the rule catches what an interrupted run leaves), tagged with the build id.

Bucket names are global; the name is derived from the build id (``resource_names.bucket_name``), so a retried
CreateBucket after a lost response answers BucketAlreadyOwnedByYou (or, in us-east-1, succeeds again) and the bucket is
adopted; the settings that follow are PUTs of the whole configuration, the same on every run.

https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-prerequisites.html and the plugin's own
documentation (amazon.aws.aws_ssm: "This plugin requires an S3 bucket to send files to/from the remote instance").
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import BUILD_ID_TAG
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError, BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import tag_dict_to_list, tag_list_to_dict
from ansible_collections.bakery.ami.plugins.module_utils._builder.resource_names import RESOURCE_NAME_PREFIX

OBJECT_EXPIRY_DAYS = 1
MISSING = ("404", "NoSuchBucket", "NotFound")
NO_TAGS = ("NoSuchTagSet", "NoSuchTagSetError")


def bucket_exists(s3, name):
    """True when the bucket exists and this account may use it; False when there is no such bucket."""
    try:
        s3.call("head_bucket", Bucket=name)
    except AwsCallError as error:
        if error_code(error) in MISSING:
            return False
        if error_code(error) in ("403", "AccessDenied"):
            raise BakeryError("the S3 bucket %s exists but this account may not use it (another account's bucket, or no s3:ListBucket on it)" % name)
        raise
    return True


def bucket_build_id(s3, name):
    try:
        tags = s3.call("get_bucket_tagging", Bucket=name).get("TagSet", [])
    except AwsCallError as error:
        if error_code(error) in NO_TAGS:
            return None
        raise
    return tag_list_to_dict(tags).get(BUILD_ID_TAG)


class BuildTransferBucket:
    def __init__(self, s3, request):
        self.s3 = s3
        self.request = request
        self.name = request.bucket_name

    def find(self):
        if not bucket_exists(self.s3, self.name):
            return None
        owner = bucket_build_id(self.s3, self.name)
        if owner is None:
            # Made, but the run stopped before it was configured: create() finishes it.
            return None
        if owner != self.request.build_id:
            raise BakeryError("the S3 bucket %s belongs to build %s, not %s" % (self.name, owner, self.request.build_id))
        return {"Name": self.name}

    def create(self):
        options = {}
        if self.request.region != "us-east-1":
            options["CreateBucketConfiguration"] = {"LocationConstraint": self.request.region}
        try:
            self.s3.call("create_bucket", Bucket=self.name, **options)
        except AwsCallError as error:
            if error_code(error) == "BucketAlreadyExists":
                raise BakeryError("the S3 bucket name %s is taken by another account: use another build id or give transfer_bucket" % self.name)
            if error_code(error) != "BucketAlreadyOwnedByYou":
                raise
            owner = bucket_build_id(self.s3, self.name)
            if owner not in (None, self.request.build_id):
                raise BakeryError("the S3 bucket %s belongs to build %s, not %s" % (self.name, owner, self.request.build_id))
        self.s3.call("put_public_access_block", Bucket=self.name, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        self.s3.call("put_bucket_encryption", Bucket=self.name, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": True}]})
        self.s3.call("put_bucket_lifecycle_configuration", Bucket=self.name, LifecycleConfiguration={"Rules": [{
            "ID": "bakery-transfers-expire",
            "Status": "Enabled",
            "Filter": {"Prefix": ""},
            "Expiration": {"Days": OBJECT_EXPIRY_DAYS},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": OBJECT_EXPIRY_DAYS},
        }]})
        # Last: the tag is what find() takes as "made and configured".
        self.s3.call("put_bucket_tagging", Bucket=self.name, Tagging={"TagSet": tag_dict_to_list(self.request.resource_tags())})
        return {"Name": self.name}


def build_transfer_buckets(s3):
    """{build id: [(bucket name, region)]} of every build bucket (named bakery-build-..., tagged with a build id)."""
    found = {}
    for bucket in s3.paginate("list_buckets", "Buckets", Prefix=RESOURCE_NAME_PREFIX):
        name = bucket["Name"]
        if not name.startswith(RESOURCE_NAME_PREFIX):
            continue
        try:
            build_id = bucket_build_id(s3, name)
        except AwsCallError as error:
            if error_code(error) in MISSING:
                continue
            raise
        if build_id:
            found.setdefault(build_id, []).append((name, bucket.get("BucketRegion") or bucket_region(s3, name)))
    return found


def bucket_region(s3, name):
    location = s3.call("get_bucket_location", Bucket=name).get("LocationConstraint")
    return location or "us-east-1"


def find_build_transfer_bucket(s3, name, build_id):
    """(name, region) when the bucket of this name exists and is ``build_id``'s (or was made but never tagged)."""
    try:
        if not bucket_exists(s3, name):
            return None
    except BakeryError:
        return None
    owner = bucket_build_id(s3, name)
    if owner not in (None, build_id):
        return None
    return name, bucket_region(s3, name)


def remove_transfer_bucket(s3, name):
    """Empty the bucket (objects, unfinished uploads) and delete it."""
    try:
        keys = [item["Key"] for item in s3.paginate("list_objects_v2", "Contents", Bucket=name)]
        for start in range(0, len(keys), 1000):
            s3.call("delete_objects", Bucket=name, Delete={"Objects": [{"Key": key} for key in keys[start:start + 1000]], "Quiet": True})
        for upload in s3.paginate("list_multipart_uploads", "Uploads", Bucket=name):
            s3.call("abort_multipart_upload", Bucket=name, Key=upload["Key"], UploadId=upload["UploadId"])
        s3.call("delete_bucket", Bucket=name)
    except AwsCallError as error:
        if error_code(error) not in MISSING:
            raise
