"""Instance metadata (extensions/instance_metadata.py): podman-backed instances reach IMDSv2 at 169.254.169.254,
inside their own network namespace."""

import json

import boto3
import pytest

from tests.emulator.extensions.podman_instances import DEBIAN12_IMAGE, runtime
from tests.emulator.tests.conftest import DEBIAN_12_AMD64

pytestmark = pytest.mark.skipif(
    not runtime.is_available() or not runtime.image_exists(DEBIAN12_IMAGE),
    reason=f"needs podman and {DEBIAN12_IMAGE} (tests/molecule/setup-host.sh)",
)

# Runs inside the instance: one HTTP request, printed as {"status", "body"} (the image has Python, not curl).
HTTP_CLIENT = r"""
import json, sys, urllib.error, urllib.request
method, url, headers = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
request = urllib.request.Request(url, method=method, headers=headers, data=b"" if method == "PUT" else None)
try:
    with urllib.request.urlopen(request, timeout=10) as answer:
        print(json.dumps({"status": answer.status, "body": answer.read().decode(), "headers": dict(answer.headers)}))
except urllib.error.HTTPError as error:
    print(json.dumps({"status": error.code, "body": error.read().decode(), "headers": dict(error.headers)}))
"""
TRUST_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def request_from(instance_id, method, url, headers=None):
    return json.loads(runtime.execute(instance_id, "python3", "-c", HTTP_CLIENT, method, url, json.dumps(headers or {})))


def token_of(instance_id, ttl="60"):
    answer = request_from(instance_id, "PUT", "http://169.254.169.254/latest/api/token",
                          {"X-aws-ec2-metadata-token-ttl-seconds": ttl})
    assert answer["status"] == 200, answer
    return answer["body"]


def metadata(instance_id, path, token):
    return request_from(instance_id, "GET", f"http://169.254.169.254{path}", {"X-aws-ec2-metadata-token": token})


@pytest.fixture
def podman_aws(aws):
    aws.control.configure(podman_instances=True)
    yield aws
    aws.control.reset()


@pytest.fixture
def instance_profile(podman_aws):
    iam = podman_aws.client("iam")
    iam.create_role(RoleName="bakeryapp-instance", AssumeRolePolicyDocument=TRUST_POLICY)
    iam.create_instance_profile(InstanceProfileName="bakeryapp")
    iam.add_role_to_instance_profile(InstanceProfileName="bakeryapp", RoleName="bakeryapp-instance")
    return "bakeryapp"


def launch(ec2, **options):
    return ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1, **options)["Instances"][0]["InstanceId"]


def test_an_instance_gets_its_instance_profiles_credentials_through_imdsv2(podman_aws, ec2, instance_profile):
    instance_id = launch(ec2, IamInstanceProfile={"Name": instance_profile})
    token = token_of(instance_id)

    role = metadata(instance_id, "/latest/meta-data/iam/security-credentials/", token)
    credentials = json.loads(metadata(instance_id, f"/latest/meta-data/iam/security-credentials/{role['body']}", token)["body"])

    assert role["body"] == "bakeryapp-instance"
    assert credentials["Code"] == "Success" and credentials["Type"] == "AWS-HMAC"
    assert credentials["AccessKeyId"].startswith("ASIA") and credentials["SecretAccessKey"] and credentials["Token"]
    caller = boto3.client("sts", region_name="us-east-1", endpoint_url=podman_aws.endpoint_url,
                          aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
                          aws_session_token=credentials["Token"]).get_caller_identity()
    assert caller["Arn"].endswith(f":assumed-role/bakeryapp-instance/{instance_id}")


def test_the_token_answer_echoes_its_ttl_and_the_instance_reads_its_own_placement(podman_aws, ec2):
    instance_id = launch(ec2)
    answer = request_from(instance_id, "PUT", "http://169.254.169.254/latest/api/token",
                          {"X-aws-ec2-metadata-token-ttl-seconds": "21600"})

    assert answer["headers"]["X-aws-ec2-metadata-token-ttl-seconds"] == "21600"
    assert metadata(instance_id, "/latest/meta-data/placement/region", answer["body"])["body"] == "us-east-1"
    assert metadata(instance_id, "/latest/meta-data/instance-id", answer["body"])["body"] == instance_id
    # botocore's region lookup (InstanceMetadataRegionFetcher) asks for the zone with a trailing slash.
    zone = metadata(instance_id, "/latest/meta-data/placement/availability-zone/", answer["body"])
    assert zone["status"] == 200 and zone["body"].startswith("us-east-1"), zone


def test_a_request_without_a_valid_token_is_refused_with_401_even_when_tokens_are_optional(podman_aws, ec2):
    instance_id = launch(ec2, MetadataOptions={"HttpTokens": "optional"})

    without = request_from(instance_id, "GET", "http://169.254.169.254/latest/meta-data/instance-id")
    forged = metadata(instance_id, "/latest/meta-data/instance-id", "not-a-token")

    assert (without["status"], forged["status"]) == (401, 401)


@pytest.mark.parametrize("ttl", ["0", "21601", "soon", ""])
def test_a_token_ttl_outside_one_second_to_six_hours_is_refused_with_400(podman_aws, ec2, ttl):
    instance_id = launch(ec2)
    answer = request_from(instance_id, "PUT", "http://169.254.169.254/latest/api/token",
                          {"X-aws-ec2-metadata-token-ttl-seconds": ttl} if ttl else {})
    assert answer["status"] == 400


def test_an_instance_without_an_instance_profile_has_no_credentials(podman_aws, ec2):
    instance_id = launch(ec2)
    assert metadata(instance_id, "/latest/meta-data/iam/security-credentials/", token_of(instance_id))["status"] == 404


def test_an_instance_whose_metadata_endpoint_is_disabled_is_refused_with_403(podman_aws, ec2):
    instance_id = launch(ec2, MetadataOptions={"HttpEndpoint": "disabled"})
    answer = request_from(instance_id, "PUT", "http://169.254.169.254/latest/api/token",
                          {"X-aws-ec2-metadata-token-ttl-seconds": "60"})
    assert answer["status"] == 403


def test_a_stopped_and_started_instance_serves_its_metadata_again(podman_aws, ec2):
    instance_id = launch(ec2)
    ec2.stop_instances(InstanceIds=[instance_id])
    ec2.start_instances(InstanceIds=[instance_id])

    assert metadata(instance_id, "/latest/meta-data/instance-id", token_of(instance_id))["body"] == instance_id
