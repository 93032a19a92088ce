"""A clock for the unit tests of waiting code: it only moves when the code under test sleeps."""


class FakeTime:
    def __init__(self):
        self.now = 0.0

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds
