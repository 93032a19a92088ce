"""The action of an S3 REST request, named as AWS names it (HeadBucket, PutObject, ...), for the call log and the
fault rules.

S3 speaks REST: no ``Action`` field, no ``X-Amz-Target``. The operation is the HTTP method on a service, bucket or
object path plus the subresource in the query string (``?tagging``, ``?lifecycle``, ...), as the S3 API reference
lists them per operation (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html,
e.g. API_PutBucketTagging.html: "PUT /?tagging HTTP/1.1 Host: Bucket.s3.amazonaws.com"). Only path-style requests
reach the emulator (its endpoint is an IP address: botocore and presigned URLs put the bucket in the path).
"""

from __future__ import annotations

from urllib.parse import parse_qs

# subresource -> action, per method, for bucket paths ("/bucket").
BUCKET_SUBRESOURCES = {
    "GET": {"tagging": "GetBucketTagging", "encryption": "GetBucketEncryption", "lifecycle": "GetBucketLifecycleConfiguration",
            "publicAccessBlock": "GetPublicAccessBlock", "location": "GetBucketLocation", "versioning": "GetBucketVersioning",
            "policy": "GetBucketPolicy", "acl": "GetBucketAcl", "uploads": "ListMultipartUploads", "versions": "ListObjectVersions",
            "ownershipControls": "GetBucketOwnershipControls", "logging": "GetBucketLogging", "cors": "GetBucketCors",
            "website": "GetBucketWebsite", "notification": "GetBucketNotificationConfiguration", "replication": "GetBucketReplication"},
    "PUT": {"tagging": "PutBucketTagging", "encryption": "PutBucketEncryption", "lifecycle": "PutBucketLifecycleConfiguration",
            "publicAccessBlock": "PutPublicAccessBlock", "versioning": "PutBucketVersioning", "policy": "PutBucketPolicy",
            "acl": "PutBucketAcl", "ownershipControls": "PutBucketOwnershipControls", "logging": "PutBucketLogging",
            "cors": "PutBucketCors", "website": "PutBucketWebsite", "notification": "PutBucketNotificationConfiguration",
            "replication": "PutBucketReplication"},
    "DELETE": {"tagging": "DeleteBucketTagging", "encryption": "DeleteBucketEncryption", "lifecycle": "DeleteBucketLifecycle",
               "publicAccessBlock": "DeletePublicAccessBlock", "policy": "DeleteBucketPolicy",
               "ownershipControls": "DeleteBucketOwnershipControls", "cors": "DeleteBucketCors", "website": "DeleteBucketWebsite",
               "replication": "DeleteBucketReplication"},
    "POST": {"delete": "DeleteObjects"},
}
BUCKET_ACTIONS = {"HEAD": "HeadBucket", "GET": "ListObjects", "PUT": "CreateBucket", "DELETE": "DeleteBucket"}
OBJECT_SUBRESOURCES = {
    "GET": {"tagging": "GetObjectTagging", "acl": "GetObjectAcl", "uploadId": "ListParts", "attributes": "GetObjectAttributes"},
    "PUT": {"tagging": "PutObjectTagging", "acl": "PutObjectAcl", "uploadId": "UploadPart"},
    "DELETE": {"tagging": "DeleteObjectTagging", "uploadId": "AbortMultipartUpload"},
    "POST": {"uploads": "CreateMultipartUpload", "uploadId": "CompleteMultipartUpload", "restore": "RestoreObject"},
}
OBJECT_ACTIONS = {"HEAD": "HeadObject", "GET": "GetObject", "PUT": "PutObject", "DELETE": "DeleteObject"}


def s3_action(environ: dict) -> str:
    method = environ.get("REQUEST_METHOD", "GET").upper()
    path = environ.get("PATH_INFO", "/")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    parts = [part for part in path.split("/", 2)[1:] if part != ""]
    if not parts:
        return "ListBuckets" if method == "GET" else "Unknown"
    if len(parts) == 1:
        for subresource, action in BUCKET_SUBRESOURCES.get(method, {}).items():
            if subresource in query:
                return action
        if method == "GET" and query.get("list-type") == ["2"]:
            return "ListObjectsV2"
        return BUCKET_ACTIONS.get(method, "Unknown")
    for subresource, action in OBJECT_SUBRESOURCES.get(method, {}).items():
        if subresource in query:
            return action
    if method == "PUT" and environ.get("HTTP_X_AMZ_COPY_SOURCE"):
        return "CopyObject"
    return OBJECT_ACTIONS.get(method, "Unknown")
