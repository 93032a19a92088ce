"""A podman-backed instance reaches the emulator at the very address the controller uses (127.0.0.1:<port>), as an
instance in a subnet with a NAT gateway or VPC endpoints reaches the AWS endpoints the controller talks to.

AWS: "Gateway endpoints provide reliable connectivity to Amazon S3 and DynamoDB without requiring an internet gateway
or a NAT device for your VPC" (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html), and the
Session Manager plugin hands the instance presigned S3 URLs made on the controller: "The remote instance does not
require IAM credentials for S3 ... the plugin will generate a presigned URL for S3 from the controller, and then will
pass that URL to the target over SSM, telling the target to download/upload from S3 with curl" (amazon.aws.aws_ssm).

The emulator listens on the host's loopback only, and a container's 127.0.0.1 is its own. Neither shortcut is
faithful: host networking would share ports between builders (two redis layers on 6379) and with the host, and
rewriting a presigned URL's host breaks its SigV4 signature (the host is a signed header). So each podman-backed
instance gets a relay: a socket listening on 127.0.0.1:<emulator port> INSIDE the container's network namespace
(entered with setns(2) by a short-lived thread; the socket stays in that namespace), whose connections are forwarded
to the emulator on the host's loopback. A URL made on the controller works unchanged from inside the instance, and
nothing listens on any other interface. The relay opens when the container starts (RunInstances, StartInstances) and
closes when it stops, terminates, or the emulator resets.

The emulator's address is the one the request that starts the instance came to (its server's SERVER_NAME and
SERVER_PORT). Needs root (setns with CAP_SYS_ADMIN), as rootful podman does. No error code of its own: an instance
whose relay cannot open still runs (and logs a warning); its requests to the emulator then fail, as from a subnet
without a route to AWS.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import socket
import threading

from moto.core.responses import BaseResponse
from moto.ec2.models.instances import InstanceBackend
from moto.moto_api._internal.models import MotoAPIBackend

from ..podman_runtime import PodmanError
from .podman_instances import runtime

LOG = logging.getLogger(__name__)
CLONE_NEWNET = 0x40000000
BUFFER_BYTES = 65536

_serving = threading.local()
_lock = threading.Lock()
_relays: dict[str, "Relay"] = {}


def _remembering_server_address(original):
    @functools.wraps(original)
    def setup_class(self, request, *args, **kwargs):
        environ = getattr(request, "environ", None) or {}
        if environ.get("SERVER_PORT"):
            _serving.address = (environ.get("SERVER_NAME") or "127.0.0.1", int(environ["SERVER_PORT"]))
        return original(self, request, *args, **kwargs)

    return setup_class


def listen_in_namespace(pid: int, address: tuple[str, int]) -> socket.socket:
    """A listening socket bound to ``address`` in the network namespace of process ``pid``."""
    outcome: dict = {}

    def enter_and_listen() -> None:
        # setns applies to this thread only; the thread ends right after, so no other work runs in the container's
        # namespace. The socket keeps the namespace it was made in.
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            with open(f"/proc/{pid}/ns/net", "rb") as namespace:
                if libc.setns(namespace.fileno(), CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), "setns into the network namespace of pid %d failed" % pid)
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(address)
            listener.listen(64)
            outcome["socket"] = listener
        except OSError as error:
            outcome["error"] = error

    thread = threading.Thread(target=enter_and_listen, name=f"bakery-netns-{pid}")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["socket"]


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while True:
            data = source.recv(BUFFER_BYTES)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for closing in (lambda: target.shutdown(socket.SHUT_WR), source.close):
            try:
                closing()
            except OSError:
                pass


class Relay:
    """Connections to ``address`` inside one container, forwarded to ``address`` on the host."""

    def __init__(self, instance_id: str, listener: socket.socket, address: tuple[str, int]) -> None:
        self.instance_id = instance_id
        self.listener = listener
        self.address = address
        self._thread = threading.Thread(target=self._accept, name=f"bakery-relay-{instance_id}", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                inside, _ = self.listener.accept()
            except OSError:
                return
            try:
                outside = socket.create_connection(self.address, timeout=10)
                outside.settimeout(None)
            except OSError:
                inside.close()
                continue
            for source, target in ((inside, outside), (outside, inside)):
                threading.Thread(target=_pump, args=(source, target), daemon=True).start()

    def close(self) -> None:
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()


def container_pid(container: str) -> int:
    return int(runtime._podman("inspect", "--format", "{{.State.Pid}}", container))


def open_relay(instance) -> None:
    container = instance.__dict__.get("_podman_container")
    address = getattr(_serving, "address", None)
    if not container or address is None:
        return
    close_relay(instance.id)
    try:
        listener = listen_in_namespace(container_pid(container), address)
    except (OSError, ValueError, PodmanError) as error:
        LOG.warning("podman_instance_endpoint: no relay into %s: %s", container, error)
        return
    with _lock:
        _relays[instance.id] = Relay(instance.id, listener, address)


def close_relay(instance_id: str) -> None:
    with _lock:
        relay = _relays.pop(instance_id, None)
    if relay is not None:
        relay.close()


def relay_of(instance_id: str) -> Relay | None:
    with _lock:
        return _relays.get(instance_id)


def _opening_after(original):
    @functools.wraps(original)
    def starting(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        instances = result.instances if hasattr(result, "instances") else [instance for instance, _ in result]
        for instance in instances:
            open_relay(instance)
        return result

    return starting


def _closing_after(original):
    @functools.wraps(original)
    def stopping(self, instance_ids, *args, **kwargs):
        result = original(self, instance_ids, *args, **kwargs)
        for instance_id in instance_ids:
            close_relay(instance_id)
        return result

    return stopping


def close_every_relay() -> None:
    with _lock:
        instance_ids = list(_relays)
    for instance_id in instance_ids:
        close_relay(instance_id)


def _reset(original):
    @functools.wraps(original)
    def reset(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        close_every_relay()
        return result

    return reset


def install() -> None:
    BaseResponse.setup_class = _remembering_server_address(BaseResponse.setup_class)
    InstanceBackend.run_instances = _opening_after(InstanceBackend.run_instances)
    InstanceBackend.start_instances = _opening_after(InstanceBackend.start_instances)
    InstanceBackend.stop_instances = _closing_after(InstanceBackend.stop_instances)
    InstanceBackend.terminate_instances = _closing_after(InstanceBackend.terminate_instances)
    MotoAPIBackend.reset = _reset(MotoAPIBackend.reset)
