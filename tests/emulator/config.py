"""The emulator's tunable behaviour, shared by the middleware and every extension.

One process-wide object, because moto's backends are process-wide too: two Emulator
servers in one process would share moto's state anyway.
"""

import threading
from dataclasses import asdict, dataclass, field, fields


@dataclass
class EmulatorConfig:
    # Seconds a new image (CreateImage/RegisterImage/CopyImage) stays `pending`.
    pending_seconds: float = 0.0
    # CreateLaunchConfiguration answers UnsupportedOperation, as for accounts created on or
    # after 2024-10-01 (extensions/launch_configuration_retirement.py).
    launch_configurations_unavailable: bool = False
    # Instance refreshes of these Auto Scaling groups fail after their first replacement step
    # (extensions/instance_refresh.py).
    instance_refresh_failing_groups: list = field(default_factory=list)
    # AWS Marketplace product codes the emulator account is subscribed to (extensions/marketplace_dry_run.py).
    marketplace_subscriptions: list = field(default_factory=list)
    # Product code -> error code a DryRun RunInstances of its images answers instead (e.g. UnauthorizedOperation).
    marketplace_dry_run_errors: dict = field(default_factory=dict)
    # Seconds each step of an SSM Automation execution takes (extensions/ssm_automation.py).
    automation_step_seconds: float = 0.0
    # Steps of AWS-UpdateLinuxAmi that fail, e.g. ["updateOSSoftware"] (extensions/ssm_automation.py).
    automation_failing_steps: list = field(default_factory=list)
    # Instances of podman-mapped AMIs are real containers (extensions/podman_instances.py). Off: no container is started.
    podman_instances: bool = False
    # AMI id -> container image, added to (and overriding) the extension's default map of fixture AMIs.
    podman_images: dict = field(default_factory=dict)
    # Extra `podman run --volume` arguments for every instance container, e.g. a host apt cache.
    podman_volumes: list = field(default_factory=list)

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
