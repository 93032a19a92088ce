import threading

from ansible_collections.bakery.ami.plugins.module_utils.errors import AwsCallError
from ansible_collections.bakery.ami.plugins.module_utils.region_fanout import fan_out


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
    barrier = threading.Barrier(3, timeout=5)
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
