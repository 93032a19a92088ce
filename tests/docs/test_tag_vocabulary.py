"""One vocabulary of bakery:* tags: plugins/module_utils/_ami/tag_vocabulary.py, the table in the architecture guide,
and every bakery:* string in the project agree."""

from __future__ import annotations

import re
import subprocess

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import VOCABULARY
from tests.docs.aws_calls import REPO_ROOT

GUIDE = REPO_ROOT / "docs" / "docsite" / "rst" / "guide_architecture.rst"
LAYERS_GUIDE = REPO_ROOT / "docs" / "docsite" / "rst" / "guide_layers.rst"
LINEAGE_TASKS = REPO_ROOT / "roles" / "bake" / "tasks" / "lineage_tags.yml"
TAG = re.compile(r"bakery:[a-z][a-z0-9-]*")
# A tag key that ends in a value of its own (bakery:ssm-automation:<request id>) is named by its prefix.
KNOWN_NAMES = frozenset(TAG.match(tag).group(0) for tag in VOCABULARY)


def project_files():
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in listed:
        path = REPO_ROOT / name
        if path.is_file() and path.suffix not in (".png", ".gz", ".pyc"):
            yield path


def unknown_tags_in(text):
    return sorted(set(TAG.findall(text)) - KNOWN_NAMES)


def test_the_architecture_guide_tables_exactly_the_vocabulary():
    rows = re.findall(r"^   \* - ``(bakery:[^`]+)``$", GUIDE.read_text(), flags=re.MULTILINE)
    assert sorted(rows) == sorted(VOCABULARY)


def test_the_layers_guide_names_only_tags_of_the_vocabulary_and_every_lineage_tag():
    text = LAYERS_GUIDE.read_text()
    assert unknown_tags_in(text) == []
    image_tags = sorted(tag for tag, (carrier, _) in VOCABULARY.items() if carrier.startswith("image") and tag != "bakery:source-image")
    assert [tag for tag in image_tags if "``%s``" % tag not in text] == []


def test_the_bake_role_writes_the_lineage_tags_in_one_place():
    written = set(TAG.findall(LINEAGE_TASKS.read_text()))
    lineage = {tag for tag, (carrier, _) in VOCABULARY.items() if carrier.startswith("image") and tag not in ("bakery:source-image", "bakery:patched-at", "bakery:patch-of")}
    assert written == lineage
    others = [path for path in (REPO_ROOT / "roles" / "bake" / "tasks").glob("*.yml") if path != LINEAGE_TASKS]
    assert [path.name for path in others if "'bakery:parent-image'" in path.read_text()] == []


def test_no_file_in_the_project_uses_a_bakery_tag_outside_the_vocabulary():
    unknown = {}
    for path in project_files():
        try:
            found = unknown_tags_in(path.read_text())
        except UnicodeDecodeError:
            continue
        if found:
            unknown[str(path.relative_to(REPO_ROOT))] = found
    assert unknown == {}


def test_an_unknown_tag_is_caught():
    misspelt = "bakery:" + "parent-img"  # built, so this file itself does not hold an unknown tag
    assert unknown_tags_in("tags: {'bakery:layer': x, '%s': y, bakery:ssm-automation:1234: z}" % misspelt) == [misspelt]
