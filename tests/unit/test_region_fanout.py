import threading

import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError, BakeryError, InvalidInputError, RegionsPartlyFailedError
from ansible_collections.bakery.ami.plugins.module_utils._aws.region_fanout import fan_out


def test_every_region_gets_a_result():
    outcome = fan_out(["us-east-1", "eu-west-1"], lambda region: region.upper())
    assert outcome.results == {"us-east-1": "US-EAST-1", "eu-west-1": "EU-WEST-1"}
    assert not outcome.failed


def test_a_failing_region_is_reported_and_the_others_complete():
    def work(region):
        if region == "eu-west-1":
            raise AwsCallError("CopyImage", "InvalidRegion", "nope", region)
        return region

    outcome = fan_out(["us-east-1", "eu-west-1", "ap-south-1"], work)
    assert set(outcome.results) == {"us-east-1", "ap-south-1"}
    assert "InvalidRegion" in outcome.error_messages()["eu-west-1"]


def test_regions_run_concurrently():
    # Every region waits until all three are running at once; the timeout only turns a sequential fan_out's hang into
    # a failure, so it is far beyond any machine's thread start-up.
    barrier = threading.Barrier(3, timeout=60)
    outcome = fan_out(["a", "b", "c"], lambda key: barrier.wait() is not None)
    assert len(outcome.results) == 3


def test_max_concurrency_limits_parallel_work():
    running = []
    peak = []
    lock = threading.Lock()

    def work(key):
        with lock:
            running.append(key)
            peak.append(len(running))
        threading.Event().wait(0.02)
        with lock:
            running.remove(key)
        return key

    fan_out(list("abcdefgh"), work, max_concurrency=2)
    assert max(peak) <= 2


def test_duplicate_keys_run_once():
    calls = []
    fan_out(["a", "a", "b"], calls.append)
    assert sorted(calls) == ["a", "b"]


def test_planning_failures_in_several_regions_become_one_refusal_naming_each():
    class Refused(BakeryError):
        pass

    def plan(region):
        if region != "us-east-1":
            raise BakeryError("no image in %s" % region)
        return region

    with pytest.raises(Refused) as caught:
        fan_out(["us-east-1", "eu-west-1", "ap-southeast-2"], plan).results_or_refusal(Refused)

    assert str(caught.value) == "nothing was changed: ap-southeast-2: no image in ap-southeast-2; eu-west-1: no image in eu-west-1"


def test_bad_input_in_planning_is_raised_as_it_is():
    def plan(region):
        if region == "eu-west-1":
            raise InvalidInputError("image_ids", "'ami-0123456789abcdef0' does not exist in eu-west-1")
        raise BakeryError("throttled in %s" % region)

    with pytest.raises(InvalidInputError, match="does not exist in eu-west-1"):
        fan_out(["us-east-1", "eu-west-1"], plan).results_or_refusal(BakeryError)


def test_a_partial_failure_names_the_module_the_regions_the_advice_and_keeps_the_result():
    result = {"changed": True, "failed": {"eu-west-2": "CopyImage failed: KMS key not found", "ap-south-1": "throttled"}}
    error = RegionsPartlyFailedError("image_copy", result, "Re-run to complete only the missing ones.")

    assert str(error) == (
        "image_copy failed in 2 region(s): ap-south-1, eu-west-2. Re-run to complete only the missing ones. "
        "ap-south-1: throttled; eu-west-2: CopyImage failed: KMS key not found"
    )
    assert error.result_fields() == result
