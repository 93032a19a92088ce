"""CopyWaiter: copies pending in many regions are waited for with one backoff (the lead's) and one look at each other
region once the lead is done; a slower region keeps being followed; failures and timeouts are per region."""

import threading

import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff, WaitTimeoutError
from ansible_collections.bakery.ami.plugins.module_utils._image_copy.copy_waiter import CopyWaiter
from tests.unit.fake_time import FakeTime


class FakeRegionApi:
    """DescribeImages of one region: the copy is pending until ``ready_at`` (clock seconds), then ``final_state``."""

    def __init__(self, region, clock, ready_at, final_state, calls):
        self.region = region
        self.clock = clock
        self.ready_at = ready_at
        self.final_state = final_state
        self.calls = calls

    def call(self, operation, **params):
        assert operation == "describe_images"
        self.calls.append((self.region, self.clock()))
        state = self.final_state if self.clock() >= self.ready_at else "pending"
        return {"Images": [{"ImageId": params["ImageIds"][0], "State": state, "StateReason": {"Message": "copy failed"}}]}


def arrange(ready_at, final_states=None):
    fake_time, calls, lock = FakeTime(), [], threading.Lock()
    apis = dict(
        (region, FakeRegionApi(region, fake_time.clock, when, (final_states or {}).get(region, "available"), calls)) for region, when in ready_at.items()
    )
    images = dict((region, {"ImageId": "ami-%s" % region.replace("-", ""), "State": "pending"}) for region in ready_at)

    def api_of(region):
        with lock:
            return apis[region]

    return fake_time, calls, api_of, images


REGIONS = ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "us-west-1", "us-west-2", "ap-south-1", "sa-east-1"]


def test_copies_due_together_cost_the_leads_backoff_and_one_look_each_and_are_seen_when_the_lead_is():
    fake_time, calls, api_of, images = arrange(dict((region, 10.0) for region in REGIONS))
    waiter = CopyWaiter(api_of, timeout=600, backoff=Backoff(), clock=fake_time.clock, sleep=fake_time.sleep, max_concurrency=1)

    outcome = waiter.wait(images)

    assert sorted(outcome.results) == sorted(REGIONS) and outcome.errors == {}
    lead_polls = [when for region, when in calls if region == REGIONS[0]]
    # Backoff 1, 1.5, 2.25, 3.4, 5.1 s: looks at 1, 2.5, 4.75, 8.1 (pending) and 13.2 (available).
    assert lead_polls == pytest.approx([1.0, 2.5, 4.75, 8.125, 13.1875])
    assert len(calls) == len(lead_polls) + len(REGIONS) - 1
    assert fake_time.clock() == pytest.approx(13.1875)


def test_a_slower_region_is_followed_with_a_backoff_of_its_own_after_the_others_are_done():
    ready = dict((region, 10.0) for region in REGIONS)
    ready["sa-east-1"] = 40.0
    fake_time, calls, api_of, images = arrange(ready)
    waiter = CopyWaiter(api_of, timeout=600, clock=fake_time.clock, sleep=fake_time.sleep, max_concurrency=1)

    outcome = waiter.wait(images)

    assert sorted(outcome.results) == sorted(REGIONS)
    slow_looks = [when for region, when in calls if region == "sa-east-1"]
    assert slow_looks[0] == pytest.approx(13.1875) and slow_looks[-1] >= 40.0
    # Its own backoff restarts at 1 s after the lead: no region is looked at more often than that.
    assert all(later - earlier >= 1.0 for earlier, later in zip(slow_looks, slow_looks[1:]))
    assert fake_time.clock() < 40.0 + 15.0


def test_available_copies_are_not_looked_at_and_a_failed_copy_fails_its_region_only():
    fake_time, calls, api_of, images = arrange({"eu-west-1": 3.0, "eu-west-2": 3.0, "us-west-2": 0.0}, {"eu-west-2": "failed"})
    images["us-west-2"]["State"] = "available"
    waiter = CopyWaiter(api_of, timeout=600, clock=fake_time.clock, sleep=fake_time.sleep, max_concurrency=1)

    outcome = waiter.wait(images)

    assert sorted(outcome.results) == ["eu-west-1", "us-west-2"]
    assert list(outcome.errors) == ["eu-west-2"] and "copy failed" in str(outcome.errors["eu-west-2"])
    assert "us-west-2" not in [region for region, _when in calls]


def test_copies_still_pending_at_the_timeout_fail_with_a_timeout_naming_each():
    fake_time, calls, api_of, images = arrange({"eu-west-1": 1000.0, "eu-west-2": 1000.0})
    waiter = CopyWaiter(api_of, timeout=30, clock=fake_time.clock, sleep=fake_time.sleep, max_concurrency=1)

    outcome = waiter.wait(images)

    assert outcome.results == {}
    assert sorted(outcome.errors) == ["eu-west-1", "eu-west-2"]
    assert all(isinstance(error, WaitTimeoutError) and isinstance(error, BakeryError) for error in outcome.errors.values())
    assert "ami-euwest2 in eu-west-2" in str(outcome.errors["eu-west-2"])
    assert fake_time.clock() == pytest.approx(30.0)
