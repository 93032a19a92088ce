import socket
import subprocess
import sys
from pathlib import Path

import boto3

REPO_ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tests.emulator", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=90
    )


def test_start_serves_until_stop(tmp_path):
    port = free_port()
    pidfile = tmp_path / "emulator.pid"
    started = cli("start", "--port", str(port), "--pidfile", str(pidfile), "--pending-seconds", "1")
    try:
        assert started.returncode == 0, started.stderr
        assert pidfile.exists()
        ec2 = boto3.client(
            "ec2", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}",
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )
        assert ec2.describe_images(Owners=["136693071363"])["Images"]
    finally:
        stopped = cli("stop", "--pidfile", str(pidfile))
    assert stopped.returncode == 0, stopped.stderr
    assert not pidfile.exists()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_stop_without_pidfile_is_a_no_op(tmp_path):
    assert cli("stop", "--pidfile", str(tmp_path / "none.pid")).returncode == 0
