"""The AWS side of the rails_app Molecule scenario, on the local emulator (tests/emulator), run from the repository root.

  emulator_fixtures.py start STATE_FILE   start an emulator on a free loopback port, upload the test application
                                          (tests/rails_app) as a release archive to S3, and store its configuration
                                          in SSM Parameter Store and Secrets Manager with fresh random secrets;
                                          STATE_FILE (mode 0600) tells converge and verify the port, the archive's
                                          SHA-256 and the secret values
  emulator_fixtures.py stop STATE_FILE    stop that emulator

The container reaches the host's loopback as 10.0.2.2 (slirp4netns allow_host_loopback, molecule.yml).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import socket
import subprocess
import sys
import tarfile
from pathlib import Path

import boto3

APPLICATION = Path("tests/rails_app")
BUCKET = "bakery-molecule-releases"
PARAMETER_PATH = "/bakeryapp/production"
SECRET_ID = "bakeryapp/production"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def release_archive() -> bytes:
    """The application as a release archive with a top directory (as `git archive --prefix=bakeryapp/` makes)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(APPLICATION.rglob("*")):
            if path.is_file():
                archive.add(path, arcname=f"bakeryapp/{path.relative_to(APPLICATION)}")
    return buffer.getvalue()


def start(state_file: Path) -> int:
    stop(state_file)
    port = free_port()
    pidfile = state_file.with_suffix(".pid")
    subprocess.run([sys.executable, "-m", "tests.emulator", "start", "--port", str(port), "--pidfile", str(pidfile)],
                   check=True)
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    endpoint = f"http://127.0.0.1:{port}"
    s3, ssm, secretsmanager = (session.client(service, endpoint_url=endpoint) for service in ("s3", "ssm", "secretsmanager"))

    archive = release_archive()
    key = f"bakeryapp/{hashlib.sha256(archive).hexdigest()[:12]}.tar.gz"
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=key, Body=archive)

    values = {
        "SECRET_KEY_BASE": secrets.token_hex(64),
        "DATABASE_URL": f"postgres://bakeryapp:{secrets.token_urlsafe(24)}@db.invalid:5432/bakeryapp",
        "APP_BANNER": f"configured from SSM at boot {secrets.token_hex(4)}",
    }
    for name, value in values.items():
        ssm.put_parameter(Name=f"{PARAMETER_PATH}/{name}", Value=value,
                          Type="String" if name == "APP_BANNER" else "SecureString")
    secret_value = secrets.token_urlsafe(32)
    secretsmanager.create_secret(Name=SECRET_ID, SecretString=json.dumps({"PAYMENT_API_TOKEN": secret_value}))

    state = {
        "port": port,
        "pidfile": str(pidfile.resolve()),
        "archive_url": f"s3://{BUCKET}/{key}",
        "archive_sha256": hashlib.sha256(archive).hexdigest(),
        "parameter_path": PARAMETER_PATH,
        "secret_id": SECRET_ID,
        "values": {**values, "PAYMENT_API_TOKEN": secret_value},
        # What must never be found in the image: every secret value (the banner is configuration, not a secret).
        "secret_values": [values["SECRET_KEY_BASE"], values["DATABASE_URL"], secret_value],
    }
    descriptor = os.open(state_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(state, handle)
    print(f"emulator on 127.0.0.1:{port}; release {state['archive_url']} ({state['archive_sha256'][:12]})")
    return 0


def stop(state_file: Path) -> int:
    pidfile = state_file.with_suffix(".pid")
    if pidfile.exists():
        subprocess.run([sys.executable, "-m", "tests.emulator", "stop", "--pidfile", str(pidfile)], check=False)
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    return {"start": start, "stop": stop}[argv[0]](Path(argv[1]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
