"""Session Manager bakes against the podman-backed emulator: the placeholder SSM agent in the emulator's S3 (where AWS
keeps the real one, amazon-ssm-<region>), the test stand-in for session-manager-plugin, and what the emulator holds of
a Session Manager build (instance profiles, transfer buckets, sessions)."""

from __future__ import annotations

import fcntl
import os
import subprocess
from pathlib import Path

import json

from tests.emulator.extensions.podman_instances import DEBIAN12_IMAGE, runtime
from tests.integration.playbook_runner import REPO_ROOT, VENV_BIN, PlaybookRun, playbook_environment

SESSION_MANAGER_DIR = REPO_ROOT / "tests" / "session_manager"
PLUGIN_STAND_IN = SESSION_MANAGER_DIR / "session-manager-plugin"
BUILD_PLACEHOLDER_AGENT = SESSION_MANAGER_DIR / "build-placeholder-agent.sh"
SSM_LAYERS = REPO_ROOT / "tests" / "integration" / "bake_fixtures" / "layers-ssm.yml"
DEBIAN12_AMI = "ami-0de12a0d640000002"
# The Debian 12 test container has no curl, which the user data would install from Debian's mirror (an apt update,
# about a minute, on every launch): the tests start from that container plus curl, built once per host. make demo takes
# the install path on the Debian 13 base.
DEBIAN12_WITH_CURL = "localhost/bakery-test/debian12-curl:latest"
BUILD_LOCK = Path("/tmp/bakery-test-images.lock")


def debian12_with_curl() -> str:
    with open(BUILD_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not runtime.image_exists(DEBIAN12_WITH_CURL):
            name = "bakery-test-curl-build-%d" % os.getpid()
            install = ("apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends curl "
                       "&& apt-get clean && rm -rf /var/lib/apt/lists/*")
            subprocess.run(["podman", "run", "--name", name, DEBIAN12_IMAGE, "/bin/sh", "-c", install], check=True, capture_output=True, timeout=900)
            try:
                subprocess.run(["podman", "commit", "--quiet", "--change", 'CMD ["/lib/systemd/systemd"]', name, DEBIAN12_WITH_CURL],
                               check=True, capture_output=True, timeout=300)
            finally:
                subprocess.run(["podman", "rm", "--force", name], capture_output=True, check=False)
    return DEBIAN12_WITH_CURL


def placeholder_agent(directory: Path) -> dict:
    """Build the signed placeholder agent; {"deb": path, "sig": path, "key": armored public key, "fingerprint": ...}."""
    fingerprint = subprocess.run([str(BUILD_PLACEHOLDER_AGENT), str(directory)], check=True, capture_output=True, text=True).stdout.split()[-1]
    return {
        "deb": directory / "amazon-ssm-agent.deb",
        "sig": directory / "amazon-ssm-agent.deb.sig",
        "key": (directory / "demo-signer.asc").read_text(),
        "fingerprint": fingerprint,
    }


def publish_agent(aws, agent: dict, region: str = "us-east-1") -> str:
    """Put the agent where AWS keeps it for the region (a public bucket amazon-ssm-<region>); its URL template."""
    s3 = aws.client("s3", region=region)
    bucket = "amazon-ssm-%s" % region
    s3.create_bucket(Bucket=bucket, **({} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}))
    for source, key in ((agent["deb"], "latest/debian_amd64/amazon-ssm-agent.deb"), (agent["sig"], "latest/debian_amd64/amazon-ssm-agent.deb.sig")):
        s3.put_object(Bucket=bucket, Key=key, Body=Path(source).read_bytes(), ACL="public-read")
    return "%s/%s/latest/debian_{arch}/amazon-ssm-agent.deb" % (aws.endpoint_url, bucket)


def ssm_bake_vars(aws, agent: dict, agent_url: str, **extra) -> dict:
    settings = {
        "bake_connection": "amazon.aws.aws_ssm",
        "bake_ssm_agent_deb_url": agent_url,
        "bake_ssm_agent_signing_key": agent["key"],
        "bake_ssm_agent_signing_key_fingerprint": agent["fingerprint"],
        "bake_hygiene_role": "image_hygiene",
    }
    settings.update(extra)
    return settings


def ssm_bake_env() -> dict:
    return {"AWS_SESSION_MANAGER_PLUGIN": str(PLUGIN_STAND_IN)}


def build_instance_profiles(aws) -> list:
    iam = aws.client("iam")
    roles = [role["RoleName"] for role in iam.list_roles(PathPrefix="/bakery-build/")["Roles"]]
    profiles = [profile["InstanceProfileName"] for profile in iam.list_instance_profiles(PathPrefix="/bakery-build/")["InstanceProfiles"]]
    return sorted(set(roles) | set(profiles))


def build_buckets(aws) -> list:
    return sorted(bucket["Name"] for bucket in aws.client("s3").list_buckets()["Buckets"] if bucket["Name"].startswith("bakery-build-"))


def active_sessions(aws, region: str = "us-east-1") -> list:
    return aws.client("ssm", region=region).describe_sessions(State="Active")["Sessions"]


def run_playbook_in(directory, path, aws_env, extra_vars=None, extra_env=None, timeout=1800):
    """``playbook_runner.run_playbook``, but from ``directory``: the playbook paths are absolute, and a run that takes
    minutes (a Session Manager bake) should not hold the repository as its working directory."""
    command = [str(VENV_BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(path)]
    if extra_vars:
        command += ["-e", json.dumps(extra_vars)]
    completed = subprocess.run(command, env=playbook_environment(aws_env, extra_env), capture_output=True, text=True,
                               timeout=timeout, cwd=str(directory))
    start = completed.stdout.find("{")
    try:
        output = json.loads(completed.stdout[start:]) if start >= 0 else None
    except ValueError:
        output = None
    return PlaybookRun(completed, output)
