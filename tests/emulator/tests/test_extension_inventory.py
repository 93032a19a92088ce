"""The emulator's self-checking inventory: every extension is listed in ORDER, documented in the
README's extension table, cites the AWS reference it follows, names every error code it answers,
and has a test of its own."""

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

from tests.emulator import extensions
from tests.emulator.extensions import ORDER, ORDER_CONSTRAINTS, TESTED_IN, install_all

EMULATOR_DIR = Path(__file__).resolve().parents[1]
TESTS_DIR = EMULATOR_DIR / "tests"
README = EMULATOR_DIR / "README.md"
EXTENSION_TABLE_HEADING = "## Extensions"
# A quoted sentence from the reference: at least four words between straight or typographic double quotes.
QUOTED_SENTENCE = re.compile(r"[\"“][^\"”]*?\b\w+\b(?:\W+\b\w+\b){3,}[^\"”]*[\"”]")
LINK = re.compile(r"https://\S+")
# Docstrings another engineer owns while they rework the module (not edited here).
def extension_files() -> set[str]:
    return {module.name for module in pkgutil.iter_modules(extensions.__path__) if not module.name.startswith("_")}


def readme_extension_rows(text: str) -> list[str]:
    """The module names in the first column of the README's extension table."""
    section = text.split(EXTENSION_TABLE_HEADING, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.MULTILINE)


def docstring_of(name: str) -> str:
    return importlib.import_module(f"tests.emulator.extensions.{name}").__doc__ or ""


def error_codes_raised(name: str) -> set[str]:
    """Error codes written as string literals in the module's raise statements and error classes."""
    tree = ast.parse((EMULATOR_DIR / "extensions" / f"{name}.py").read_text())
    codes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if callee.endswith(("Error", "Exception")) and len(node.args) >= 2 and re.fullmatch(r"[A-Za-z][A-Za-z0-9.]+", node.args[0].value):
                codes.add(node.args[0].value)
            if callee == "StatusedServiceError" and len(node.args) >= 3 and isinstance(node.args[2], ast.Constant):
                codes.add(node.args[2].value)
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and any(getattr(target, "id", None) == "code" for target in statement.targets):
                    if isinstance(statement.value, ast.Constant):
                        codes.add(statement.value.value)
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == "Code" and isinstance(value, ast.Constant):
                    codes.add(value.value)
    return codes


def test_every_extension_file_is_listed_in_order():
    assert sorted(extension_files() - set(ORDER)) == [], "add these modules to ORDER in extensions/__init__.py"


def test_order_names_only_existing_files():
    assert sorted(set(ORDER) - extension_files()) == [], "ORDER names modules that do not exist"


def test_order_lists_each_extension_once():
    assert len(ORDER) == len(set(ORDER))


def test_extensions_are_installed_in_order(emulator):
    assert install_all() == list(ORDER)


@pytest.mark.parametrize(("earlier", "later", "reason"), ORDER_CONSTRAINTS, ids=[f"{a}<{b}" for a, b, _ in ORDER_CONSTRAINTS])
def test_order_keeps_each_documented_constraint(earlier, later, reason):
    assert ORDER.index(earlier) < ORDER.index(later), reason


def test_every_listed_extension_has_a_readme_row():
    rows = readme_extension_rows(README.read_text())
    assert sorted(set(ORDER) - set(rows)) == [], "add rows to the extension table of tests/emulator/README.md"


def test_the_readme_table_names_only_listed_extensions_once():
    rows = readme_extension_rows(README.read_text())
    assert sorted(set(rows) - set(ORDER)) == []
    assert len(rows) == len(set(rows))


@pytest.mark.parametrize("name", ORDER)
def test_every_extension_has_a_test_of_its_own(name):
    own = TESTS_DIR / f"test_{name}.py"
    if own.exists():
        return
    assert name in TESTED_IN, f"write tests/emulator/tests/test_{name}.py, or map {name} to its shared test file in TESTED_IN"
    shared = TESTS_DIR / TESTED_IN[name]
    assert shared.exists(), f"TESTED_IN maps {name} to {shared.name}, which does not exist"
    assert name in (ast.get_docstring(ast.parse(shared.read_text())) or ""), f"{shared.name}'s docstring must name {name}"


def test_tested_in_maps_only_listed_extensions_without_a_test_file_of_their_own():
    assert sorted(set(TESTED_IN) - set(ORDER)) == []
    assert [name for name in TESTED_IN if (TESTS_DIR / f"test_{name}.py").exists()] == []


@pytest.mark.parametrize("name", ORDER)
def test_every_extension_cites_a_link_and_a_sentence_of_its_reference(name):
    docstring = docstring_of(name)
    assert LINK.search(docstring), f"extensions/{name}.py: the docstring needs the link to the AWS reference it follows"
    assert QUOTED_SENTENCE.search(docstring), f"extensions/{name}.py: the docstring needs the sentence it follows, quoted"


@pytest.mark.parametrize("name", ORDER)
def test_every_error_code_an_extension_answers_is_named_in_its_docstring(name):
    docstring = docstring_of(name)
    missing = sorted(code for code in error_codes_raised(name) if code not in docstring)
    assert missing == [], f"extensions/{name}.py answers {missing}: cite each from the reference, or mark it 'chosen by us'"


def test_the_error_code_scan_sees_the_codes_an_extension_raises():
    assert {"InvalidParameterValue", "InvalidParameterCombination", "InvalidPaginationToken"} <= error_codes_raised("describe_images_pagination")
    assert error_codes_raised("launch_configuration_in_use") == {"ResourceInUse"}
    assert "InsufficientInstanceCapacity" in error_codes_raised("podman_instances")
