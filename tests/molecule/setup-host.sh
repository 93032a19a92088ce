#!/usr/bin/env bash
# Prepares this host for the roles' Molecule scenarios (podman driver):
#   1. apt-installs podman, runc, debootstrap (+ netavark/aardvark/iptables, fuse-overlayfs, slirp4netns, uidmap) when missing;
#   2. writes /etc/containers/containers.conf: rootful podman, runtime runc, cgroupfs, file events logger,
#      default_ulimits nofile/nproc (crun fails on this kernel's hybrid cgroups; the default nofile cannot be raised);
#   3. builds the base images once and reuses them (skipped when `podman image exists`):
#        localhost/bakery/debian12:latest       debootstrap'ed Debian 12 (also the container behind the bake pipeline's Debian 12 base AMI)
#        localhost/bakery/al2023-standin:latest Debian 12 + dnf/rpm/createrepo-c + an Amazon Linux 2023 os-release
#                                               + a local repo of placeholder RPMs. NOT Amazon Linux: it exercises the roles'
#                                               dnf branch (names, paths, templates), never real RPM contents.
# Idempotent; run as root from the repository root. Set BAKERY_REBUILD_IMAGES=1 to rebuild the images.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
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

packages=(podman runc debootstrap netavark aardvark-dns iptables uidmap slirp4netns fuse-overlayfs containernetworking-plugins)
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
mkdir -p "$apt_cache_dir/partial"

build_debian_image() {
  local root
  root=$(mktemp -d /var/tmp/bakery-debian12.XXXXXX)
  log "debootstrap bookworm from $mirror"
  debootstrap --variant=minbase \
    --include=python3,python3-apt,ca-certificates,sudo,systemd,systemd-sysv \
    bookworm "$root" "$mirror" >/dev/null
  cat > "$root/etc/apt/sources.list" <<SRC
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
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
    - "$debian_image" >/dev/null
  rm -rf "$root"
}

if [[ "${BAKERY_REBUILD_IMAGES:-0}" == 1 ]] || ! podman image exists "$debian_image"; then
  build_debian_image
  log "built $debian_image"
else
  log "reusing $debian_image"
fi

if [[ "${BAKERY_REBUILD_IMAGES:-0}" == 1 ]] || ! podman image exists "$standin_image"; then
  "$here/al2023-standin/build.sh" "$debian_image" "$standin_image" "$apt_cache_dir"
  log "built $standin_image"
else
  log "reusing $standin_image"
fi

log "done in $(( $(date +%s) - start ))s"
