"""Podman-backed instances reach the emulator at the controller's address (extensions/podman_instance_endpoint.py)."""

import pytest

from tests.emulator.extensions.podman_instance_endpoint import relay_of
from tests.emulator.extensions.podman_instances import runtime
from tests.emulator.podman_runtime import PodmanError
from tests.emulator.tests.managed_node_arrangements import launch, needs_podman

pytestmark = needs_podman
FETCH = "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=20).read().decode())"


@pytest.fixture
def podman_aws(aws):
    aws.control.configure(podman_instances=True)
    yield aws
    aws.control.reset()


def presigned_object(aws, body="made on the controller"):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="transfer-bucket")
    s3.put_object(Bucket="transfer-bucket", Key="i-0/file", Body=body.encode())
    return s3.generate_presigned_url("get_object", Params={"Bucket": "transfer-bucket", "Key": "i-0/file"}, ExpiresIn=300)


def test_a_presigned_url_made_on_the_controller_works_unchanged_inside_the_instance(podman_aws):
    url = presigned_object(podman_aws)
    instance_id = launch(podman_aws.client("ec2"))

    assert runtime.execute(instance_id, "python3", "-c", FETCH, url) == "made on the controller"


def test_an_upload_from_inside_the_instance_reaches_the_emulators_s3(podman_aws):
    s3 = podman_aws.client("s3")
    s3.create_bucket(Bucket="transfer-bucket")
    url = s3.generate_presigned_url("put_object", Params={"Bucket": "transfer-bucket", "Key": "i-0/up"}, ExpiresIn=300, HttpMethod="PUT")
    instance_id = launch(podman_aws.client("ec2"))
    # As curl --upload-file sends it (no form content type, which moto would read as a form and store nothing of).
    upload = ("import sys, urllib.request; request = urllib.request.Request(sys.argv[1], data=b'from the builder', method='PUT', "
              "headers={'Content-Type': 'application/octet-stream'}); print(urllib.request.urlopen(request, timeout=20).status)")

    assert runtime.execute(instance_id, "python3", "-c", upload, url) == "200"
    assert s3.get_object(Bucket="transfer-bucket", Key="i-0/up")["Body"].read() == b"from the builder"


def test_the_relay_listens_on_the_instances_loopback_only(podman_aws):
    instance_id = launch(podman_aws.client("ec2"))
    port = relay_of(instance_id).address[1]
    # The container's own address on its network (the interface of its default route).
    address = runtime.execute(instance_id, "python3", "-c", "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                              "s.connect(('192.0.2.1', 9)); print(s.getsockname()[0])")
    refused = "import socket, sys; s = socket.socket(); s.settimeout(5); print(s.connect_ex((sys.argv[1], int(sys.argv[2]))) != 0)"

    assert runtime.execute(instance_id, "python3", "-c", refused, address, str(port)) == "True"


def test_a_stopped_and_started_instance_reaches_the_emulator_again(podman_aws):
    url = presigned_object(podman_aws, body="after a restart")
    ec2 = podman_aws.client("ec2")
    instance_id = launch(ec2)
    ec2.stop_instances(InstanceIds=[instance_id])
    assert relay_of(instance_id) is None

    ec2.start_instances(InstanceIds=[instance_id])

    assert runtime.execute(instance_id, "python3", "-c", FETCH, url) == "after a restart"


def test_a_terminated_instance_has_no_relay(podman_aws):
    ec2 = podman_aws.client("ec2")
    instance_id = launch(ec2)
    ec2.terminate_instances(InstanceIds=[instance_id])
    assert relay_of(instance_id) is None
    with pytest.raises(PodmanError):
        runtime.execute(instance_id, "true")
