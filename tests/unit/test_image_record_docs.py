"""The image record (plugins/module_utils/_ami/image_record.py) is documented once, at image_info's RETURN ``images``,
and every other module that returns image records points there instead of listing keys of its own."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml

from ansible_collections.bakery.ami.plugins.module_utils._ami.image_record import image_record

MODULES = sorted(path.stem for path in (Path(__file__).resolve().parents[2] / "plugins" / "modules").glob("*.py") if path.stem != "__init__")
RECORD_REFERENCE = "RV(bakery.ami.image_info#module:images)"
RECORD_KEYS = frozenset(image_record({}, "us-east-1", launch_permissions={}))


def module_return(module):
    return yaml.safe_load(importlib.import_module("ansible_collections.bakery.ami.plugins.modules.%s" % module).RETURN)


def documented_values(documentation, path=""):
    for name, value in (documentation or {}).items():
        yield path + name, value
        yield from documented_values(value.get("contains"), path + name + ".")


def test_image_info_documents_exactly_the_keys_image_record_returns():
    documented = set(module_return("image_info")["images"]["contains"])
    assert documented == RECORD_KEYS


@pytest.mark.parametrize("module", [module for module in MODULES if module != "image_info"])
def test_no_other_module_documents_the_image_record_again(module):
    for name, value in documented_values(module_return(module)):
        # image_id and region name many things; four more record keys in one place is the record written again.
        repeated = (RECORD_KEYS - {"image_id", "region"}) & set(value.get("contains") or {})
        assert len(repeated) < 4, "%s RETURN %s lists image record keys %s: point to %s instead" % (module, name, sorted(repeated), RECORD_REFERENCE)
        description = " ".join(value.get("description") if isinstance(value.get("description"), list) else [value.get("description") or ""])
        if "image record" in description:
            assert RECORD_REFERENCE in description, "%s RETURN %s says it is an image record but does not point to %s" % (module, name, RECORD_REFERENCE)
