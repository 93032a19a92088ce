"""The emulator's tunable behaviour, shared by the middleware and every extension.

One process-wide object, because moto's backends are process-wide too: two Emulator
servers in one process would share moto's state anyway.
"""

import threading
from dataclasses import asdict, dataclass, field, fields


ACCOUNT_PROFILES = ("existing", "new")
# Settings that take one of a few values.
CHOICES = {"account_profile": ACCOUNT_PROFILES}
# Settings that map a few known keys to values.
KEYS = {"image_pending_seconds": ("CreateImage", "RegisterImage", "CopyImage")}


@dataclass
class EmulatorConfig:
    # Seconds a new image (CreateImage/RegisterImage/CopyImage) stays `pending`.
    pending_seconds: float = 0.0
    # The same per action, over pending_seconds: e.g. {"CreateImage": 20, "CopyImage": 60}, as on AWS, where a
    # cross-region copy of an image takes longer than its creation (extensions/image_pending_state.py).
    image_pending_seconds: dict = field(default_factory=dict)
    # The age of every emulated account: "existing" (created before 2024-10-01; moto's defaults) or
    # "new": image block public access starts as block-new-sharing in every region
    # (extensions/image_block_public_access.py) and CreateLaunchConfiguration answers UnsupportedOperation
    # (extensions/launch_configuration_retirement.py). AMI quotas apply to both (extensions/ami_quotas.py).
    account_profile: str = "existing"
    # CreateLaunchConfiguration answers UnsupportedOperation, as for accounts created on or
    # after 2024-10-01 (extensions/launch_configuration_retirement.py); implied by account_profile "new".
    launch_configurations_unavailable: bool = False
    # Instance refreshes of these Auto Scaling groups fail after their first replacement batch
    # (extensions/instance_refresh.py).
    instance_refresh_failing_groups: list = field(default_factory=list)
    # The account's applied AMI sharing quota: entities one AMI may be shared with per region (AWS default 1,000,
    # adjustable; extensions/ami_quotas.py).
    ami_sharing_quota: int = 1000
    # Seconds one replacement batch of an instance refresh takes, launch and warm-up included
    # (extensions/instance_refresh.py). Checkpoint delays and bake time come on top, as the refresh asks.
    instance_refresh_batch_seconds: float = 1.0
    # Seconds after a launch before an image's lastLaunchedTime reports it; AWS: "there is a 24-hour delay
    # before that usage is reported" (extensions/image_last_launched_time.py).
    image_last_launched_delay_seconds: float = 86400.0
    # AWS Marketplace product codes the emulator account is subscribed to (extensions/marketplace_dry_run.py).
    marketplace_subscriptions: list = field(default_factory=list)
    # Product code -> error code a DryRun RunInstances of its images answers instead (e.g. UnauthorizedOperation).
    marketplace_dry_run_errors: dict = field(default_factory=dict)
    # IAM actions the caller is denied, e.g. ["ec2:CopyImage", "kms:*"] (IAM's * and ? wildcards): a request for one,
    # DryRun or not, answers UnauthorizedOperation / AccessDeniedException (extensions/iam_denied_actions.py).
    denied_actions: list = field(default_factory=list)
    # Opt-in regions of the account and their status, "opted-in" or "not-opted-in", over the emulator's defaults
    # (extensions/region_opt_in.py); a not-opted-in region answers no call.
    region_opt_in_status: dict = field(default_factory=dict)
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
    # Seconds a new (or changed) instance profile stays unknown to RunInstances: IAM is eventually consistent
    # (extensions/run_instances_instance_profile.py).
    instance_profile_propagation_seconds: float = 0.0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._defaults = asdict(self)

    def update(self, **settings: object) -> None:
        known = {field.name for field in fields(self)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise ValueError(f"unknown emulator setting(s) {unknown}; known: {sorted(known)}")
        for name, choices in CHOICES.items():
            if name in settings and settings[name] not in choices:
                raise ValueError(f"{name} must be one of {list(choices)}, got {settings[name]!r}")
        for name, allowed in KEYS.items():
            stray = sorted(set(settings.get(name) or {}) - set(allowed))
            if stray:
                raise ValueError(f"{name}: unknown key(s) {stray}; known: {list(allowed)}")
        with self._lock:
            for name, value in settings.items():
                setattr(self, name, type(self._defaults[name])(value))

    def set_defaults(self, **settings: object) -> None:
        """Change what reset() returns to (the server's start-up options). Only the settings given: another
        emulator started in the same process must not take over what a test configured (the config is shared)."""
        self.update(**settings)
        with self._lock:
            self._defaults.update((name, getattr(self, name)) for name in settings)

    def reset(self) -> None:
        self.update(**self._defaults)

    def as_dict(self) -> dict:
        return asdict(self)


emulator_config = EmulatorConfig()
