import json
import urllib.error
import urllib.request

import pytest


def test_reset_forgets_resources_calls_faults_and_config(aws, ec2):
    ec2.create_key_pair(KeyName="builder")
    aws.control.set_faults([{"action": "ec2:CopyImage", "kind": "throttle", "rate": 1}])
    defaults = aws.control.config()
    aws.control.configure(pending_seconds=5)
    aws.control.reset()
    assert aws.control.calls() == []
    assert aws.control.config() == defaults
    assert defaults["pending_seconds"] == 0.0
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    faults = json.load(urllib.request.urlopen(f"{aws.endpoint_url}/_bakery/faults"))
    assert faults["rules"] == []


def test_configure_returns_and_keeps_settings(aws):
    assert aws.control.configure(pending_seconds=2)["pending_seconds"] == 2.0
    assert aws.control.config()["pending_seconds"] == 2.0


def test_unknown_setting_is_refused(aws):
    with pytest.raises(urllib.error.HTTPError) as error:
        aws.control.configure(pending_minutes=2)
    assert error.value.code == 400
    assert "pending_minutes" in error.value.read().decode()


def test_unknown_endpoint_is_404(aws):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{aws.endpoint_url}/_bakery/nothing")
    assert error.value.code == 404


def test_moto_api_is_served_and_not_counted(aws):
    urllib.request.urlopen(urllib.request.Request(f"{aws.endpoint_url}/moto-api/reset", method="POST"))
    assert aws.control.calls() == []
