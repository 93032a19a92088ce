"""The execution environment runs the bake playbook the way AWX / Automation Controller does: ansible-runner starts
the EE image with podman (process isolation), the job's project (playbooks + a tiny test layer) is mounted at
/runner/project, and bakery.ami itself (modules, roles, filters) comes from inside the image.

Against the emulator on the host: the EE container shares the host network (the emulator listens on 127.0.0.1) and
reaches the host's podman through its API socket (`podman system service`), because the emulator's builder
"instances" are podman containers on the host. The test image (tests/ee/Containerfile.emulator) adds only the podman
client and containers.podman to the product EE. Build both first: tests/ee/build-ee.sh.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.ee.job_templates import job_artifacts, job_template, launch_extra_vars, survey_defaults

REPO_ROOT = Path(__file__).resolve().parents[2]
EE_TEST_IMAGE = os.environ.get("BAKERY_EE_TEST_IMAGE", "localhost/bakery/ee-emulator:latest")
HERE = Path(__file__).resolve().parent
SOCKET_DIR_IN_EE = "/run/bakery-podman"  # CONTAINER_HOST of the test image points here


def _image_exists(image):
    return subprocess.run(["podman", "image", "exists", image], check=False).returncode == 0


pytestmark = pytest.mark.skipif(
    shutil.which("podman") is None or not _image_exists(EE_TEST_IMAGE),
    reason="needs rootful podman and %s (tests/ee/build-ee.sh)" % EE_TEST_IMAGE,
)


@pytest.fixture(scope="module")
def podman_socket_dir(tmp_path_factory):
    """The host's podman API on a private socket, for the EE container's podman client."""
    directory = tmp_path_factory.mktemp("podman-api")
    socket = directory / "podman.sock"
    service = subprocess.Popen(
        ["podman", "system", "service", "--time=0", "unix://%s" % socket],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # The service either listens on the socket or exits with an error: however slowly it starts, one of them ends
    # the wait.
    while not socket.exists():
        assert service.poll() is None, "podman system service exited with %s before making its socket" % service.returncode
        time.sleep(0.1)
    # The EE runs as its default non-root user (uid 1000), as in AWX.
    directory.chmod(0o755)
    socket.chmod(0o666)
    yield directory
    service.terminate()
    try:
        service.wait(timeout=15)
    except subprocess.TimeoutExpired:
        service.kill()
        service.wait()


@pytest.fixture
def job_private_data_dir(tmp_path):
    """An AWX-like job directory: project = the repository's playbooks, the test layer file and its role."""
    private = tmp_path / "job"
    project = private / "project"
    shutil.copytree(REPO_ROOT / "playbooks", project, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(HERE / "roles", project / "roles")
    shutil.copy(HERE / "layers-ee.yml", project / "layers-ee.yml")
    for path in [private, *private.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    return private


def test_bake_playbook_runs_inside_the_execution_environment_through_ansible_runner(
    aws, podman_socket_dir, job_private_data_dir
):
    import ansible_runner

    aws.control.configure(podman_instances=True)
    template = job_template("bakery.ami bake")
    # The job template's extra vars and survey defaults, with one answer changed: the first layer only (one builder;
    # the default, the whole chain, builds four). The rest points the bake at the emulator and the test layers.
    extra_vars = launch_extra_vars(
        template,
        {
            "bake_layer": "web-server-000",
            "bake_layers_file": "/runner/project/layers-ee.yml",
            "bake_connection": "containers.podman.podman",
            "bake_hygiene_role": "",
            "bake_poll_interval": 1,
            "bake_connect_timeout": 120,
            "bake_manifest_path": "/runner/project/bake-manifest.json",
        },
    )

    run = ansible_runner.run(
        private_data_dir=str(job_private_data_dir),
        playbook="bake.yml",
        inventory="localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3",
        extravars=extra_vars,
        envvars={**aws.env, "ANSIBLE_ROLES_PATH": "/runner/project/roles", "ANSIBLE_NOCOLOR": "1"},
        process_isolation=True,
        process_isolation_executable="podman",
        container_image=EE_TEST_IMAGE,
        container_options=["--network=host"],
        container_volume_mounts=["%s:%s" % (podman_socket_dir, SOCKET_DIR_IN_EE)],
        quiet=True,
        verbosity=int(os.environ.get("BAKERY_EE_VERBOSITY", "0")),
        timeout=600,
    )
    output = run.stdout.read()

    assert (run.status, run.rc) == ("successful", 0), output[-6000:]
    command = json.loads((Path(run.config.artifact_dir) / "command").read_text())["command"]
    assert command[:2] == ["podman", "run"] and EE_TEST_IMAGE in command

    manifest = json.loads((job_private_data_dir / "project" / "bake-manifest.json").read_text())
    image_id = manifest["layers"]["web-server-000"]["us-east-1"]
    image = aws.client("ec2").describe_images(ImageIds=[image_id])["Images"][0]
    tags = {tag["Key"]: tag["Value"] for tag in image.get("Tags", [])}
    assert set(survey_defaults(template)) <= set(extra_vars)
    assert image["State"] == "available"
    assert tags["bakery:layer"] == "web-server-000"
    assert tags["bakery:base-image"].endswith("ami-0de12a0d640000002")
    # What AWX hands the next workflow nodes (set_stats, reported from inside the EE): the manifest the file holds.
    assert job_artifacts(run)["bake_manifest"] == manifest

    # The layer's role ran on the builder from inside the EE: the committed image holds its marker.
    marker = subprocess.run(
        ["podman", "run", "--rm", "localhost/bakery-emulator/%s:latest" % image_id, "cat", "/etc/bakery-000"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert marker.stdout.strip() == "zero", marker.stderr
