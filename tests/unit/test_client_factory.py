import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.client_factory import ClientFactory, build_botocore_config
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError


def test_default_config_uses_standard_retries_and_names_the_collection():
    config = build_botocore_config()
    assert config.retries == {"mode": "standard", "max_attempts": 12}
    assert "bakery.ami/" in config.user_agent_extra


def test_user_config_overrides_retries_and_keeps_the_user_agent():
    config = build_botocore_config({"retries": {"mode": "adaptive"}, "user_agent_extra": "estate/1", "connect_timeout": 5})
    assert config.retries == {"mode": "adaptive", "max_attempts": 12}
    assert config.user_agent_extra.startswith("bakery.ami/") and config.user_agent_extra.endswith("estate/1")
    assert config.connect_timeout == 5


def test_unknown_config_keys_are_refused_naming_aws_config():
    with pytest.raises(InvalidInputError, match="^aws_config "):
        build_botocore_config({"not_a_botocore_option": 1})


def test_clients_are_cached_per_service_and_region():
    factory = ClientFactory(region="us-east-1", access_key="a", secret_key="b", endpoint_url="http://127.0.0.1:1")
    assert factory.client("ec2") is factory.client("ec2", "us-east-1")
    assert factory.client("ec2", "eu-west-1") is not factory.client("ec2")
    assert factory.client("ec2", "eu-west-1").meta.region_name == "eu-west-1"


def test_endpoint_and_certificate_options_reach_the_client():
    factory = ClientFactory(region="us-east-1", access_key="a", secret_key="b", endpoint_url="https://emulator.test:4566", validate_certs=False)
    client = factory.client("ec2")
    assert client.meta.endpoint_url == "https://emulator.test:4566"
    assert client._endpoint.http_session._verify is False


def test_a_missing_region_is_a_clear_input_error(monkeypatch):
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    factory = ClientFactory(access_key="a", secret_key="b")
    with pytest.raises(InvalidInputError, match="^region is not set"):
        factory.client("ec2")
