#!/usr/bin/env bash
# make demo: bake web-server-000 → 001 → 002 → 003 → 004 (the Rails application) for real (podman-backed instances of
# the local AWS emulator), copy to 3 regions, share with 2 accounts, show the summary; re-run (every layer a cache
# hit); launch the final image with an instance profile: it reads its configuration from SSM at boot, Puma answers
# /up and Sidekiq runs a job on the image's Redis; ask the software inside it; roll web-server-003 out to an Auto Scaling group in 3 regions (instance refresh); run
# the scheduled patch job (nothing new: nothing launched); bake one more layer over Session Manager (no key pair, no
# inbound rule, no public address; the agent installed at boot, signature checked). Run from the repository root (the
# Makefile does).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
venv_bin="$root/.venv/bin"
port="${BAKERY_DEMO_PORT:-4566}"
build_dir="$root/.build/demo"
pidfile="$build_dir/emulator.pid"
apt_cache="${BAKERY_APT_CACHE_DIR:-/var/cache/bakery/apt-archives}"
mkdir -p "$build_dir" "$build_dir/cwagent"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "AWS here is a local emulator (moto + podman-backed instances on 127.0.0.1:$port); against a real account run the same playbook without AWS_ENDPOINT_URL and bake_connection: ansible-playbook bakery.ami.bake"

say "Host setup: podman, runc and the Debian 13 / Debian 12 base images (tests/molecule/setup-host.sh)"
if [[ $EUID -eq 0 ]]; then
  "$root/tests/molecule/setup-host.sh"
else
  sudo "$root/tests/molecule/setup-host.sh"
fi
mkdir -p "$apt_cache/partial"

export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export ANSIBLE_COLLECTIONS_PATH="$root/.collections" ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_PYTHON_INTERPRETER="$venv_bin/python" ANSIBLE_INVENTORY_UNPARSED_WARNING=false
# podman_pipelined (the emulator's instances, one podman exec per module): tests/connection_plugins.
export ANSIBLE_CONNECTION_PLUGINS="$root/tests/connection_plugins"
export PATH="$venv_bin:$PATH"

# The application the last layer bakes: tests/rails_app as a git repository at one commit, mounted read-only into
# every instance. Fixed author, committer and dates: the same files give the same commit id, so a re-run is a cache hit.
app_source="$build_dir/rails-app-source"
app_repo="$build_dir/rails-app.git"
rm -rf "$app_source" && mkdir -p "$app_source" && cp -a tests/rails_app/. "$app_source/"
(
  cd "$app_source"
  export GIT_AUTHOR_NAME="bakery.ami demo" GIT_AUTHOR_EMAIL="demo@example.invalid" GIT_AUTHOR_DATE="2026-01-01T00:00:00Z"
  export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL" GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"
  git init -q -b main . && git add -A && git -c commit.gpgsign=false commit -q -m "bakery.ami test application"
)
app_ref=$(git -C "$app_source" rev-parse HEAD)
rm -rf "$app_repo" && git clone -q --bare "$app_source" "$app_repo"

say "Starting the emulator"
"$venv_bin/python" -m tests.emulator stop --pidfile "$pidfile" >/dev/null 2>&1 || true
"$venv_bin/python" -m tests.emulator start --port "$port" --pidfile "$pidfile" --podman-instances \
  --podman-volume "$apt_cache:/var/cache/apt/archives" --podman-volume "$build_dir/cwagent:/srv/bakery-demo-cwagent:ro" \
  --podman-volume "$app_repo:/srv/bakery-demo-app.git:ro"
stop_emulator() { "$venv_bin/python" -m tests.emulator stop --pidfile "$pidfile" >/dev/null 2>&1 || true; }
trap stop_emulator EXIT

# Sharing encrypted images needs a customer managed KMS key in every region (the AWS managed aws/ebs key cannot be shared).
"$venv_bin/python" - <<'PY'
import boto3
for region in ("us-east-1", "eu-west-1", "ap-southeast-2"):
    kms = boto3.client("kms", region_name=region)
    key_id = kms.create_key(Description="bakery demo images")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/bakery-images", TargetKeyId=key_id)
PY

# No AWS download host is reachable here: the CloudWatch agent layer installs a locally built PLACEHOLDER .deb
# (same package name, paths and unit, no agent inside), signed with a DEMO key made here. The role takes its real path:
# it fetches the key, trusts it only by the fingerprint given, verifies the package's signature, then installs. The
# files reach the builders through a read-only volume; against AWS the role downloads AWS's package, signature and key,
# and trusts AWS's documented fingerprint (roles/cloudwatch_agent/defaults/main.yml).
cwagent_dir="$build_dir/cwagent"
placeholder_deb="$cwagent_dir/amazon-cloudwatch-agent.deb"
demo_keyring="$build_dir/demo-signer-gnupg"
if [[ ! -f "$placeholder_deb.sig" ]]; then
  rm -rf "$cwagent_dir" "$demo_keyring"
  mkdir -p "$cwagent_dir"
  mkdir -m 0700 "$demo_keyring"
  pkg="$build_dir/placeholder-cwagent"
  rm -rf "$pkg"
  mkdir -p "$pkg/DEBIAN" "$pkg/opt/aws/amazon-cloudwatch-agent/bin" "$pkg/opt/aws/amazon-cloudwatch-agent/etc" \
    "$pkg/opt/aws/amazon-cloudwatch-agent/logs" "$pkg/etc/systemd/system"
  printf 'Package: amazon-cloudwatch-agent\nVersion: 1.300000.0-placeholder\nArchitecture: all\nMaintainer: bakery.ami demo <demo@example.invalid>\nDescription: PLACEHOLDER for the Amazon CloudWatch agent (demo only, no agent inside)\n' > "$pkg/DEBIAN/control"
  printf '#!/bin/sh\ngetent passwd cwagent >/dev/null || useradd --system --no-create-home --shell /usr/sbin/nologin cwagent\n' > "$pkg/DEBIAN/postinst"
  printf '#!/bin/sh\necho "placeholder CloudWatch agent" >&2\nexec sleep infinity\n' > "$pkg/opt/aws/amazon-cloudwatch-agent/bin/start-amazon-cloudwatch-agent"
  chmod 0755 "$pkg/DEBIAN/postinst" "$pkg/opt/aws/amazon-cloudwatch-agent/bin/start-amazon-cloudwatch-agent"
  printf '[Unit]\nDescription=Amazon CloudWatch Agent (placeholder)\n[Service]\nExecStart=/opt/aws/amazon-cloudwatch-agent/bin/start-amazon-cloudwatch-agent\n[Install]\nWantedBy=multi-user.target\n' \
    > "$pkg/etc/systemd/system/amazon-cloudwatch-agent.service"
  dpkg-deb --build --root-owner-group "$pkg" "$placeholder_deb" >/dev/null
  gpg --homedir "$demo_keyring" --batch --pinentry-mode loopback --passphrase '' \
    --quick-generate-key 'bakery demo signer (demo only) <demo-signer@example.invalid>' ed25519 sign never 2>/dev/null
  gpg --homedir "$demo_keyring" --batch --export > "$cwagent_dir/demo-signer.gpg"
  gpg --homedir "$demo_keyring" --batch --detach-sign --output "$placeholder_deb.sig" "$placeholder_deb"
fi
demo_signer_fingerprint=$(gpg --homedir "$demo_keyring" --batch --with-colons --list-keys | awk -F: '$1 == "fpr" {print $10; exit}')

# The application's configuration, where its instances read it at boot (never in the image): SSM Parameter Store in
# every region it runs in, SecureStrings for the secrets; and the instance profile they read it with.
"$venv_bin/python" - <<'PY'
import json, secrets
import boto3
for region in ("us-east-1", "eu-west-1", "ap-southeast-2"):
    ssm = boto3.client("ssm", region_name=region)
    for name, value, kind in (
        ("SECRET_KEY_BASE", secrets.token_hex(64), "SecureString"),
        ("DATABASE_URL", "postgres://myapp:%s@db.invalid:5432/myapp" % secrets.token_urlsafe(18), "SecureString"),
        ("APP_BANNER", "configured at boot from SSM Parameter Store (%s)" % region, "String"),
    ):
        ssm.put_parameter(Name="/myapp/production/" + name, Value=value, Type=kind, Overwrite=True)
iam = boto3.client("iam")
iam.create_role(RoleName="myapp-instance", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
iam.create_instance_profile(InstanceProfileName="myapp")
iam.add_role_to_instance_profile(InstanceProfileName="myapp", RoleName="myapp-instance")
PY

demo_vars="$build_dir/demo-vars.json"
cat > "$demo_vars" <<JSON
{
  "bake_connection": "podman_pipelined",
  "bake_copy_regions": ["eu-west-1", "ap-southeast-2"],
  "bake_kms_key_id": "alias/bakery-images",
  "bake_share_accounts": ["111122223333", "444455556666"],
  "bake_manifest_path": "$build_dir/bake-manifest.json",
  "bake_publish_parameter": true,
  "cloudwatch_agent_deb_url": "file:///srv/bakery-demo-cwagent/amazon-cloudwatch-agent.deb",
  "cloudwatch_agent_signing_key_url": "file:///srv/bakery-demo-cwagent/demo-signer.gpg",
  "cloudwatch_agent_signing_key_fingerprint": "$demo_signer_fingerprint",
  "rails_app_release_git_repo": "file:///srv/bakery-demo-app.git",
  "rails_app_release_git_ref": "$app_ref",
  "rails_app_bundle_deployment": false,
  "rails_app_bundle_frozen": false,
  "rails_app_system_packages": ["ruby-rails", "ruby-rails-propshaft", "puma", "ruby-sidekiq", "ruby-pg"],
  "rails_app_aws_environment": {"AWS_ENDPOINT_URL": "http://127.0.0.1:$port"}
}
JSON

# web-server-004 is optional (its release is the user's to give): named, it is baked with its whole chain.
bake() { ansible-playbook playbooks/bake.yml -e "@$demo_vars" -e bake_layer=web-server-004 "$@"; }

say "Bake #1: web-server-000 → 001 → 002 → 003 → 004 (real packages and the application into layered images)"
start=$(date +%s)
bake | tee "$build_dir/bake-1.log" | grep --line-buffered -E '^(TASK|PLAY|ok:|changed:|fatal:|failed:)|"msg"|  "layer|^        "' || true
first_seconds=$(( $(date +%s) - start ))
grep -q 'failed=0' "$build_dir/bake-1.log" && ! grep -qE 'failed=[1-9]' "$build_dir/bake-1.log" || { echo "bake #1 failed, see $build_dir/bake-1.log"; exit 1; }

say "Bake #2: nothing changed, so every layer is a cache hit"
curl -s -X DELETE "http://127.0.0.1:$port/_bakery/calls" >/dev/null
start=$(date +%s)
bake > "$build_dir/bake-2.log"
second_seconds=$(( $(date +%s) - start ))
! grep -qE 'failed=[1-9]' "$build_dir/bake-2.log" || { echo "bake #2 failed, see $build_dir/bake-2.log"; exit 1; }
grep -E 'cache hit|^        "' "$build_dir/bake-2.log" | sed 's/^ *//'
calls=$(curl -s "http://127.0.0.1:$port/_bakery/calls" | "$venv_bin/python" -c 'import json,sys; d=json.load(sys.stdin); c=d["calls"]; print("%d API calls, %d mutating: %s" % (len(c), sum(x["mutating"] for x in c), d["counts"]))')

say "Summary (manifest: $build_dir/bake-manifest.json)"
"$venv_bin/python" - "$build_dir/bake-manifest.json" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
print("%-15s %-15s %-22s %-22s %-13s %s" % ("layer", "region", "ami", "parent", "recipe", "seconds"))
for build in manifest["builds"]:
    for region, image_id in sorted(build["image_ids"].items()):
        print("%-15s %-15s %-22s %-22s %-13s %s" % (build["layer"], region, image_id, build["parent_image"].split("/")[-1],
                                                   build["recipe_hash"][:12], build["seconds"]))
PY
echo "bake #1: ${first_seconds}s   bake #2 (all cache hits): ${second_seconds}s, $calls"

say "Launching web-server-004 (instance profile myapp, IMDSv2 only) and asking the software inside it"
# The CloudWatch agent reached the image through the signature-verified path: the bake ran its key and signature checks.
for task in "Trust the signing key only if it is AWS's" "Refuse a package whose signature is not a good one by AWS's key" \
            "Install the verified agent package"; do
  grep -A1 -F "cloudwatch_agent : $task]" "$build_dir/bake-1.log" | grep -qE '^(ok|changed): ' \
    || { echo "bake #1 did not pass '$task', see $build_dir/bake-1.log"; exit 1; }
done
echo "CloudWatch agent: key fingerprint checked (${demo_signer_fingerprint}), signature verified, package installed (bake-1.log)"
"$venv_bin/python" - "$build_dir/bake-manifest.json" <<'PY'
import json, re, subprocess, sys, time
import boto3
manifest = json.load(open(sys.argv[1]))
# The bake published /bakery/<layer>/latest in every region: launch what the parameter names, as a launch template would.
image_id = boto3.client("ssm", region_name="eu-west-1").get_parameter(Name="/bakery/web-server-004/latest")["Parameter"]["Value"]
assert image_id == manifest["layers"]["web-server-004"]["eu-west-1"], (image_id, manifest["layers"]["web-server-004"])
ec2 = boto3.client("ec2", region_name="eu-west-1")
# The instance profile's credentials reach the instance through IMDSv2 (tests/emulator/extensions/instance_metadata.py):
# no key is baked into the image nor handed to the instance.
instance_id = ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1, InstanceType="t3.small",
                                IamInstanceProfile={"Name": "myapp"},
                                MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"})["Instances"][0]["InstanceId"]
print("launched %s from %s (eu-west-1 copy of web-server-004, read from SSM /bakery/web-server-004/latest)" % (instance_id, image_id))
subprocess.run(["podman", "exec", instance_id, "systemctl", "is-system-running", "--wait"], check=False, capture_output=True)
# command, what the default chain on Debian 13 must answer
checks = (
    (". /etc/os-release && echo $PRETTY_NAME", r"Debian GNU/Linux 13"),
    ("ruby -v", r"^ruby 3\.3\."),
    ("node -v", r"^v20\."),
    ("psql --version", r"^psql \(PostgreSQL\) 17\."),
    ("redis-cli ping", r"^PONG$"),
    ("convert -version | head -n1", r"ImageMagick 7\."),
    ("dpkg-query --show --showformat='${Package} ${Version} ${Status}' amazon-cloudwatch-agent",
     r"^amazon-cloudwatch-agent \S+ install ok installed$"),
    ("systemctl is-enabled amazon-cloudwatch-agent", r"^enabled$"),
)
failed = []


def check(command, expected):
    answer = subprocess.run(["podman", "exec", instance_id, "sh", "-c", command], capture_output=True, text=True)
    text = (answer.stdout or answer.stderr).strip()
    first_line = text.splitlines()[0] if text else ""
    verdict = "ok" if re.search(expected, first_line) else "UNEXPECTED"
    if verdict != "ok":
        failed.append(command)
    print("  $ %-45s %-70s %s" % (command[:45], first_line[:70], verdict))


for command, expected in checks:
    check(command, expected)

def inside(*command, **options):
    return subprocess.run(["podman", "exec", instance_id, *command], capture_output=True, text=True, **options)


# Rails boots only once the configuration unit has read SECRET_KEY_BASE and DATABASE_URL from SSM (its initializer
# refuses to start without them). A boot on a busy host can take minutes.
ASK = "import sys, urllib.request; answer = urllib.request.urlopen('http://127.0.0.1:3000' + sys.argv[1], timeout=10); print(answer.status); print(answer.read().decode())"
deadline = time.monotonic() + 600
while True:
    up = inside("python3", "-c", ASK, "/up")
    if up.stdout.startswith("200") or time.monotonic() > deadline:
        break
    time.sleep(3)
page = inside("python3", "-c", ASK, "/")
banner = re.search(r'class="banner">([^<]*)<', page.stdout)
print("  GET /up -> %s   GET / -> banner %r" % (up.stdout.split(chr(10), 1)[0] or up.stderr.strip()[-200:], banner.group(1) if banner else None))
if not up.stdout.startswith("200"):
    failed.append("/up")
    print(inside("journalctl", "--no-pager", "-n", "40", "-u", "myapp-config", "-u", "myapp-puma").stdout)
if not banner or "from SSM Parameter Store (eu-west-1)" not in banner.group(1):
    failed.append("configuration from SSM")
# Once Puma answers, the boot is through: on a loaded host `is-system-running --wait` can return before the
# configuration unit has finished (systemd's bus not answering yet), so the units' states are read only now.
check("systemctl is-active myapp-config myapp-puma myapp-sidekiq | tr '\\n' ' '", r"^active active active$")

# A job through Sidekiq's client, processed by the Sidekiq of the image against the image's Redis (layer 001).
token = "demo-%d" % time.time()
enqueued = inside("sh", "-c", "cd /srv/myapp/current && runuser -u myapp -- env REDIS_URL=redis://127.0.0.1:6379/0 "
                              "HOME=/srv/myapp bundle exec bin/enqueue-heartbeat " + token)
record = ""
deadline = time.monotonic() + 120
while enqueued.returncode == 0 and not record and time.monotonic() < deadline:
    record = inside("redis-cli", "GET", "heartbeat:" + token).stdout.strip()
    time.sleep(1)
# The client prints Sidekiq's log line, then the job id; the record's digests (tests/rails_app) are for the Molecule verify.
job_id = (enqueued.stdout.strip().splitlines() or [enqueued.stderr.strip()[-200:]])[-1]
shown = {key: value for key, value in json.loads(record).items() if key != "configuration_digests"} if record else "NOT PROCESSED"
print("  Sidekiq job %s (jid %s) -> %s" % (token, job_id, shown))
if not record:
    failed.append("Sidekiq job")

ec2.terminate_instances(InstanceIds=[instance_id])
if failed:
    sys.exit("the baked image does not hold what the default chain promises: %s" % failed)
PY
say "Rollout: web-production (a launch template group in each of the 3 regions, on the Debian base) → web-server-003"
"$venv_bin/python" - <<'PY'
import boto3
for region in ("us-east-1", "eu-west-1", "ap-southeast-2"):
    ec2, autoscaling = boto3.client("ec2", region_name=region), boto3.client("autoscaling", region_name=region)
    base = ec2.describe_images(Owners=["136693071363"], Filters=[{"Name": "name", "Values": ["debian-12-amd64-*"]}])["Images"]
    base_id = sorted(base, key=lambda image: image["CreationDate"])[-1]["ImageId"]
    template = ec2.create_launch_template(LaunchTemplateName="web-production", LaunchTemplateData={
        "ImageId": base_id, "InstanceType": "t3.small", "MetadataOptions": {"HttpTokens": "required"}})["LaunchTemplate"]
    autoscaling.create_auto_scaling_group(AutoScalingGroupName="web-production", MinSize=1, MaxSize=2, DesiredCapacity=1,
        LaunchTemplate={"LaunchTemplateId": template["LaunchTemplateId"], "Version": "1"}, AvailabilityZones=[region + "a"])
    print("%s: web-production runs %s" % (region, base_id))
PY
start=$(date +%s)
ansible-playbook playbooks/rollout.yml -e "rollout_manifest=$build_dir/bake-manifest.json" -e rollout_layer=web-server-003 \
  -e '{"rollout_groups": ["web-production"], "rollout_instance_refresh": {"min_healthy_percentage": 0, "instance_warmup": 0}}' \
  > "$build_dir/rollout.log" || { tail -40 "$build_dir/rollout.log"; echo "rollout failed, see $build_dir/rollout.log"; exit 1; }
rollout_seconds=$(( $(date +%s) - start ))
"$venv_bin/python" - "$build_dir/bake-manifest.json" <<'PY'
import json, sys
import boto3
manifest = json.load(open(sys.argv[1]))
for region in ("us-east-1", "eu-west-1", "ap-southeast-2"):
    ec2, autoscaling = boto3.client("ec2", region_name=region), boto3.client("autoscaling", region_name=region)
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["web-production"])["AutoScalingGroups"][0]
    instance_ids = [instance["InstanceId"] for instance in group["Instances"]]
    images = sorted({instance["ImageId"] for reservation in ec2.describe_instances(InstanceIds=instance_ids)["Reservations"]
                     for instance in reservation["Instances"]}) if instance_ids else []
    expected = manifest["layers"]["web-server-003"][region]
    print("%s: web-production instances %s run %s (web-server-003 here: %s)" % (region, instance_ids, images, expected))
    if images != [expected]:
        sys.exit("the rollout did not reach %s" % region)
PY

say "Scheduled patch run: the images have seen Debian's current security feed, so nothing is launched"
curl -s -X DELETE "http://127.0.0.1:$port/_bakery/calls" >/dev/null
start=$(date +%s)
ansible-playbook playbooks/patch.yml -e "@$demo_vars" > "$build_dir/patch.log" || { tail -40 "$build_dir/patch.log"; exit 1; }
patch_seconds=$(( $(date +%s) - start ))
grep -E 'nothing to patch|patching ami|re-bake on' "$build_dir/patch.log" | sed 's/^ *"msg": //' || true
patch_calls=$(curl -s "http://127.0.0.1:$port/_bakery/calls" | "$venv_bin/python" -c 'import json,sys; d=json.load(sys.stdin); c=d["calls"]; print("%d API calls, %d mutating" % (len(c), sum(x["mutating"] for x in c)))')

say "Bake over Session Manager: ssm-demo-000 (Redis on Debian 13) with no key pair, no inbound rule, no public address"
# The builder gets the SSM agent at boot (user data: curl and gpgv from Debian's mirror, then the agent from the
# region's amazon-ssm-<region> bucket, installed only if its signature is a good one by the expected key). No AWS
# download host is reachable here: the package is a PLACEHOLDER (no agent inside) signed with a DEMO key, put where AWS
# keeps the real one in the emulator's S3. The controller side of the session is tests/session_manager/
# session-manager-plugin, a TEST-ONLY stand-in for AWS's plugin (it carries the session into the builder's container);
# everything else is the real amazon.aws.aws_ssm connection plugin, its files going through the emulator's S3.
ssm_agent_dir="$build_dir/ssm-agent"
ssm_fingerprint=$("$root/tests/session_manager/build-placeholder-agent.sh" "$ssm_agent_dir" | tail -n1)
"$venv_bin/python" - "$ssm_agent_dir" <<'PY'
import sys
from pathlib import Path
import boto3
s3 = boto3.client("s3", region_name="us-east-1")
s3.create_bucket(Bucket="amazon-ssm-us-east-1")
for name in ("amazon-ssm-agent.deb", "amazon-ssm-agent.deb.sig"):
    s3.put_object(Bucket="amazon-ssm-us-east-1", Key="latest/debian_amd64/" + name, Body=(Path(sys.argv[1]) / name).read_bytes(), ACL="public-read")
PY
ssm_layers="$build_dir/ssm-layers.yml"
cat > "$ssm_layers" <<'YAML'
bake_base_images:
  debian13: {name: debian-13-amd64-*, owners: ["136693071363"], architecture: x86_64, ssh_user: admin}
bake_layers:
  - name: ssm-demo-000
    description: Redis, baked through Session Manager
    base: debian13
    roles: [redis]
YAML
ssm_vars="$build_dir/ssm-vars.json"
"$venv_bin/python" - "$ssm_vars" "$ssm_layers" "$ssm_agent_dir" "$ssm_fingerprint" "$AWS_ENDPOINT_URL" "$build_dir" <<'PY'
import json, sys
from pathlib import Path
path, layers, agent_dir, fingerprint, endpoint, build_dir = sys.argv[1:]
json.dump({
    "bake_connection": "amazon.aws.aws_ssm",
    "bake_layers_file": layers,
    "bake_manifest_path": build_dir + "/ssm-manifest.json",
    "bake_ssm_agent_deb_url": endpoint + "/amazon-ssm-us-east-1/latest/debian_{arch}/amazon-ssm-agent.deb",
    "bake_ssm_agent_signing_key": (Path(agent_dir) / "demo-signer.asc").read_text(),
    "bake_ssm_agent_signing_key_fingerprint": fingerprint,
}, open(path, "w"))
PY
curl -s -X DELETE "http://127.0.0.1:$port/_bakery/calls" >/dev/null
start=$(date +%s)
AWS_SESSION_MANAGER_PLUGIN="$root/tests/session_manager/session-manager-plugin" \
  ansible-playbook playbooks/bake.yml -e "@$ssm_vars" > "$build_dir/bake-ssm.log" \
  || { tail -40 "$build_dir/bake-ssm.log"; echo "the Session Manager bake failed, see $build_dir/bake-ssm.log"; exit 1; }
ssm_seconds=$(( $(date +%s) - start ))
"$venv_bin/python" - "http://127.0.0.1:$port" <<'PY'
import json, subprocess, sys, urllib.request
import boto3
counts = json.load(urllib.request.urlopen(sys.argv[1] + "/_bakery/calls"))["counts"]
ec2, iam, s3, ssm = (boto3.client(service, region_name="us-east-1") for service in ("ec2", "iam", "s3", "ssm"))
builders = [i for r in ec2.describe_instances(Filters=[{"Name": "tag:bakery:layer", "Values": ["ssm-demo-000"]}])["Reservations"] for i in r["Instances"]]
for builder in builders:
    print("builder %s (%s): key pair %s, public address %s, instance profile %s" % (
        builder["InstanceId"], builder["State"]["Name"], builder.get("KeyName", "none"), builder.get("PublicIpAddress", "none"),
        (builder.get("IamInstanceProfile") or {}).get("Arn", "none")))
print("calls: ImportKeyPair %d, AuthorizeSecurityGroupIngress %d, CreateSecurityGroup %d, StartSession %d, TerminateSession %d, "
      "S3 PutObject %d (file transfers)" % tuple(counts.get(name, 0) for name in (
          "ec2:ImportKeyPair", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateSecurityGroup", "ssm:StartSession", "ssm:TerminateSession",
          "s3:PutObject")))
left = {"instance profiles": [p["InstanceProfileName"] for p in iam.list_instance_profiles(PathPrefix="/bakery-build/")["InstanceProfiles"]],
        "transfer buckets": [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith("bakery-build-")],
        "active sessions": [s["SessionId"] for s in ssm.describe_sessions(State="Active")["Sessions"]]}
print("left of the build: %s" % left)
image = sorted(ec2.describe_images(Owners=["self"], Filters=[{"Name": "tag:bakery:layer", "Values": ["ssm-demo-000"]}])["Images"],
               key=lambda image: image["CreationDate"])[-1]
instance_id = ec2.run_instances(ImageId=image["ImageId"], MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
subprocess.run(["podman", "exec", instance_id, "systemctl", "is-system-running", "--wait"], check=False, capture_output=True)
pong = subprocess.run(["podman", "exec", instance_id, "redis-cli", "ping"], capture_output=True, text=True).stdout.strip()
agent = subprocess.run(["podman", "exec", instance_id, "dpkg-query", "--show", "--showformat=${Version}", "amazon-ssm-agent"],
                       capture_output=True, text=True).stdout.strip()
print("%s (ssm-demo-000): redis-cli ping -> %s; SSM agent in the image: %s" % (image["ImageId"], pong, agent or "none"))
ec2.terminate_instances(InstanceIds=[instance_id])
failed = [name for name, bad in (
    ("no builder seen", not builders), ("a key pair", any(b.get("KeyName") for b in builders)),
    ("a public address", any(b.get("PublicIpAddress") for b in builders)),
    ("an inbound rule", counts.get("ec2:AuthorizeSecurityGroupIngress", 0) > 0), ("no session", counts.get("ssm:StartSession", 0) == 0),
    ("leftovers", any(left.values())), ("Redis does not answer", pong != "PONG")) if bad]
if failed:
    sys.exit("the Session Manager bake is not what it should be: %s" % ", ".join(failed))
PY

say "Done: bake #1 ${first_seconds}s, bake #2 ${second_seconds}s ($calls); rollout ${rollout_seconds}s; patch run ${patch_seconds}s ($patch_calls); Session Manager bake ${ssm_seconds}s"
