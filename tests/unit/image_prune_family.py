"""Arrange image families for image_prune tests on the in-process emulator.

AWS sets an image's CreationDate when it is made and no API changes it; retention needs a history,
so ``backdate`` moves the date on moto's model (the emulator runs in this process).
"""

from datetime import timedelta

from moto.core.utils import utcnow
from moto.ec2.models import ec2_backends

ACCOUNT_ID = "123456789012"
DEBIAN_12_AMD64 = "ami-0de12a0d640000002"


def backdate(region, image_id, days):
    ec2_backends[ACCOUNT_ID][region].amis[image_id].creation_date = utcnow() - timedelta(days=days)


def make_family(ec2, layer, count, first_age_days=None):
    """``count`` images tagged ``bakery:layer=<layer>``, one day apart, ages oldest_age - 0.5, ..., 0.5 days (never on a whole-day boundary).

    Returns their ids oldest first (``first_age_days`` sets the oldest's age; default ``count``).
    """
    region = ec2.meta.region_name
    instance_id = ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    oldest_age = count if first_age_days is None else first_age_days
    image_ids = []
    for index in range(count):
        image_id = ec2.create_image(
            InstanceId=instance_id,
            Name="%s-%03d" % (layer, index),
            TagSpecifications=[{"ResourceType": "image", "Tags": [{"Key": "bakery:layer", "Value": layer}]}],
        )["ImageId"]
        backdate(region, image_id, oldest_age - index - 0.5)
        image_ids.append(image_id)
    ec2.terminate_instances(InstanceIds=[instance_id])
    return image_ids


def own_images(ec2, layer):
    """Every image of the family AWS holds, deprecated and disabled ones too, by id."""
    images = ec2.describe_images(
        Owners=["self"], Filters=[{"Name": "tag:bakery:layer", "Values": [layer]}], IncludeDeprecated=True, IncludeDisabled=True
    )["Images"]
    return dict((image["ImageId"], image) for image in images)


def launched_days_ago(region, image_id, days):
    """Record a launch from ``image_id`` ``days`` ago, as the emulator's lastLaunchedTime sees one (a real launch is only
    reported a day later: extensions/image_last_launched_time.py)."""
    from tests.emulator.extensions._accounts import find_image
    from tests.emulator.extensions.image_last_launched_time import record_launch

    record_launch(find_image(ACCOUNT_ID, region, image_id), utcnow() - timedelta(days=days))
