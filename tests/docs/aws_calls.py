"""The AWS API actions each module can call, read from the code: the module file and every module_utils file it
imports (transitively), every string that names a boto3 operation ("describe_images", as given to client.call(),
paginators and waiters) mapped to its IAM action ("ec2:DescribeImages")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import botocore.session

REPO_ROOT = Path(__file__).resolve().parents[2]
PLUGINS = REPO_ROOT / "plugins"
_COLLECTION_PREFIX = "ansible_collections.bakery.ami."
# Services the collection talks to, in the order an ambiguous operation name is resolved.
SERVICES = ("ec2", "autoscaling", "ssm", "kms", "sts", "iam", "s3")
# Actions that need no IAM permission (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
NEEDS_NO_PERMISSION = {"sts:GetCallerIdentity"}
# S3 operations whose IAM action has another name (https://docs.aws.amazon.com/service-authorization/latest/reference/
# list_amazons3.html, and each operation's API reference: "To use this operation, you must have the s3:ListBucket
# permission" for HeadBucket).
IAM_ACTION_OF_OPERATION = {
    "s3:HeadBucket": "s3:ListBucket",
    "s3:ListObjectsV2": "s3:ListBucket",
    "s3:ListBuckets": "s3:ListAllMyBuckets",
    "s3:DeleteObjects": "s3:DeleteObject",
    "s3:ListMultipartUploads": "s3:ListBucketMultipartUploads",
    "s3:PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "s3:PutBucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
    "s3:PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
}


def _operations_by_snake_name():
    session = botocore.session.get_session()
    table = {}
    for service in reversed(SERVICES):
        model = session.get_service_model(service)
        for operation in model.operation_names:
            snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", operation).lower()
            table[snake] = "%s:%s" % (service, operation)
    return table


OPERATIONS = _operations_by_snake_name()


def _source_file(dotted):
    """The file of a collection module such as ``ansible_collections.bakery.ami.plugins.module_utils._aws.tags``."""
    if not dotted.startswith(_COLLECTION_PREFIX):
        return None
    path = REPO_ROOT.joinpath(*dotted[len(_COLLECTION_PREFIX):].split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_collection_files(path):
    """The collection's own Python files ``path`` imports directly."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                source = _source_file("%s.%s" % (node.module, alias.name)) or _source_file(node.module)
                if source is not None:
                    found.add(source)
    return found


def _closure(path):
    seen = set()
    pending = [path]
    while pending:
        for source in imported_collection_files(pending.pop()):
            if source not in seen:
                seen.add(source)
                pending.append(source)
    return [path] + sorted(seen)


def _actions_in(path):
    actions = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in OPERATIONS:
            actions.add(IAM_ACTION_OF_OPERATION.get(OPERATIONS[node.value], OPERATIONS[node.value]))
    return actions


def module_actions(module):
    """IAM actions the module ``module`` (e.g. "image_copy") may call."""
    actions = set()
    for path in _closure(PLUGINS / "modules" / ("%s.py" % module)):
        actions |= _actions_in(path)
    return actions - NEEDS_NO_PERMISSION


def modules():
    return sorted(path.stem for path in (PLUGINS / "modules").glob("*.py") if path.stem != "__init__")
