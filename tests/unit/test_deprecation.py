from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.bakery.ami.plugins.module_utils._ami.deprecation import DeprecationSchedule, format_aws_time
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError

CREATED = "2026-01-01T10:20:30.000Z"


def test_an_age_counts_from_the_image_creation_so_reruns_agree():
    schedule = DeprecationSchedule.parse("deprecate_at", "90d")
    assert format_aws_time(schedule.time_for(CREATED)) == "2026-04-01T10:20:00Z"


def test_an_absolute_time_is_kept_to_the_minute_in_utc():
    schedule = DeprecationSchedule.parse("deprecate_at", "2027-01-31T12:34:56+02:00")
    assert format_aws_time(schedule.time_for(CREATED)) == "2027-01-31T10:34:00Z"


def test_a_date_without_zone_is_utc():
    schedule = DeprecationSchedule.parse("deprecate_at", "2027-01-31")
    assert schedule.time_for(CREATED) == datetime(2027, 1, 31, tzinfo=timezone.utc)


def test_never_cancels_deprecation():
    assert DeprecationSchedule.parse("deprecate_at", "never").time_for(CREATED) is None


def test_an_age_for_a_new_image_counts_from_now():
    schedule = DeprecationSchedule.parse("deprecate_at", "2h")
    # "now" is some moment of the call: bracketed by the clock read just before and just after it, however slow.
    earliest = (datetime.now(timezone.utc) + timedelta(hours=2)).replace(second=0, microsecond=0)
    deprecation_time = schedule.time_for(None)
    latest = (datetime.now(timezone.utc) + timedelta(hours=2)).replace(second=0, microsecond=0)
    assert earliest <= deprecation_time <= latest


def test_unset_means_unmanaged():
    assert DeprecationSchedule.parse("deprecate_at", None) is None


@pytest.mark.parametrize("value", ["soon", "90 days", "2027-13-01", "-5d"])
def test_unreadable_values_are_refused_naming_the_option(value):
    with pytest.raises(InvalidInputError, match="^deprecate_at "):
        DeprecationSchedule.parse("deprecate_at", value)
