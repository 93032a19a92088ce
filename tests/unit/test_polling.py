import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff, WaitTimeoutError, poll_until


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self):
        return self.now


def test_polling_backs_off_until_done():
    clock = FakeClock()
    answers = iter([(False, "pending")] * 4 + [(True, "image")])
    value = poll_until(lambda: next(answers), "image", 100, Backoff(1, 15, 2), clock.sleep, clock)
    assert value == "image"
    assert clock.sleeps == [1, 2, 4, 8]


def test_delays_are_capped():
    delays = Backoff(1, 5, 3).delays()
    assert [next(delays) for _ in range(4)] == [1, 3, 5, 5]


def test_timeout_names_what_was_awaited_and_its_last_state():
    clock = FakeClock()
    with pytest.raises(WaitTimeoutError, match=r"timed out after 10s waiting for image ami-1 \(last seen: pending\)"):
        poll_until(lambda: (False, "pending"), "image ami-1", 10, Backoff(1, 4, 2), clock.sleep, clock)
    assert sum(clock.sleeps) == pytest.approx(10)
