"""docs/docsite/rst/guide_iam_permissions.rst lists, per module, every AWS action the module's code can call."""

from __future__ import annotations

import re

import pytest

from tests.docs.aws_calls import REPO_ROOT, module_actions, modules

GUIDE = REPO_ROOT / "docs" / "docsite" / "rst" / "guide_iam_permissions.rst"


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
