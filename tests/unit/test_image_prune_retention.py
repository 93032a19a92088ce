"""Retention and input checks of image_prune, without AWS."""

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.request import PruneRequest
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.retention import apply_retention
from tests.unit.module_params import module_params

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def image(number, days_old):
    created = (NOW - timedelta(days=days_old)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return {"ImageId": "ami-%017x" % number, "CreationDate": created, "State": "available"}


def ids(images):
    return [entry["ImageId"] if isinstance(entry, dict) else entry[0]["ImageId"] for entry in images]


def test_the_newest_keep_images_are_kept_whatever_their_age():
    family = [image(1, 300), image(2, 200), image(3, 100)]
    retention = apply_retention(family, keep=2, older_than_days=0, now=NOW)
    assert ids(retention.kept) == [image(3, 100)["ImageId"], image(2, 200)["ImageId"]]
    assert ids(retention.expired) == [image(1, 300)["ImageId"]]


def test_images_younger_than_older_than_days_are_kept_beyond_keep():
    family = [image(1, 40), image(2, 10), image(3, 5)]
    retention = apply_retention(family, keep=1, older_than_days=30, now=NOW)
    assert ids(retention.expired) == [image(1, 40)["ImageId"]]
    assert retention.kept[1][1] == "younger than 30 days"


def test_keep_zero_and_no_age_expires_the_whole_family():
    retention = apply_retention([image(1, 1), image(2, 2)], keep=0, older_than_days=0, now=NOW)
    assert retention.kept == [] and len(retention.expired) == 2


def params(**overrides):
    values = {"name": "web-server-000-", "regions": ["us-east-1"], "keep": 3, "older_than_days": 0, "action": "deprecate"}
    values.update(overrides)
    return module_params("image_prune", **values)


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"name": None, "tags": None}, "name"),
        ({"regions": ["us-east-1", "moon-1"]}, "regions[1]"),
        ({"keep": -1}, "keep"),
        ({"older_than_days": -5}, "older_than_days"),
        ({"launched_within_days": -1}, "launched_within_days"),
        ({"action": "delete"}, "action"),
        ({"tags": {"k" * 129: "v"}}, "tags"),
    ],
)
def test_bad_input_is_refused_naming_the_option(overrides, option):
    with pytest.raises(InvalidInputError) as raised:
        PruneRequest.from_params(params(**overrides))
    assert raised.value.option == option


def test_a_name_prefix_becomes_a_name_filter_with_a_wildcard():
    request = PruneRequest.from_params(params(tags={"bakery:layer": "web-server-000"}))
    assert request.family_filters() == {"name": "web-server-000-*", "tag:bakery:layer": "web-server-000"}
