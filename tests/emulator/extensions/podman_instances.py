"""Podman-backed instances: an instance of a podman-mapped AMI is a real container.

OFF by default (`configure(podman_instances=True)` or `python -m tests.emulator start --podman-instances`),
so tests that do not ask for it never start a container.

AWS behaviour followed (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html,
API_RunInstances.html, API_CreateImage.html, API_CopyImage.html, API_DeregisterImage.html):
- RunInstances boots the AMI's root file system: here `podman run` of the container image mapped to the AMI,
  named after the instance id, with systemd as PID 1 (`--systemd=always`; roles start services) and the labels
  `bakery.emulator=instance`, `bakery.emulator.instance-id=<id>`. A container that cannot start fails the call
  as AWS fails a launch it cannot place, and no instance is left: `InsufficientInstanceCapacity` with HTTP 500.
  The EC2 error codes page (https://docs.aws.amazon.com/ec2/latest/devguide/errors-overview.html) lists it among
  the server errors: "InsufficientInstanceCapacity: There is not enough capacity to fulfill your request", and
  "Server errors ... are accompanied by a 500-series HTTP response code"; AWS SDKs report it as
  "(Service: AmazonEC2; Status Code: 500; Error Code: InsufficientInstanceCapacity)". botocore retries it (5xx).
- StopInstances / StartInstances stop and start the container (the root volume - its file system - persists);
  TerminateInstances removes it.
- CreateImage snapshots the root volume: `podman commit` of the instance's container to
  `localhost/bakery-emulator/<ami-id>:latest`, mapped to the new AMI (kept on moto's Ami object as
  `_podman_image`). AWS reboots the instance unless NoReboot; a commit needs no reboot, so NoReboot changes nothing here.
- CopyImage copies the snapshots: the copy maps to the same container image as its source (this wraps whichever
  `AmiBackend.copy_image` the extensions before it in `ORDER` installed).
- DeregisterImage of a committed AMI removes its container image once no other AMI (a copy) still maps to it;
  the base images of the map are never removed.
Mapping of AMIs to container images: DEFAULT_IMAGE_MAP (the Debian 13 amd64 fixture AMI to
`localhost/bakery/debian13:latest`, the Debian 12 amd64 ones to `localhost/bakery/debian12:latest`, the AL2023
x86_64 ones to the stand-in `localhost/bakery/al2023-standin:latest`, all built by tests/molecule/setup-host.sh),
plus `config.podman_images` ({ami id: image}). An AMI without a
mapping launches a plain moto instance. `config.podman_volumes` adds `--volume` arguments to every container
(e.g. a host apt cache `/var/cache/bakery/apt-archives:/var/cache/apt/archives`); HTTPS from inside a container
needs the host CA bundle: add `/etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro`.
Containers and committed images made by this process are removed on reset and at process exit.

A `podman commit` that fails fails CreateImage with `InternalError` ("An internal error has occurred",
a server error of errors-overview.html; its HTTP status is still moto's 400, not AWS's 500: not fixed here).
"""

from __future__ import annotations

import atexit
import functools
import logging
import threading

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.amis import AmiBackend
from moto.ec2.models.instances import InstanceBackend
from moto.moto_api._internal.models import MotoAPIBackend

from ..config import emulator_config
from ..error_bodies import StatusedServiceError
from ..podman_runtime import PodmanError, PodmanRuntime

LOG = logging.getLogger(__name__)

DEBIAN13_IMAGE = "localhost/bakery/debian13:latest"
DEBIAN12_IMAGE = "localhost/bakery/debian12:latest"
AL2023_STANDIN_IMAGE = "localhost/bakery/al2023-standin:latest"
DEFAULT_IMAGE_MAP = {
    "ami-0de13a0d640000001": DEBIAN13_IMAGE,
    "ami-0de12a0d640000001": DEBIAN12_IMAGE,
    "ami-0de12a0d640000002": DEBIAN12_IMAGE,
    "ami-0a120230864000001": AL2023_STANDIN_IMAGE,
    "ami-0a120230864000002": AL2023_STANDIN_IMAGE,
}
COMMITTED_IMAGE_REPOSITORY = "localhost/bakery-emulator"

runtime = PodmanRuntime()
_lock = threading.Lock()
_containers: set[str] = set()
_committed_images: set[str] = set()


def container_image_of(ami) -> str | None:
    """The container image behind an AMI (None: a plain moto AMI)."""
    if ami is None:
        return None
    committed = ami.__dict__.get("_podman_image")
    if committed:
        return committed
    return {**DEFAULT_IMAGE_MAP, **emulator_config.podman_images}.get(ami.id)


def _is_on() -> bool:
    return bool(emulator_config.podman_instances)


def _run_instances(original):
    @functools.wraps(original)
    def run_instances(self, image_id, *args, **kwargs):
        reservation = original(self, image_id, *args, **kwargs)
        if not _is_on():
            return reservation
        image = container_image_of(self.amis.get(image_id))
        if image is None:
            return reservation
        started = []
        try:
            for instance in reservation.instances:
                runtime.run(instance.id, image, volumes=emulator_config.podman_volumes)
                with _lock:
                    _containers.add(instance.id)
                instance._podman_container = instance.id
                started.append(instance.id)
        except PodmanError as error:
            for container in started:
                _remove_container(container)
            for instance in reservation.instances:
                instance.terminate()
            raise StatusedServiceError(
                "ec2", 500, "InsufficientInstanceCapacity", f"the container for {image_id} ({image}) did not start: {error}"
            )
        return reservation

    return run_instances


def _container_of(instance) -> str | None:
    return instance.__dict__.get("_podman_container")


def _stop_instances(original):
    @functools.wraps(original)
    def stop_instances(self, instance_ids):
        result = original(self, instance_ids)
        for instance, _ in result:
            if _container_of(instance):
                runtime.stop(_container_of(instance))
        return result

    return stop_instances


def _start_instances(original):
    @functools.wraps(original)
    def start_instances(self, instance_ids):
        result = original(self, instance_ids)
        for instance, _ in result:
            if _container_of(instance):
                runtime.start(_container_of(instance))
        return result

    return start_instances


def _terminate_instances(original):
    @functools.wraps(original)
    def terminate_instances(self, instance_ids):
        result = original(self, instance_ids)
        for instance, _ in result:
            container = _container_of(instance)
            if container:
                _remove_container(container)
                instance._podman_container = None
        return result

    return terminate_instances


def _create_image(original):
    @functools.wraps(original)
    def create_image(self, instance_id, *args, **kwargs):
        image = original(self, instance_id, *args, **kwargs)
        container = _container_of(self.get_instance(instance_id))
        if container:
            target = f"{COMMITTED_IMAGE_REPOSITORY}/{image.id}:latest"
            try:
                runtime.commit(container, target)
            except PodmanError as error:
                self.amis.pop(image.id, None)
                raise EC2ClientError("InternalError", f"committing {container} failed: {error}")
            with _lock:
                _committed_images.add(target)
            image._podman_image = target
        return image

    return create_image


def _copy_image(original):
    @functools.wraps(original)
    def copy_image(self, source_image_id, source_region, *args, **kwargs):
        from moto.ec2.models import ec2_backends

        copy = original(self, source_image_id, source_region, *args, **kwargs)
        source = ec2_backends[self.account_id][source_region].amis.get(source_image_id)
        committed = source.__dict__.get("_podman_image") if source is not None else None
        if committed:
            copy._podman_image = committed
        return copy

    return copy_image


def _still_mapped(container_image: str) -> bool:
    from moto.ec2.models import ec2_backends

    for account_backends in ec2_backends.values():
        for backend in account_backends.values():
            if any(ami.__dict__.get("_podman_image") == container_image for ami in list(backend.amis.values())):
                return True
    return False


def _deregister_image(original):
    @functools.wraps(original)
    def deregister_image(self, ami_id, *args, **kwargs):
        ami = self.amis.get(ami_id)
        committed = ami.__dict__.get("_podman_image") if ami is not None else None
        result = original(self, ami_id, *args, **kwargs)
        if committed and not _still_mapped(committed):
            _remove_image(committed)
        return result

    return deregister_image


def _remove_container(container: str) -> None:
    try:
        runtime.remove(container)
    except PodmanError as error:
        LOG.warning("podman_instances: %s", error)
    with _lock:
        _containers.discard(container)


def _remove_image(image: str) -> None:
    try:
        runtime.remove_image(image)
    except PodmanError as error:
        LOG.warning("podman_instances: %s", error)
    with _lock:
        _committed_images.discard(image)


def remove_everything_made() -> None:
    """Remove the containers and committed images this process made (reset, process exit)."""
    with _lock:
        containers, images = sorted(_containers), sorted(_committed_images)
    for container in containers:
        _remove_container(container)
    for image in images:
        _remove_image(image)


def _reset(original):
    @functools.wraps(original)
    def reset(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        remove_everything_made()
        return result

    return reset


def install() -> None:
    InstanceBackend.run_instances = _run_instances(InstanceBackend.run_instances)
    InstanceBackend.stop_instances = _stop_instances(InstanceBackend.stop_instances)
    InstanceBackend.start_instances = _start_instances(InstanceBackend.start_instances)
    InstanceBackend.terminate_instances = _terminate_instances(InstanceBackend.terminate_instances)
    AmiBackend.create_image = _create_image(AmiBackend.create_image)
    AmiBackend.copy_image = _copy_image(AmiBackend.copy_image)
    AmiBackend.deregister_image = _deregister_image(AmiBackend.deregister_image)
    MotoAPIBackend.reset = _reset(MotoAPIBackend.reset)
    atexit.register(remove_everything_made)
