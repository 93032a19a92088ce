"""Every module checks its regions against one source (botocore's EC2 regions) before any AWS call: a region name of
the right shape that AWS does not have fails naming the option, and the emulator sees no call at all."""

from __future__ import annotations

import pytest

UNKNOWN_REGION = "xx-nowhere-1"
IMAGE = "ami-0123456789abcdef0"
ROLE = "arn:aws:iam::123456789012:role/automation"

# module -> (options with the unknown region, the option the error must name)
CASES = {
    "image": ({"region": UNKNOWN_REGION, "name": "web-000", "state": "absent"}, "region"),
    "image_copy": ({"region": "us-east-1", "source_image_id": IMAGE, "regions": ["us-east-2", UNKNOWN_REGION]}, "regions[1].region"),
    "image_share": ({"region": "us-east-1", "image_ids": {UNKNOWN_REGION: IMAGE}, "accounts": ["210987654321"]}, "image_ids key"),
    "image_info": ({"region": "us-east-1", "regions": ["us-east-1", UNKNOWN_REGION]}, "regions[1]"),
    "image_prune": ({"region": "us-east-1", "regions": [UNKNOWN_REGION], "name": "web-"}, "regions[0]"),
    "image_parameter": ({"region": "us-east-1", "name": "/bakery/web/latest", "image_ids": {UNKNOWN_REGION: IMAGE}}, "image_ids key"),
    "asg_rollout": ({"region": "us-east-1", "groups": ["web"], "image_id": {UNKNOWN_REGION: IMAGE}}, "image_id key"),
    "bake_preflight": ({"region": "us-east-1", "image_name": "web-000-20261126T120000", "copy_regions": ["us-east-2", UNKNOWN_REGION]}, "copy_regions[1].region"),
    "builder": ({"region": "us-east-1", "state": "absent", "regions": [UNKNOWN_REGION]}, "regions[0]"),
    "ssm_automation": ({"region": UNKNOWN_REGION, "parameters": {"SourceAmiId": IMAGE, "AutomationAssumeRole": ROLE}}, "region"),
    "marketplace_info": ({"region": "us-east-1", "regions": [UNKNOWN_REGION], "name": "Some Product*"}, "regions[0]"),
}


@pytest.mark.parametrize("module", sorted(CASES))
def test_an_unknown_region_is_refused_naming_the_option_with_no_aws_call(aws, playbook, module):
    options, option = CASES[module]
    aws.control.clear_calls()
    run = playbook([{"name": "unknown region", "bakery.ami.%s" % module: options, "ignore_errors": True}])
    result = run.task("unknown region")
    assert result.failed
    assert result["msg"].startswith("%s %r" % (option, UNKNOWN_REGION)), result["msg"]
    assert aws.control.calls() == []


def test_every_module_is_covered():
    from tests.docs.aws_calls import modules

    assert sorted(CASES) == modules()
