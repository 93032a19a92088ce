#!/usr/bin/env bash
# Prepares this host for the roles' Molecule scenarios (podman driver):
#   1. apt-installs podman, runc, debootstrap (+ netavark/aardvark/iptables, fuse-overlayfs, slirp4netns, uidmap; gpg and gpg-agent) when missing;
#   2. writes /etc/containers/containers.conf: rootful podman, runtime runc, cgroupfs, file events logger,
#      default_ulimits nofile/nproc (crun fails on this kernel's hybrid cgroups; the default nofile cannot be raised);
#   3. builds the base images once and reuses them (skipped when `podman image exists`):
#        localhost/bakery/debian13:latest       debootstrap'ed Debian 13 "trixie" (also the container behind the bake
#                                               pipeline's Debian 13 base AMI, the default base)
#        localhost/bakery/debian12:latest       debootstrap'ed Debian 12 "bookworm" (the Debian 12 base AMI)
#        localhost/bakery/al2023-standin:latest Debian 12 + dnf/rpm/createrepo-c + an Amazon Linux 2023 os-release
#                                               + a local repo of placeholder RPMs. NOT Amazon Linux: it exercises the roles'
#                                               dnf branch (names, paths, templates), never real RPM contents.
# Idempotent; run as root from the repository root. Set BAKERY_REBUILD_IMAGES=1 to rebuild the images.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# <suite>|<image>: the Debian releases the roles are tested on and the bake pipeline's Debian base AMIs run.
debian_images=(
  "trixie|localhost/bakery/debian13:latest"
  "bookworm|localhost/bakery/debian12:latest"
)
# The stand-in stays on Debian 12: its dnf/rpm/createrepo-c come from there, and nothing of Debian shows through it.
debian_image="localhost/bakery/debian12:latest"
standin_image="localhost/bakery/al2023-standin:latest"
apt_cache_dir="${BAKERY_APT_CACHE_DIR:-/var/cache/bakery/apt-archives}"
start=$(date +%s)

log() { printf '[setup-host] %s\n' "$*"; }

if [[ $EUID -ne 0 ]]; then
  echo "setup-host.sh must run as root (rootful podman, debootstrap)" >&2
  exit 1
fi

# The Debian mirror configured for this host's apt; debootstrap and the images use the same one.
debian_mirror() {
  local uri
  uri=$(grep -rhoE '^(URIs:|deb)[[:space:]]+(\[[^]]*\][[:space:]]+)?https?://[^[:space:]]+/debian/?([[:space:]]|$)' \
          /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | grep -oE 'https?://[^[:space:]]+' | head -n1 || true)
  echo "${BAKERY_DEBIAN_MIRROR:-${uri:-http://deb.debian.org/debian}}"
}
mirror="$(debian_mirror)"
mirror="${mirror%/}"

# gpg and gpg-agent: the Session Manager tests and the demo sign their placeholder agent packages with a throwaway key
# (tests/session_manager/build-placeholder-agent.sh); key generation needs the agent.
packages=(podman runc debootstrap netavark aardvark-dns iptables uidmap slirp4netns fuse-overlayfs containernetworking-plugins
          gpg gpg-agent)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  # Third-party sources on CI hosts may be unreachable; apt-get update only warns for them.
  apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p /etc/containers
conf=/etc/containers/containers.conf
desired=$(cat <<'CONF'
# Written by bakery.ami tests/molecule/setup-host.sh
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
)
if [[ ! -f $conf ]] || [[ "$(cat "$conf")" != "$desired" ]]; then
  [[ -f $conf && ! -f $conf.bakery-orig ]] && cp -a "$conf" "$conf.bakery-orig"
  printf '%s\n' "$desired" > "$conf"
  log "wrote $conf"
fi
# One .deb cache per Debian release (apt locks its archives directory; Molecule mounts <dir>/debian13 and /debian12).
mkdir -p "$apt_cache_dir/partial" "$apt_cache_dir/debian13/partial" "$apt_cache_dir/debian12/partial"

build_debian_image() {
  local suite="$1" image="$2" root
  root=$(mktemp -d "/var/tmp/bakery-$suite.XXXXXX")
  log "debootstrap $suite from $mirror"
  debootstrap --variant=minbase \
    --include=python3,python3-apt,ca-certificates,sudo,systemd,systemd-sysv \
    "$suite" "$root" "$mirror" >/dev/null
  # deb822 sources, as Debian's own cloud images have them.
  rm -f "$root/etc/apt/sources.list"
  cat > "$root/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  # A container has no consoles or udev to wait for; these units only slow boot or fail.
  for unit in getty@tty1.service console-getty.service systemd-udevd.service systemd-udev-trigger.service \
              systemd-remount-fs.service systemd-firstboot.service; do
    ln -sf /dev/null "$root/etc/systemd/system/$unit"
  done
  : > "$root/etc/machine-id"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" -c . | podman import \
    --change 'CMD ["/lib/systemd/systemd"]' --change 'ENV container=podman' \
    - "$image" >/dev/null
  rm -rf "$root"
}

for entry in "${debian_images[@]}"; do
  IFS='|' read -r suite image <<<"$entry"
  if [[ "${BAKERY_REBUILD_IMAGES:-0}" == 1 ]] || ! podman image exists "$image"; then
    build_debian_image "$suite" "$image"
    log "built $image"
  else
    log "reusing $image"
  fi
done

# The stand-in is rebuilt whenever its recipe (al2023-standin/*: package names, stubs, repo) or its base image changes,
# so a host that built an older stand-in never tests the roles against stale package names.
standin_inputs=$( (cd "$here/al2023-standin" && sha256sum -- *; podman image inspect --format '{{.Id}}' "$debian_image") \
  | sha256sum | cut -c1-16)
standin_built_from=$(podman image inspect --format '{{ index .Labels "bakery.standin-inputs" }}' "$standin_image" 2>/dev/null || true)
if [[ "${BAKERY_REBUILD_IMAGES:-0}" == 1 ]] || [[ "$standin_built_from" != "$standin_inputs" ]]; then
  "$here/al2023-standin/build.sh" "$debian_image" "$standin_image" "$apt_cache_dir" "$standin_inputs"
  log "built $standin_image (inputs $standin_inputs)"
else
  log "reusing $standin_image"
fi

log "done in $(( $(date +%s) - start ))s"
