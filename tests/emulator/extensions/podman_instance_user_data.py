"""A podman-backed instance runs its user data script once, at first boot, as root, as cloud-init runs it on EC2.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html): "User data shell scripts must start with the
#! characters and the path to the interpreter you want to read the script"; "Scripts entered as user data are run as
the root user"; "By default, user data scripts and cloud-init directives run only during the first boot cycle when
an instance is launched"; "user data is limited to 16 KB, in raw form, before it is base64-encoded"; the output goes
to /var/log/cloud-init-output.log.

Emulated: RunInstances of a podman-backed instance with a #! script writes it to
/var/lib/cloud/instance/scripts/part-001 (mode 0700) in the container and runs it detached, as root, once systemd has
finished booting (cloud-final runs late in the boot), appending its output to /var/log/cloud-init-output.log; when it
ends, /var/lib/cloud/instance/boot-finished is written. A restarted instance does not run it again. User data that is
not a #! script (#cloud-config, MIME multipart) is kept but not run: an instance here does less than on EC2, never
more. User data over 16384 bytes (raw) is refused with InvalidParameterValue before anything is launched (AWS states
the limit; the code and wording of its refusal are chosen by us).
"""

from __future__ import annotations

import base64
import binascii
import functools
import logging
import subprocess

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.instances import InstanceBackend
from moto.ec2.responses.instances import InstanceResponse

from .podman_instances import runtime

LOG = logging.getLogger(__name__)
MAX_USER_DATA_BYTES = 16384
SCRIPT_PATH = "/var/lib/cloud/instance/scripts/part-001"
OUTPUT_LOG = "/var/log/cloud-init-output.log"
BOOT_FINISHED = "/var/lib/cloud/instance/boot-finished"
# After boot (is-system-running --wait returns once it is running or degraded), like cloud-final.
RUNNER = (
    f"systemctl is-system-running --wait >/dev/null 2>&1; "
    f"{SCRIPT_PATH} >>{OUTPUT_LOG} 2>&1; "
    f"echo \"$(date -u +%s) script exited $?\" > {BOOT_FINISHED}"
)


def raw_user_data(encoded) -> bytes | None:
    if encoded is None:
        return None
    text = encoded if isinstance(encoded, str) else getattr(encoded, "_encoded_string", None)
    if text is None:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def _refusing_oversized(original):
    @functools.wraps(original)
    def run_instances(self):
        raw = raw_user_data(self._get_param("UserData"))
        if raw is not None and len(raw) > MAX_USER_DATA_BYTES:
            raise EC2ClientError("InvalidParameterValue", f"User data is limited to {MAX_USER_DATA_BYTES} bytes (got {len(raw)})")
        return original(self)

    return run_instances


def run_script(container: str, script: bytes) -> None:
    """Write the script into the container and start it detached (the call returns at once, as RunInstances does)."""
    install_script = f"mkdir -p /var/lib/cloud/instance/scripts && cat > {SCRIPT_PATH} && chmod 0700 {SCRIPT_PATH}"
    written = subprocess.run([runtime.executable, "exec", "-i", container, "/bin/sh", "-c", install_script],
                             input=script, capture_output=True, timeout=60, check=False)
    if written.returncode != 0:
        LOG.warning("podman_instance_user_data: writing the script into %s failed: %s", container, written.stderr.decode(errors="replace")[-300:])
        return
    started = subprocess.run([runtime.executable, "exec", "--detach", container, "/bin/sh", "-c", RUNNER],
                             capture_output=True, timeout=60, check=False)
    if started.returncode != 0:
        LOG.warning("podman_instance_user_data: starting the script in %s failed: %s", container, started.stderr.decode(errors="replace")[-300:])


def _running_user_data(original):
    @functools.wraps(original)
    def run_instances(self, image_id, count, user_data, *args, **kwargs):
        reservation = original(self, image_id, count, user_data, *args, **kwargs)
        script = raw_user_data(user_data)
        if script is None or not script.startswith(b"#!"):
            return reservation
        for instance in reservation.instances:
            container = instance.__dict__.get("_podman_container")
            if container:
                run_script(container, script)
        return reservation

    return run_instances


def install() -> None:
    InstanceResponse.run_instances = _refusing_oversized(InstanceResponse.run_instances)
    InstanceBackend.run_instances = _running_user_data(InstanceBackend.run_instances)
