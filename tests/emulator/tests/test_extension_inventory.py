"""The emulator's self-checking inventory: every extension is listed in ORDER, documented in the README's extension
table, names the AWS behaviour it follows, and has a test of its own."""

import importlib
import pkgutil
import re
from pathlib import Path

from tests.emulator import extensions
from tests.emulator.extensions import ORDER, TESTED_IN, install_all

EMULATOR_DIR = Path(__file__).resolve().parents[1]
TESTS_DIR = EMULATOR_DIR / "tests"
README = EMULATOR_DIR / "README.md"


def extension_files(package_dir=None):
    path = [str(package_dir)] if package_dir else extensions.__path__
    return {module.name for module in pkgutil.iter_modules(path) if not module.name.startswith("_")}


def readme_extension_rows(text):
    section = text.split("## Extensions", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.MULTILINE)


def unlisted(files, order):
    return sorted(set(files) - set(order))


def untested(order, tests_dir=TESTS_DIR, tested_in=TESTED_IN):
    return [name for name in order if not (tests_dir / tested_in.get(name, "test_%s.py" % name)).is_file()]


def test_every_extension_file_is_listed_in_order():
    assert unlisted(extension_files(), ORDER) == [], "add these modules to ORDER in extensions/__init__.py"


def test_order_names_only_existing_files_each_once():
    assert sorted(set(ORDER) - extension_files()) == []
    assert len(ORDER) == len(set(ORDER))


def test_extensions_are_installed_in_order(emulator):
    assert install_all() == list(ORDER)


def test_every_listed_extension_has_a_readme_row():
    rows = readme_extension_rows(README.read_text())
    assert [name for name in ORDER if name not in rows] == []
    assert sorted(set(rows) - set(ORDER)) == [], "README rows for modules that are not extensions"


def test_every_listed_extension_has_a_test_of_its_own():
    assert untested(ORDER) == []


def test_every_extension_names_the_aws_behaviour_it_follows():
    for name in ORDER:
        module = importlib.import_module(f"tests.emulator.extensions.{name}")
        assert "AWS" in (module.__doc__ or ""), f"extensions/{name}.py needs a docstring naming the AWS behaviour"


def test_a_file_missing_from_order_a_missing_readme_row_and_a_missing_test_are_caught(tmp_path):
    (tmp_path / "new_gap.py").write_text('"""AWS says so."""\n')
    assert unlisted(extension_files(tmp_path), ORDER) == ["new_gap"]
    assert "new_gap" not in readme_extension_rows(README.read_text())
    assert untested(["new_gap"]) == ["new_gap"]
