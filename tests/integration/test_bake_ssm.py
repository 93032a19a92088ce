"""Session Manager bakes (bake_connection: amazon.aws.aws_ssm) against the podman-backed emulator: the real
amazon.aws.aws_ssm connection plugin runs the real roles through the test stand-in for session-manager-plugin, its file
transfers going through the emulator's S3 with presigned URLs fetched by curl inside the builder."""

import subprocess
import threading

import pytest

from tests.emulator.extensions.podman_instances import runtime
from tests.emulator.extensions.ssm_sessions import CREATE_SESSION_USER
from tests.integration.bake_support import (
    BAKE_PLAYBOOK,
    bake_env,
    bake_vars,
    build_workdirs,
    leftovers,
    needs_podman,
    own_images,
    use_podman_instances,
)
from tests.integration.ssm_support import (
    DEBIAN12_AMI,
    SSM_LAYERS,
    active_sessions,
    build_buckets,
    build_instance_profiles,
    debian12_with_curl,
    placeholder_agent,
    publish_agent,
    run_playbook_in,
    ssm_bake_env,
    ssm_bake_vars,
)

pytestmark = needs_podman


@pytest.fixture
def ssm_aws(aws, tmp_path_factory):
    use_podman_instances(aws)
    aws.control.configure(podman_images={DEBIAN12_AMI: debian12_with_curl()}, instance_profile_propagation_seconds=3)
    aws.agent = placeholder_agent(tmp_path_factory.mktemp("placeholder-agent"))
    aws.agent_url = publish_agent(aws, aws.agent)
    yield aws
    aws.control.reset()


class BuilderObserver:
    """Looks at the emulator while a bake runs and keeps what each running builder looked like."""

    def __init__(self, aws):
        self.ec2 = aws.client("ec2")
        self.seen = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=30)

    def _watch(self):
        while not self._stop.wait(1.0):
            try:
                self._look()
            except Exception:  # noqa: BLE001 - a look that races a termination is retried a second later
                continue

    def _look(self):
        reservations = self.ec2.describe_instances(Filters=[{"Name": "tag-key", "Values": ["bakery:build-id"]},
                                                            {"Name": "instance-state-name", "Values": ["running"]}])["Reservations"]
        for instance in [instance for reservation in reservations for instance in reservation["Instances"]]:
            group_ids = [group["GroupId"] for group in instance.get("SecurityGroups", [])]
            groups = self.ec2.describe_security_groups(GroupIds=group_ids)["SecurityGroups"] if group_ids else []
            # A look while the builder is being stopped reads no log: keep the fullest one seen.
            earlier_log = self.seen.get(instance["InstanceId"], {}).get("user_data_log", "")
            user_data_log = self._user_data_log(instance["InstanceId"])
            self.seen[instance["InstanceId"]] = {
                "key_name": instance.get("KeyName"),
                "public_ip": instance.get("PublicIpAddress"),
                "instance_profile": (instance.get("IamInstanceProfile") or {}).get("Arn"),
                "security_groups": group_ids,
                "inbound_rules": [rule for group in groups for rule in group.get("IpPermissions", [])],
                "user_data_log": user_data_log if len(user_data_log) >= len(earlier_log) else earlier_log,
            }

    @staticmethod
    def _user_data_log(instance_id):
        try:
            return runtime.execute(instance_id, "cat", "/var/log/cloud-init-output.log")
        except Exception:  # noqa: BLE001 - not written yet
            return ""


def run_ssm_bake(aws, tmp_path, **extra):
    variables = bake_vars(tmp_path, layers_file=SSM_LAYERS, **ssm_bake_vars(aws, aws.agent, aws.agent_url, **extra))
    return run_playbook_in(tmp_path, BAKE_PLAYBOOK, aws.env, extra_vars=variables, extra_env=dict(bake_env(tmp_path), **ssm_bake_env()))


def newest_image(ec2, layer):
    return sorted(own_images(ec2, **{"bakery:layer": layer}), key=lambda image: image["CreationDate"])[-1]


def test_a_session_manager_bake_has_a_builder_without_key_public_address_or_inbound_rule_and_leaves_nothing(ssm_aws, tmp_path):
    ec2 = ssm_aws.client("ec2")

    with BuilderObserver(ssm_aws) as observer:
        bake = run_ssm_bake(ssm_aws, tmp_path)

    assert bake.succeeded, bake.stdout[-6000:]
    # The builder was seen running, never with a key pair, a public address or an inbound rule, with the build's
    # instance profile; its agent came through the user data, its signature checked.
    assert len(observer.seen) == 1, observer.seen
    builder = list(observer.seen.values())[0]
    assert builder["key_name"] is None and builder["public_ip"] is None, builder
    assert builder["security_groups"] and builder["inbound_rules"] == [], builder
    assert ":instance-profile/bakery-build/" in (builder["instance_profile"] or ""), builder
    assert "installed and started (signature checked: %s)" % ssm_aws.agent["fingerprint"] in builder["user_data_log"], builder
    # Nothing of the build is left: no builder, key pair, security group, instance profile, role, transfer bucket or
    # open session; the working directory is gone.
    assert all(not found["instances"] and not found["key_pairs"] and not found["security_groups"] for found in leftovers(ssm_aws).values())
    assert build_instance_profiles(ssm_aws) == []
    assert build_buckets(ssm_aws) == []
    assert active_sessions(ssm_aws) == []
    assert build_workdirs(tmp_path) == []
    # The layer was applied through the session: its file is in the image, and so is the agent (kept by default).
    child = ec2.run_instances(ImageId=newest_image(ec2, "ssm-000")["ImageId"], MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    assert runtime.execute(child, "cat", "/etc/bakery-ssm-000") == "baked over Session Manager"
    assert runtime.execute(child, "dpkg-query", "--show", "--showformat=${Status}", "amazon-ssm-agent") == "install ok installed"


def test_an_agent_package_not_signed_by_the_expected_key_is_refused_and_the_failed_bake_leaves_nothing(ssm_aws, tmp_path):
    other_signer = "0" * 40

    with BuilderObserver(ssm_aws) as observer:
        bake = run_ssm_bake(ssm_aws, tmp_path, bake_connect_timeout=60, bake_ssm_agent_signing_key_fingerprint=other_signer)

    assert not bake.succeeded
    assert "did not register" in bake.stdout, bake.stdout[-4000:]
    logs = [builder["user_data_log"] for builder in observer.seen.values()]
    assert any("REFUSED: the signature" in log and "not installing" in log for log in logs), logs
    assert all(not found["instances"] and not found["key_pairs"] and not found["security_groups"] for found in leftovers(ssm_aws).values())
    assert build_instance_profiles(ssm_aws) == [] and build_buckets(ssm_aws) == []


HYGIENE_PLAYBOOK = """
- name: Clean the builder for imaging, without its SSM agent
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Add the builder
      ansible.builtin.add_host:
        name: builder
        ansible_connection: podman_pipelined
        ansible_host: "{{ builder_instance_id }}"
        ansible_python_interpreter: /usr/bin/python3
- name: Hygiene
  hosts: builder
  gather_facts: true
  roles:
    - role: bakery.ami.image_hygiene
      image_hygiene_ssm_agent_remove: true
"""


def test_the_hygiene_role_removes_the_agent_without_stopping_it_and_its_image_loses_ssm_user_at_first_boot(ssm_aws, tmp_path):
    ec2 = ssm_aws.client("ec2")
    builder = ec2.run_instances(ImageId=DEBIAN12_AMI, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    # The builder as a Session Manager bake leaves it: the agent installed and running, ssm-user made by a session.
    subprocess.run(["podman", "cp", str(ssm_aws.agent["deb"]), "%s:/root/amazon-ssm-agent.deb" % builder], check=True)
    runtime.execute(builder, "sh", "-c", "dpkg -i /root/amazon-ssm-agent.deb && rm /root/amazon-ssm-agent.deb && systemctl enable --now amazon-ssm-agent")
    runtime.execute(builder, "/bin/sh", "-c", CREATE_SESSION_USER)
    playbook = tmp_path / "hygiene.yml"
    playbook.write_text(HYGIENE_PLAYBOOK)

    run = run_playbook_in(tmp_path, playbook, ssm_aws.env, extra_vars={"builder_instance_id": builder})

    assert run.succeeded, run.stdout[-4000:]
    package = runtime.execute(builder, "sh", "-c", "dpkg-query --show --showformat='${Status}' amazon-ssm-agent 2>/dev/null || echo absent")
    assert package in ("absent", "unknown ok not-installed")
    # The agent that carries a bake's session was not stopped by the removal.
    assert runtime.execute(builder, "systemctl", "is-active", "amazon-ssm-agent") == "active"
    image_id = ec2.create_image(InstanceId=builder, Name="hygiene-ssm-000")["ImageId"]
    child = ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    runtime.wait_for_boot(child)
    assert runtime.execute(child, "sh", "-c", "id ssm-user >/dev/null 2>&1 && echo present || echo absent") == "absent"
    assert runtime.execute(child, "sh", "-c", "ls /etc/sudoers.d/ssm-agent-users /var/lib/amazon/ssm 2>/dev/null | wc -l") == "0"
    assert runtime.execute(child, "sh", "-c", "systemctl is-active amazon-ssm-agent || true") != "active"
