"""pytest fixtures for tests that talk to the emulator.

Load with `pytest_plugins = ["tests.emulator.pytest_plugin"]`.
  emulator  (session)  one in-thread server per xdist worker, on a free port
  aws       (function) resets the emulator, then gives .endpoint_url, .control,
                       .client(service, region="us-east-1") and .env (for subprocesses)
"""

from __future__ import annotations

import pytest

from .control import EmulatorControl
from .server import Emulator

DEFAULT_REGION = "us-east-1"
DUMMY_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class AwsEndpoint:
    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url
        self.control = EmulatorControl(endpoint_url)

    def client(self, service: str, region: str = DEFAULT_REGION, **config_options):
        """A boto3 client for the emulator; keyword arguments are botocore Config options
        (default: standard retry mode, 10 attempts)."""
        import boto3
        from botocore.config import Config

        config = Config(**{"retries": {"mode": "standard", "max_attempts": 10}, **config_options})
        return boto3.session.Session().client(
            service, region_name=region, endpoint_url=self.endpoint_url, config=config, **DUMMY_CREDENTIALS
        )

    @property
    def env(self) -> dict[str, str]:
        return {
            "AWS_ACCESS_KEY_ID": DUMMY_CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": DUMMY_CREDENTIALS["aws_secret_access_key"],
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_DEFAULT_REGION": DEFAULT_REGION,
            "AWS_REGION": DEFAULT_REGION,
        }


@pytest.fixture(scope="session")
def emulator():
    server = Emulator().start()
    yield server
    server.stop()


@pytest.fixture
def aws(emulator):
    endpoint = AwsEndpoint(emulator.endpoint_url)
    endpoint.control.reset()
    return endpoint
