"""The botocore floor (plugins/module_utils/_aws/bakery_module.py, BOTOCORE_FEATURES): every module refuses to start on
a botocore without the API features the collection sends, naming the version it needs, before any AWS call; and the
floor is the one requirements.txt, the doc fragment and execution-environment.yml state."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import botocore
import pytest
import yaml

from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import (
    BOTOCORE_FEATURES,
    MINIMUM_BOTOCORE,
    botocore_too_old,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS_ROOT = REPO_ROOT / ".collections"


def test_the_floor_is_the_newest_feature_release():
    assert MINIMUM_BOTOCORE == "1.40.18"
    assert ("1.40.18", "DescribeImageReferences") in BOTOCORE_FEATURES


def test_a_botocore_at_the_floor_or_newer_passes():
    assert botocore_too_old("1.40.18") is None
    assert botocore_too_old("1.44.8") is None
    assert botocore_too_old("2.0.0") is None


def test_an_older_botocore_is_refused_naming_the_version_needed_and_what_it_lacks():
    message = botocore_too_old("1.34.0")
    assert message.startswith("bakery.ami needs botocore >= 1.40.18 (and boto3 >= 1.40.18); this Python has botocore 1.34.0")
    assert "CopyImage and RegisterImage TagSpecifications" in message
    assert "DeregisterImage DeleteAssociatedSnapshots" in message
    assert "CopyImage CopyImageTags" not in message


def test_one_release_below_the_floor_lacks_only_the_newest_feature():
    assert "lacks DescribeImageReferences." in botocore_too_old("1.40.17")
    assert "lacks DeregisterImage DeleteAssociatedSnapshots; DescribeImageReferences." in botocore_too_old("1.38.24")


def _run_module_with_botocore(version, module, args, endpoint):
    """Run ``module`` as Ansible would (its JSON arguments), with ``botocore.__version__`` set to ``version``."""
    code = (
        "import sys, runpy, botocore; botocore.__version__ = %r; "
        "runpy.run_module('ansible_collections.bakery.ami.plugins.modules.%s', run_name='__main__')" % (version, module)
    )
    env = dict(os.environ, PYTHONPATH=str(COLLECTIONS_ROOT), AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing",
               AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="us-east-1")
    completed = subprocess.run([sys.executable, "-c", code, json.dumps({"ANSIBLE_MODULE_ARGS": args})],
                               capture_output=True, text=True, env=env, timeout=120)
    return json.loads(completed.stdout[completed.stdout.find("{"):])


@pytest.mark.parametrize("module, args", [
    ("image_info", {"owners": ["self"]}),
    ("image_copy", {"source_image_id": "ami-0123456789abcdef0", "regions": ["eu-west-1"]}),
])
def test_a_module_on_an_older_botocore_fails_at_start_naming_the_version_and_calls_nothing(aws, module, args):
    aws.control.clear_calls()

    result = _run_module_with_botocore("1.34.0", module, args, aws.endpoint_url)

    assert result.get("failed") is True
    assert result["msg"].startswith("bakery.ami needs botocore >= 1.40.18"), result["msg"]
    assert result["botocore_version"] == "1.34.0"
    assert aws.control.calls() == []


def test_the_same_module_on_this_botocore_runs(aws):
    result = _run_module_with_botocore(botocore.__version__, "image_info", {"owners": ["self"]}, aws.endpoint_url)
    assert not result.get("failed"), result


def test_requirements_doc_fragment_and_execution_environment_state_the_floor():
    requirements = (REPO_ROOT / "requirements.txt").read_text()
    assert re.findall(r"^(boto3|botocore)>=(\S+)$", requirements, re.MULTILINE) == [("boto3", MINIMUM_BOTOCORE), ("botocore", MINIMUM_BOTOCORE)]
    fragment = (REPO_ROOT / "plugins" / "doc_fragments" / "aws.py").read_text()
    assert "- boto3 >= %s" % MINIMUM_BOTOCORE in fragment and "- botocore >= %s" % MINIMUM_BOTOCORE in fragment
    environment = yaml.safe_load((REPO_ROOT / "execution-environment.yml").read_text())
    assert sorted(environment["dependencies"]["python"]) == ["boto3>=%s" % MINIMUM_BOTOCORE, "botocore>=%s" % MINIMUM_BOTOCORE]
