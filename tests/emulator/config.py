"""The emulator's tunable behaviour, shared by the middleware and every extension.

One process-wide object, because moto's backends are process-wide too: two Emulator
servers in one process would share moto's state anyway.
"""

import threading
from dataclasses import asdict, dataclass, fields


@dataclass
class EmulatorConfig:
    # Seconds a new image (CreateImage/RegisterImage/CopyImage) stays `pending`.
    pending_seconds: float = 0.0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._defaults = asdict(self)

    def update(self, **settings: object) -> None:
        known = {field.name for field in fields(self)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise ValueError(f"unknown emulator setting(s) {unknown}; known: {sorted(known)}")
        with self._lock:
            for name, value in settings.items():
                setattr(self, name, type(self._defaults[name])(value))

    def set_defaults(self, **settings: object) -> None:
        """Change what reset() returns to (the server's start-up options)."""
        self.update(**settings)
        self._defaults = asdict(self)

    def reset(self) -> None:
        self.update(**self._defaults)

    def as_dict(self) -> dict:
        return asdict(self)


emulator_config = EmulatorConfig()
