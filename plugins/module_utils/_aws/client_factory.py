# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""boto3 clients built from the common connection options (doc fragment ``bakery.ami.aws``)."""

from __future__ import annotations

import threading

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import RegionalApi
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import validate_region

try:
    import boto3
    import botocore.session
    from botocore.config import Config

    HAS_BOTO3 = True
except ImportError:
    HAS_BOTO3 = False

COLLECTION_VERSION = "0.1.0"
USER_AGENT_EXTRA = "bakery.ami/%s" % COLLECTION_VERSION
# botocore's standard mode retries throttling, 5xx and dropped connections with jittered
# exponential backoff; AMI pipelines run unattended, so allow more attempts than its default 3.
DEFAULT_RETRIES = {"mode": "standard", "max_attempts": 12}
# Fan-out runs many calls at once against one regional endpoint.
DEFAULT_MAX_POOL_CONNECTIONS = 32

CONNECTION_OPTION_NAMES = (
    "region",
    "profile",
    "access_key",
    "secret_key",
    "session_token",
    "endpoint_url",
    "validate_certs",
    "aws_ca_bundle",
    "aws_config",
)


class ClientFactory:
    """Creates (and caches) one client per service and region from one session. Thread-safe."""

    def __init__(
        self,
        region=None,
        profile=None,
        access_key=None,
        secret_key=None,
        session_token=None,
        endpoint_url=None,
        validate_certs=True,
        aws_ca_bundle=None,
        aws_config=None,
    ):
        self._session = boto3.session.Session(
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            aws_session_token=session_token,
            profile_name=profile,
            region_name=region,
        )
        self.region = region or self._session.region_name
        if self.region:
            validate_region("region", self.region)
        self._endpoint_url = endpoint_url
        if not validate_certs:
            self._verify = False
        else:
            self._verify = aws_ca_bundle or None
        self._config = build_botocore_config(aws_config)
        self._clients = {}
        # boto3 sessions are not thread-safe for client creation; clients themselves are.
        self._lock = threading.Lock()

    @classmethod
    def from_params(cls, params):
        return cls(**dict((name, params.get(name)) for name in CONNECTION_OPTION_NAMES if name in params))

    def client(self, service, region=None):
        region = region or self.region
        if not region:
            raise InvalidInputError(
                "region", "is not set: give the region option or set AWS_REGION / AWS_DEFAULT_REGION"
            )
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._session.client(
                    service,
                    region_name=region,
                    endpoint_url=self._endpoint_url,
                    verify=self._verify,
                    config=self._config,
                )
            return self._clients[key]

    def api(self, service, region=None):
        """A ``RegionalApi`` for ``service`` in ``region`` (default: the configured region)."""
        region = region or self.region
        return RegionalApi(self.client(service, region), region)


def build_botocore_config(aws_config=None):
    """botocore ``Config``: our retry mode and user agent, overridden by the user's ``aws_config``."""
    settings = {
        "retries": dict(DEFAULT_RETRIES),
        "user_agent_extra": USER_AGENT_EXTRA,
        "max_pool_connections": DEFAULT_MAX_POOL_CONNECTIONS,
    }
    for key, value in (aws_config or {}).items():
        if key == "retries" and isinstance(value, dict):
            settings["retries"].update(value)
        elif key == "user_agent_extra":
            settings[key] = "%s %s" % (USER_AGENT_EXTRA, value)
        else:
            settings[key] = value
    try:
        return Config(**settings)
    except TypeError as error:
        raise InvalidInputError("aws_config", "has an option botocore's Config does not know: %s" % error)


def botocore_version():
    return botocore.session.__version__ if HAS_BOTO3 else None
