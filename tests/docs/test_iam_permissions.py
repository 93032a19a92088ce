"""docs/docsite/rst/guide_iam_permissions.rst lists, per module, every AWS action the module's code can call."""

from __future__ import annotations

import re

import pytest

from tests.docs.aws_calls import REPO_ROOT, module_actions, modules

GUIDE = REPO_ROOT / "docs" / "docsite" / "rst" / "guide_iam_permissions.rst"
# Actions AWS evaluates on the caller's behalf although the code names no such operation: tags given at creation
# (TagSpecifications) need ec2:CreateTags; DeleteAssociatedSnapshots deletes snapshots as the caller; encrypting with a
# customer managed key uses KMS as the caller; an instance profile or Automation role is passed (iam:PassRole);
# IAM Tags given to CreateRole / CreateInstanceProfile need iam:TagRole / iam:TagInstanceProfile;
# a launch template version is checked against ec2:RunInstances by Auto Scaling.
IMPLIED_ACTIONS = frozenset(
    (
        "ec2:CreateTags",
        "ec2:DeleteSnapshot",
        "ec2:RunInstances",
        "iam:PassRole",
        "iam:TagInstanceProfile",
        "iam:TagRole",
        "kms:CreateGrant",
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:ReEncrypt*",
    )
)


def _sections():
    """module name -> the text of its section (a title line underlined with dashes)."""
    text = GUIDE.read_text()
    parts = re.split(r"^([a-z_]+)\n-+\n", text, flags=re.MULTILINE)
    return {parts[index]: parts[index + 1] for index in range(1, len(parts) - 1, 2)}


@pytest.mark.parametrize("module", modules())
def test_guide_lists_every_action_the_module_calls(module):
    sections = _sections()
    assert module in sections, "%s has no section in %s" % (module, GUIDE.name)
    listed = set(re.findall(r'"([a-z0-9-]+:[A-Za-z*]+)"', sections[module]))
    missing = sorted(module_actions(module) - listed)
    assert missing == [], "%s calls %s, which %s does not list for it" % (module, missing, GUIDE.name)


@pytest.mark.parametrize("module", modules())
def test_guide_lists_nothing_the_module_does_not_need(module):
    listed = set(re.findall(r'"([a-z0-9-]+:[A-Za-z*]+)"', _sections()[module]))
    unneeded = sorted(listed - module_actions(module) - IMPLIED_ACTIONS)
    assert unneeded == [], "%s lists %s for %s, which its code never calls" % (GUIDE.name, unneeded, module)
