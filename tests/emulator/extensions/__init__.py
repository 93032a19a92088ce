"""Extensions: one module per moto gap the collection depends on.

Every module in this package that defines install() is installed by install_all(), in
name order; add an extension by adding a file. Each module's docstring names the AWS
documentation it follows. Extensions wrap or add methods on moto's classes (moto is
pinned exactly for that reason) and keep their state as attributes of moto's models,
so moto's reset clears it.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading

_lock = threading.Lock()
_installed: list[str] = []


def extension_names() -> list[str]:
    return sorted(module.name for module in pkgutil.iter_modules(__path__) if not module.name.startswith("_"))


def install_all() -> list[str]:
    """Install every extension once per process (they wrap moto's classes, so a second
    install would wrap twice); returns their names."""
    with _lock:
        if not _installed:
            for name in extension_names():
                module = importlib.import_module(f"{__name__}.{name}")
                if hasattr(module, "install"):
                    module.install()
                    _installed.append(name)
        return list(_installed)
