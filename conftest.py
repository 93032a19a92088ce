"""Test-wide setup: the collection importable as ansible_collections.bakery.ami, and the emulator fixtures."""

import importlib.util
import os

REPO_ROOT = os.path.dirname(os.path.abspath(__file__))
_COLLECTION_LINK = os.path.join(REPO_ROOT, ".collections", "ansible_collections", "bakery", "ami")

if not os.path.exists(_COLLECTION_LINK):
    os.makedirs(os.path.dirname(_COLLECTION_LINK), exist_ok=True)
    try:
        os.symlink(REPO_ROOT, _COLLECTION_LINK)
    except FileExistsError:  # another xdist worker made it first
        pass

if importlib.util.find_spec("tests.emulator.pytest_plugin") is not None:
    pytest_plugins = ["tests.emulator.pytest_plugin"]
