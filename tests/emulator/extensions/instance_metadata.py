"""Instance metadata (IMDSv2) for podman-backed instances: an instance gets its instance profile's credentials the
way EC2 hands them out, so software baked into an image needs no key (extensions/podman_instances.py).

Active whenever podman instances are on. Every instance container gets, in its own network namespace and before
its first process starts (`podman create`, `podman init`, then this, then `podman start`), 169.254.169.254/32 on its
loopback interface, where this process serves the instance's metadata on port 80 (a listening socket made inside
the namespace by a short-lived thread that enters it with setns(2)). The SDKs' default endpoint works unchanged, and
no request for that address can leave the container: it never reaches the metadata service of the host the tests
run on. A stopped and started instance gets it again in its new namespace; stop and terminate close it. The
emulator's API inside the instance is podman_instance_endpoint's relay (127.0.0.1:<emulator port>).

AWS behaviour followed:
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-v2-how-it-works.html: "IMDSv2 uses
  session-oriented requests. With session-oriented requests, you create a session token that defines the session
  duration, which can be a minimum of one second and a maximum of six hours." The token comes from
  `PUT /latest/api/token` with the header `X-aws-ec2-metadata-token-ttl-seconds`, and goes with every request in
  `X-aws-ec2-metadata-token`; the answer echoes the TTL header.
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html (responses and error
  messages): "400 - Missing or Invalid Parameters – The PUT request is not valid.", "401 - Unauthorized – The GET
  request uses an invalid token.", "403 - Forbidden – The request is not allowed or the IMDS is turned off.",
  "404 - Not Found – The resource is not available or there is no such resource." HttpEndpoint `disabled`
  (RunInstances MetadataOptions) turns the service off: 403 to every request.
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html (retrieve security
  credentials from instance metadata): `iam/security-credentials/` lists the role of the instance profile,
  `iam/security-credentials/<role-name>` answers {"Code": "Success", "LastUpdated", "Type": "AWS-HMAC",
  "AccessKeyId", "SecretAccessKey", "Token", "Expiration"}; an instance without an instance profile has no `iam/`
  entry (404). The credentials here are a moto STS AssumeRole of the profile's role (session name: the instance
  id), renewed five minutes before they expire ("We make new credentials available at least five minutes before
  the expiration of the old credentials").
- Placement: `placement/region`, `placement/availability-zone`, `instance-id`, `ami-id`, `instance-type`, and
  `dynamic/instance-identity/document` (accountId, region, availabilityZone, instanceId, imageId, instanceType,
  architecture, pendingTime).

Stricter than AWS (chosen by us): a token is required even where the instance's HttpTokens is `optional` (IMDSv1
is never served); a PUT carrying X-Forwarded-For is refused with 403 (AWS documents that IMDSv2 rejects such
requests; the status is ours); methods other than GET and PUT answer 405, other PUT paths 404.
Not modelled: the hop limit, IPv6 (fd00:ec2::254), instance tags in metadata, user data, throttling.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime
import functools
import http.server
import json
import logging
import secrets
import socket
import subprocess
import threading
import time

from ..podman_runtime import INSTANCE_LABEL, PodmanError, PodmanRuntime

LOG = logging.getLogger(__name__)

METADATA_ADDRESS = "169.254.169.254"
METADATA_PORT = 80
TOKEN_PATH = "/latest/api/token"
TOKEN_TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds"
TOKEN_HEADER = "X-aws-ec2-metadata-token"
MAX_TOKEN_TTL_SECONDS = 21600
CREDENTIALS_SECONDS = 6 * 3600
CREDENTIALS_RENEW_BEFORE_SECONDS = 300
CLONE_NEWNET = 0x40000000

_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
_lock = threading.Lock()
_attachments: dict[str, "InstanceAttachment"] = {}


def _find_instance(instance_id: str):
    """(account id, region, moto Instance) or None once the instance is gone."""
    from moto.ec2.models import ec2_backends

    for account_id, account_backends in list(ec2_backends.items()):
        for region, backend in list(account_backends.items()):
            for reservation in list(backend.reservations.values()):
                for instance in reservation.instances:
                    if instance.id == instance_id:
                        return account_id, region, instance
    return None


def _role_of(account_id: str, region: str, instance_id: str):
    """The IAM role of the instance profile associated with the instance, or None."""
    from moto.ec2.models import ec2_backends

    association = ec2_backends[account_id][region].iam_instance_profile_associations.get(instance_id)
    if association is None or not association.iam_instance_profile.roles:
        return None
    return association.iam_instance_profile, association.iam_instance_profile.roles[0]


class InstanceMetadata:
    """What 169.254.169.254 answers for one instance: its tokens, its credentials, its documents."""

    def __init__(self, instance_id: str) -> None:
        self.instance_id = instance_id
        self._tokens: dict[str, float] = {}
        self._credentials = None
        self._lock = threading.Lock()

    def issue_token(self, ttl_seconds: int) -> str:
        token = secrets.token_urlsafe(40)
        with self._lock:
            now = time.monotonic()
            self._tokens = {known: expiry for known, expiry in self._tokens.items() if expiry > now}
            self._tokens[token] = now + ttl_seconds
        return token

    def is_valid_token(self, token: str | None) -> bool:
        with self._lock:
            return token is not None and self._tokens.get(token, 0.0) > time.monotonic()

    def answer(self, path: str) -> tuple[int, str, str]:
        """(status, content type, body) for a GET of `path`."""
        found = _find_instance(self.instance_id)
        if found is None:
            return 404, "text/plain", "Not Found"
        account_id, region, instance = found
        zone = instance.placement.zone or f"{region}a"
        plain = {
            "/latest/meta-data/instance-id": instance.id,
            "/latest/meta-data/ami-id": instance.image_id,
            "/latest/meta-data/instance-type": instance.instance_type,
            "/latest/meta-data/placement/region": region,
            "/latest/meta-data/placement/availability-zone": zone,
        }
        # A leaf answers with or without a trailing slash: botocore's InstanceMetadataRegionFetcher asks for
        # "latest/meta-data/placement/availability-zone/" (botocore/utils.py, _URL_PATH), and finds the region on EC2.
        leaf = path[:-1] if path.endswith("/") and path[:-1] in plain else path
        if leaf in plain:
            return 200, "text/plain", plain[leaf]
        if path == "/latest/dynamic/instance-identity/document":
            document = {
                "accountId": account_id, "architecture": instance.architecture, "availabilityZone": zone,
                "imageId": instance.image_id, "instanceId": instance.id, "instanceType": instance.instance_type,
                "pendingTime": instance.launch_time.strftime("%Y-%m-%dT%H:%M:%SZ"), "region": region, "version": "2017-09-30",
            }
            return 200, "text/plain", json.dumps(document, indent=2)
        profile_and_role = _role_of(account_id, region, instance.id)
        if path.startswith("/latest/meta-data/iam/"):
            if profile_and_role is None:
                return 404, "text/plain", "Not Found"
            profile, role = profile_and_role
            if path == "/latest/meta-data/iam/info":
                info = {"Code": "Success", "LastUpdated": _iso(time.time()), "InstanceProfileArn": profile.arn,
                        "InstanceProfileId": profile.id}
                return 200, "text/plain", json.dumps(info, indent=2)
            if path == "/latest/meta-data/iam/security-credentials/":
                return 200, "text/plain", role.name
            if path == f"/latest/meta-data/iam/security-credentials/{role.name}":
                return 200, "text/plain", json.dumps(self._credentials_for(account_id, region, role), indent=2)
        return 404, "text/plain", "Not Found"

    def _credentials_for(self, account_id: str, region: str, role) -> dict:
        from moto.sts.models import sts_backends

        with self._lock:
            cached = self._credentials
            if cached is None or cached["role_arn"] != role.arn or cached["expires"] - time.time() < CREDENTIALS_RENEW_BEFORE_SECONDS:
                assumed = sts_backends[account_id]["aws"].assume_role(
                    region_name=region, role_session_name=self.instance_id, role_arn=role.arn, policy=None,
                    duration=CREDENTIALS_SECONDS, external_id=None,
                )
                cached = self._credentials = {
                    "role_arn": role.arn, "issued": time.time(), "expires": time.time() + CREDENTIALS_SECONDS,
                    "AccessKeyId": assumed.access_key_id, "SecretAccessKey": assumed.secret_access_key,
                    "Token": assumed.session_token,
                }
        return {
            "Code": "Success", "LastUpdated": _iso(cached["issued"]), "Type": "AWS-HMAC",
            "AccessKeyId": cached["AccessKeyId"], "SecretAccessKey": cached["SecretAccessKey"],
            "Token": cached["Token"], "Expiration": _iso(cached["expires"]),
        }

    def is_enabled(self) -> bool:
        found = _find_instance(self.instance_id)
        return found is not None and found[2].metadata_options.http_endpoint != "disabled"


def _iso(epoch_seconds: float) -> str:
    return datetime.datetime.fromtimestamp(epoch_seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class MetadataRequestHandler(http.server.BaseHTTPRequestHandler):
    server_version = "EC2ws"
    sys_version = ""
    metadata: InstanceMetadata  # set per server

    def log_message(self, *args) -> None:
        pass

    def _reply(self, status: int, body: str, content_type: str = "text/plain", headers: dict | None = None) -> None:
        encoded = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(encoded)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(encoded)

    def do_PUT(self) -> None:  # noqa: N802 (http.server's naming)
        metadata = self.server.metadata
        if not metadata.is_enabled():
            return self._reply(403, "Forbidden")
        if self.path != TOKEN_PATH:
            return self._reply(404, "Not Found")
        if self.headers.get("X-Forwarded-For") is not None:
            return self._reply(403, "Forbidden")
        ttl = self.headers.get(TOKEN_TTL_HEADER, "")
        if not ttl.isdigit() or not 1 <= int(ttl) <= MAX_TOKEN_TTL_SECONDS:
            return self._reply(400, "Bad Request")
        self._reply(200, metadata.issue_token(int(ttl)), headers={TOKEN_TTL_HEADER: ttl})

    def do_GET(self) -> None:  # noqa: N802
        metadata = self.server.metadata
        if not metadata.is_enabled():
            return self._reply(403, "Forbidden")
        if not metadata.is_valid_token(self.headers.get(TOKEN_HEADER)):
            return self._reply(401, "Unauthorized")
        status, content_type, body = metadata.answer(self.path.split("?", 1)[0])
        self._reply(status, body, content_type)

    def _not_allowed(self) -> None:
        self._reply(405, "Method Not Allowed")

    do_POST = do_DELETE = do_PATCH = do_HEAD = _not_allowed  # noqa: N815


class _MetadataServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, listening: socket.socket, metadata: InstanceMetadata) -> None:
        super().__init__(listening.getsockname(), MetadataRequestHandler, bind_and_activate=False)
        self.socket.close()
        self.socket = listening
        self.metadata = metadata


def _listen_in_namespace(netns_path: str, addresses: list[tuple[str, int]]) -> list[socket.socket]:
    """Listening sockets bound inside the network namespace at `netns_path`. A socket keeps the namespace it was
    made in, so a short-lived thread enters the namespace (setns changes only the calling thread), makes them and
    ends; this process's other threads never leave the host's namespace."""
    made: list[socket.socket] = []
    failure: list[BaseException] = []

    def make() -> None:
        try:
            with open(netns_path) as namespace:
                if _libc.setns(namespace.fileno(), CLONE_NEWNET) != 0:
                    errno = ctypes.get_errno()
                    raise OSError(errno, f"setns({netns_path}) failed")
            for host, port in addresses:
                listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                listening.bind((host, port))
                listening.listen(64)
                made.append(listening)
        except BaseException as error:  # handed to the caller's thread
            failure.append(error)

    worker = threading.Thread(target=make, name="bakery-imds-setns")
    worker.start()
    worker.join()
    if failure:
        for listening in made:
            listening.close()
        raise failure[0]
    return made


class InstanceAttachment:
    """The metadata server of one instance container, listening inside its network namespace."""

    def __init__(self, instance_id: str, netns_path: str) -> None:
        self.instance_id = instance_id
        (listening,) = _listen_in_namespace(netns_path, [(METADATA_ADDRESS, METADATA_PORT)])
        self.listening = listening
        self.server = _MetadataServer(listening, InstanceMetadata(instance_id))
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True, name=f"bakery-imds-{instance_id}")
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self._thread.join(timeout=10)
        try:
            self.listening.close()
        except OSError:
            pass


def _attach(runtime: PodmanRuntime, podman, name: str) -> None:
    """Give the initialized (not yet started) container `name` its metadata address and servers."""
    _detach(name)
    netns_path = podman(runtime, "inspect", "--format", "{{.NetworkSettings.SandboxKey}}", name)
    if not netns_path:
        raise PodmanError(f"container {name} has no network namespace to serve instance metadata in")
    try:
        subprocess.run(["nsenter", f"--net={netns_path}", "ip", "address", "add", f"{METADATA_ADDRESS}/32", "dev", "lo"],
                       check=True, capture_output=True, text=True, timeout=30)
        attachment = InstanceAttachment(name, netns_path)
    except (OSError, subprocess.SubprocessError) as error:
        raise PodmanError(f"instance metadata for {name}: {error}") from error
    with _lock:
        _attachments[name] = attachment


def _detach(name: str) -> None:
    with _lock:
        attachment = _attachments.pop(name, None)
    if attachment is not None:
        attachment.close()


def _value_after(args: tuple[str, ...], option: str) -> str:
    return args[args.index(option) + 1]


def _podman(original):
    @functools.wraps(original)
    def podman(self, *args):
        command = args[0] if args else ""
        if command == "run" and INSTANCE_LABEL in args:
            name = _value_after(args, "--name")
            container_id = original(self, "create", *[arg for arg in args[1:] if arg != "--detach"])
            try:
                original(self, "init", name)
                _attach(self, original, name)
                original(self, "start", name)
            except PodmanError:
                _detach(name)
                original(self, "rm", "--force", "--ignore", name)
                raise
            return container_id
        if command == "start" and len(args) == 2 and _is_instance(self, original, args[1]):
            original(self, "init", args[1])
            _attach(self, original, args[1])
            return original(self, *args)
        if command in ("stop", "rm"):
            _detach(args[-1])
        return original(self, *args)

    return podman


def _is_instance(runtime: PodmanRuntime, podman, name: str) -> bool:
    try:
        return podman(runtime, "inspect", "--format", '{{ index .Config.Labels "bakery.emulator" }}', name) == "instance"
    except PodmanError:
        return False


def close_everything() -> None:
    with _lock:
        names = list(_attachments)
    for name in names:
        _detach(name)


def install() -> None:
    PodmanRuntime._podman = _podman(PodmanRuntime._podman)
