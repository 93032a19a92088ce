"""Helpers for tests of the image module's core against the emulator."""

from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import RegionalApi
from ansible_collections.bakery.ami.plugins.module_utils._image.request import ImageRequest
from tests.unit.module_params import module_params

FAST_BACKOFF = Backoff(initial_delay=0.05, max_delay=0.2)
DEBIAN_12_NAME = "debian-12-amd64-20250510-2108"


def launch_builder(ec2):
    base = ec2.describe_images(Owners=["136693071363"], Filters=[{"Name": "name", "Values": [DEBIAN_12_NAME]}])["Images"][0]
    return ec2.run_instances(ImageId=base["ImageId"], MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]


def request(**params):
    params.setdefault("region", "us-east-1")
    params.setdefault("wait_timeout", 60)
    return ImageRequest.from_params(module_params("image", **params))


def regional_api(ec2):
    return RegionalApi(ec2, ec2.meta.region_name)
