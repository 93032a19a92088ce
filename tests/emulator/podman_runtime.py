"""The podman commands behind podman-backed emulator instances (extensions/podman_instances.py).

Rootful podman with runc, as tests/molecule/setup-host.sh configures it (docs/docsite/rst/guide_emulator.rst).
"""

from __future__ import annotations

import shutil
import subprocess

INSTANCE_LABEL = "bakery.emulator=instance"
COMMAND_TIMEOUT_SECONDS = 300


class PodmanError(Exception):
    pass


class PodmanRuntime:
    def __init__(self, executable: str = "podman") -> None:
        self.executable = executable

    def is_available(self) -> bool:
        return shutil.which(self.executable) is not None

    def _podman(self, *args: str) -> str:
        try:
            completed = subprocess.run(
                [self.executable, *args], capture_output=True, text=True, timeout=COMMAND_TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PodmanError(f"podman {args[0]}: {error}") from error
        if completed.returncode != 0:
            raise PodmanError(f"podman {' '.join(args[:2])} failed ({completed.returncode}): {completed.stderr.strip()[-500:]}")
        return completed.stdout.strip()

    def run(self, name: str, image: str, volumes: list[str] = ()) -> str:
        """Start `image` detached as `name` with systemd as PID 1."""
        args = ["run", "--detach", "--name", name, "--hostname", name, "--systemd=always",
                "--label", INSTANCE_LABEL, "--label", f"bakery.emulator.instance-id={name}"]
        for volume in volumes:
            args += ["--volume", volume]
        return self._podman(*args, image, "/lib/systemd/systemd")

    def stop(self, name: str) -> None:
        self._podman("stop", "--time", "10", name)

    def start(self, name: str) -> None:
        self._podman("start", name)

    def remove(self, name: str) -> None:
        self._podman("rm", "--force", "--ignore", "--time", "5", name)

    def commit(self, container: str, image: str) -> str:
        return self._podman("commit", "--quiet", "--change", "LABEL bakery.emulator=image", container, image)

    def remove_image(self, image: str) -> None:
        self._podman("rmi", "--force", "--ignore", image)

    def exists(self, name: str) -> bool:
        return subprocess.run([self.executable, "container", "exists", name], check=False).returncode == 0

    def image_exists(self, image: str) -> bool:
        return subprocess.run([self.executable, "image", "exists", image], check=False).returncode == 0

    def is_running(self, name: str) -> bool:
        try:
            return self._podman("inspect", "--format", "{{.State.Running}}", name) == "true"
        except PodmanError:
            return False

    def execute(self, name: str, *command: str) -> str:
        return self._podman("exec", name, *command)

    def wait_for_boot(self, name: str, attempts: int = 240) -> None:
        """Wait until systemd in `name` says running or degraded. A container just started is still booting; on a busy
        host its bus may not answer yet, and `systemctl is-system-running --wait` then gives up at once."""
        self.execute(name, "sh", "-c", "for attempt in $(seq 1 %d); do systemctl is-system-running --wait >/dev/null 2>&1; "
                     "case \"$(systemctl is-system-running 2>/dev/null)\" in running|degraded) exit 0;; esac; sleep 0.5; done" % attempts)
