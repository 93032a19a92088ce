#!/usr/bin/env bash
# Builds the execution environment (execution-environment.yml) from local images only, then the
# test image on top of it that reaches the host's podman (the emulator's builder instances):
#   localhost/bakery/ee:latest            the product EE: ansible-core, ansible-runner, boto3, bakery.ami
#   localhost/bakery/ee-emulator:latest   + a podman client (remote mode, CONTAINER_HOST) and containers.podman
# Needs tests/molecule/setup-host.sh first (rootful podman with runc, localhost/bakery/debian12:latest).
# Both builds keep podman's layer cache, so an unchanged collection rebuilds in seconds; the host's CA
# bundle and apt archive cache are bind-mounted into the RUN steps (never baked into the image).
# Prints build time and image sizes; writes them to .build/ee/build-report.json.
# BAKERY_EE_NO_CACHE=1 rebuilds every layer; BAKERY_EE_APT_CACHE_DIR moves the apt archive cache.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
venv_bin="${VENV_BIN:-$repo/.venv/bin}"
export PATH="$venv_bin:$PATH"
ee_image="${BAKERY_EE_IMAGE:-localhost/bakery/ee:latest}"
test_image="${BAKERY_EE_TEST_IMAGE:-localhost/bakery/ee-emulator:latest}"
base_image="${BAKERY_EE_BASE_IMAGE:-localhost/bakery/debian12:latest}"
# Its own apt archive cache: apt locks the directory, and other suites share /var/cache/bakery/apt-archives.
apt_cache_dir="${BAKERY_EE_APT_CACHE_DIR:-/var/cache/bakery/ee-apt-archives}"
work="$repo/.build/ee"
ca_bundle=/etc/ssl/certs/ca-certificates.crt

log() { printf '[build-ee] %s\n' "$*"; }
start=$(date +%s)

if ! podman image exists "$base_image"; then
  echo "base image $base_image missing: run tests/molecule/setup-host.sh first" >&2
  exit 1
fi

mkdir -p "$work/collections" "$work/collection-build" "$apt_cache_dir/partial"
rm -f "$work"/collection-build/*.tar.gz
ansible-galaxy collection build --force --output-path "$work/collection-build" . >/dev/null
# A new tarball differs in its timestamps even when no file changed, which would bust the image layer cache:
# keep the old one while MANIFEST.json (which carries the checksum of every file) is the same.
new_tarball=$(ls "$work"/collection-build/bakery-ami-*.tar.gz)
tarball="$work/collections/bakery-ami.tar.gz"
if [[ ! -f $tarball ]] || ! cmp -s <(tar -xzOf "$tarball" MANIFEST.json) <(tar -xzOf "$new_tarball" MANIFEST.json); then
  mv "$new_tarball" "$tarball"
  log "collection changed: $tarball"
fi

build_volumes="-v $ca_bundle:$ca_bundle:ro -v $apt_cache_dir:/var/cache/apt/archives"
# BAKERY_EE_NO_CACHE=1: build every layer again (what a fresh CI machine does).
no_cache=()
[[ "${BAKERY_EE_NO_CACHE:-0}" == 1 ]] && no_cache=(--no-cache)

log "ansible-builder build -> $ee_image (base $base_image)"
ansible-builder build \
  --file execution-environment.yml \
  --context "$work/context" \
  --container-runtime podman \
  "${no_cache[@]}" \
  --tag "$ee_image" \
  --build-arg EE_BASE_IMAGE="$base_image" \
  --extra-build-cli-args="$build_volumes" \
  --verbosity 1
ee_done=$(date +%s)

# containers.podman comes with the `ansible` package in the venv (Galaxy is not reachable here).
podman_collection="$("$venv_bin/python" -c 'import ansible_collections.containers.podman as c; print(list(c.__path__)[0])')"
test_context="$work/test-context"
rm -rf "$test_context"
mkdir -p "$test_context"
cp -a "$podman_collection" "$test_context/containers.podman"
cp "$repo/tests/ee/Containerfile.emulator" "$test_context/Containerfile"
log "podman build -> $test_image"
# shellcheck disable=SC2086
podman build --layers "${no_cache[@]}" $build_volumes --build-arg EE_IMAGE="$ee_image" -t "$test_image" "$test_context" >/dev/null
end=$(date +%s)

ee_size=$(podman image inspect --format '{{.Size}}' "$ee_image")
test_size=$(podman image inspect --format '{{.Size}}' "$test_image")
printf '{"ee_image": "%s", "ee_build_seconds": %d, "ee_size_bytes": %s, "test_image": "%s", "total_build_seconds": %d, "test_image_size_bytes": %s}\n' \
  "$ee_image" $((ee_done - start)) "$ee_size" "$test_image" $((end - start)) "$test_size" | tee "$work/build-report.json"
log "EE built in $((ee_done - start))s ($((ee_size / 1000000)) MB); test image in $((end - ee_done))s ($((test_size / 1000000)) MB)"
