"""S3's REST calls are recorded under AWS's operation names, reads as reads (tests/emulator/s3_rest_actions.py)."""

import urllib.request


def test_s3_calls_are_named_as_aws_names_them_and_only_writes_count_as_mutating(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="names-bucket")
    s3.put_bucket_tagging(Bucket="names-bucket", Tagging={"TagSet": [{"Key": "a", "Value": "b"}]})
    s3.put_object(Bucket="names-bucket", Key="k", Body=b"x")
    aws.control.clear_calls()

    s3.head_bucket(Bucket="names-bucket")
    s3.get_bucket_tagging(Bucket="names-bucket")
    s3.list_objects_v2(Bucket="names-bucket")
    s3.get_object(Bucket="names-bucket", Key="k")
    s3.list_buckets()

    assert [call["action"] for call in aws.control.calls()] == ["HeadBucket", "GetBucketTagging", "ListObjectsV2", "GetObject", "ListBuckets"]
    assert aws.control.mutating_calls() == []
    s3.delete_object(Bucket="names-bucket", Key="k")
    assert [(call["action"], call["mutating"]) for call in aws.control.calls()][-1] == ("DeleteObject", True)


def test_a_presigned_url_is_recorded_as_the_call_it_signs(aws):
    # Signature version 4, as amazon.aws.aws_ssm signs its URLs: the credential scope names the region.
    s3 = aws.client("s3", signature_version="s3v4")
    s3.create_bucket(Bucket="names-bucket")
    s3.put_object(Bucket="names-bucket", Key="k", Body=b"x")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "names-bucket", "Key": "k"}, ExpiresIn=60)
    aws.control.clear_calls()

    urllib.request.urlopen(url).read()

    call = aws.control.calls()[-1]
    assert (call["service"], call["region"], call["action"], call["mutating"]) == ("s3", "us-east-1", "GetObject", False)
