#!/usr/bin/env bash
# TEST/DEMO ONLY: a PLACEHOLDER amazon-ssm-agent .deb (same package name and service unit; no agent inside - a process
# that sleeps), signed with a DEMO key made here, so a Session Manager bake against the local emulator takes the path
# it takes on AWS: download the package and its detached signature, check the signer's fingerprint, install, start.
# The emulator counts a podman-backed instance as a managed node once this service is active
# (tests/emulator/extensions/ssm_managed_instances.py).
#   build-placeholder-agent.sh OUTPUT_DIR
# writes OUTPUT_DIR/amazon-ssm-agent.deb, amazon-ssm-agent.deb.sig, demo-signer.asc (the public key) and prints the
# demo key's fingerprint. The private key stays in OUTPUT_DIR/gnupg (never committed; OUTPUT_DIR is a build directory).
set -euo pipefail

out="$(mkdir -p "$1" && cd "$1" && pwd)"
if [[ -s "$out/amazon-ssm-agent.deb.sig" && -s "$out/fingerprint" ]]; then
  cat "$out/fingerprint"
  exit 0
fi
package="$out/package"
gnupg="$out/gnupg"
rm -rf "$package" "$gnupg"
mkdir -p "$package/DEBIAN" "$package/usr/bin" "$package/lib/systemd/system"
mkdir -m 0700 "$gnupg"
cat > "$package/DEBIAN/control" <<'CONTROL'
Package: amazon-ssm-agent
Version: 3.3.0.0-bakery-placeholder
Architecture: all
Maintainer: bakery.ami tests <tests@example.invalid>
Description: PLACEHOLDER for the AWS Systems Manager agent (tests and demo only, no agent inside)
CONTROL
printf '#!/bin/sh\necho "placeholder SSM agent (bakery.ami tests): no agent here" >&2\nexec sleep infinity\n' > "$package/usr/bin/amazon-ssm-agent"
chmod 0755 "$package/usr/bin/amazon-ssm-agent"
cat > "$package/lib/systemd/system/amazon-ssm-agent.service" <<'UNIT'
[Unit]
Description=amazon-ssm-agent (bakery.ami placeholder)
After=network-online.target

[Service]
ExecStart=/usr/bin/amazon-ssm-agent
Restart=always

[Install]
WantedBy=multi-user.target
UNIT
dpkg-deb --build --root-owner-group "$package" "$out/amazon-ssm-agent.deb" >/dev/null
gpg --homedir "$gnupg" --batch --pinentry-mode loopback --passphrase '' --quick-generate-key \
  'bakery.ami demo signer (stands in for AWS; tests only) <demo-signer@example.invalid>' ed25519 sign never 2>/dev/null
gpg --homedir "$gnupg" --batch --armor --export > "$out/demo-signer.asc"
gpg --homedir "$gnupg" --batch --detach-sign --output "$out/amazon-ssm-agent.deb.sig" "$out/amazon-ssm-agent.deb"
gpgconf --homedir "$gnupg" --kill all 2>/dev/null || true
gpg --homedir "$gnupg" --batch --with-colons --show-keys "$out/demo-signer.asc" | awk -F: '$1 == "fpr" { print $10; exit }' > "$out/fingerprint"
rm -rf "$package"
cat "$out/fingerprint"
