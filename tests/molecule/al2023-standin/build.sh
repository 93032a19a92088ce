#!/usr/bin/env bash
# Builds the Amazon Linux 2023 STAND-IN image: Debian 12 + dnf/rpm/createrepo-c, an AL2023 os-release and a local
# dnf repository of placeholder RPMs that carry the AL2023 package names, paths and systemd units the roles use.
# It lets Molecule exercise the roles' RedHat/dnf branch offline. It is not Amazon Linux: the RPMs are empty shells,
# so nothing here proves real RPM contents, SELinux, real dnf security metadata from AWS or AL2023's systemd.
# Usage: build.sh <debian image> <stand-in image tag> [apt cache dir] [inputs hash, kept as a label for setup-host.sh]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
base_image="$1"; standin_image="$2"; apt_cache_dir="${3:-}"; inputs="${4:-}"
volume_args=()
[[ -n $apt_cache_dir ]] && volume_args=(--volume "$apt_cache_dir:/var/cache/apt/archives")
podman build --quiet --pull=never --build-arg "BASE_IMAGE=$base_image" "${volume_args[@]}" \
  --label "bakery.standin-inputs=$inputs" --tag "$standin_image" --file "$here/Containerfile" "$here" >/dev/null
