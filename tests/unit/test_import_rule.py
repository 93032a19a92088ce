"""The import rule of docs/docsite/rst/guide_architecture.rst ("Packages and the import rule"): a module imports only
the shared packages (_aws, _ami) and its own package; a module package imports only the shared packages, itself and
the declared shared worker packages; _ami imports only _aws; _aws only itself; plugin_utils may use _aws and _ami."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
MODULE_UTILS_PREFIX = "ansible_collections.bakery.ami.plugins.module_utils."
PLUGIN_UTILS_PREFIX = "ansible_collections.bakery.ami.plugins.plugin_utils."
SHARED_PACKAGES = frozenset(("_aws", "_ami"))
# Worker packages several modules use, importable by any module package. Declared here, and in the guide, when a worker
# starts serving more than one module.
SHARED_WORKER_PACKAGES = frozenset()
ALLOWED_FOR_PACKAGE = {"_aws": frozenset(("_aws",)), "_ami": frozenset(("_aws", "_ami"))}


def collection_imports(path):
    """(line, package) for every import of a module_utils package ("_aws", ...) or of plugin_utils ("plugin_utils")."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + ["%s.%s" % (node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        packages = set()
        for name in names:
            if name.startswith(MODULE_UTILS_PREFIX):
                packages.add(name[len(MODULE_UTILS_PREFIX):].split(".")[0])
            elif name.startswith(PLUGIN_UTILS_PREFIX) or name == PLUGIN_UTILS_PREFIX.rstrip("."):
                packages.add("plugin_utils")
        found.extend((node.lineno, package) for package in sorted(packages))
    return found


def allowed_imports(path, plugins=PLUGINS):
    relative = path.relative_to(plugins)
    if relative.parts[0] == "modules":
        return SHARED_PACKAGES | {"_" + path.stem}
    if relative.parts[0] == "module_utils":
        package = relative.parts[1]
        return ALLOWED_FOR_PACKAGE.get(package, SHARED_PACKAGES | SHARED_WORKER_PACKAGES | {package})
    if relative.parts[0] == "plugin_utils":
        return SHARED_PACKAGES | {"plugin_utils"}
    # lookup and filter plugins run on the controller: plugin_utils and the shared packages.
    return SHARED_PACKAGES | {"plugin_utils"}


def wrong_way_imports(root):
    problems = []
    for path in sorted(root.rglob("*.py")):
        allowed = allowed_imports(path, root)
        for line, package in collection_imports(path):
            if package not in allowed:
                problems.append("%s:%d imports %s" % (path.relative_to(root.parent), line, package))
    return problems


def test_every_import_points_the_right_way():
    assert wrong_way_imports(PLUGINS) == []


def test_module_utils_has_only_packages_at_its_top_level():
    top_level_files = [path.name for path in (PLUGINS / "module_utils").iterdir() if path.is_file()]
    assert len(top_level_files) <= 5, top_level_files


def test_every_module_has_its_own_package():
    modules = [path.stem for path in (PLUGINS / "modules").glob("*.py") if path.stem != "__init__"]
    assert [module for module in modules if not (PLUGINS / "module_utils" / ("_" + module)).is_dir()] == []


@pytest.mark.parametrize(
    "where, source, offending",
    [
        ("modules/image_copy.py", "from ansible_collections.bakery.ami.plugins.module_utils._image_share.sharer import share_images\n", "_image_share"),
        ("module_utils/_image_parameter/request.py", "from ansible_collections.bakery.ami.plugins.module_utils._image_copy.request import CopyRequest\n", "_image_copy"),
        ("module_utils/_ami/image_lookup.py", "from ansible_collections.bakery.ami.plugins.module_utils._image_info import finder\n", "_image_info"),
        ("module_utils/_aws/tags.py", "from ansible_collections.bakery.ami.plugins.module_utils._ami.image_record import image_record\n", "_ami"),
        ("modules/image.py", "from ansible_collections.bakery.ami.plugins.plugin_utils.recipe_hash import recipe_hash\n", "plugin_utils"),
    ],
)
def test_a_wrong_way_import_is_caught(tmp_path, where, source, offending):
    planted = tmp_path / "plugins" / where
    planted.parent.mkdir(parents=True)
    planted.write_text(source)
    assert wrong_way_imports(tmp_path / "plugins") == ["plugins/%s:1 imports %s" % (where, offending)]
