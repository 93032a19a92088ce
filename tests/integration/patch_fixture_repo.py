"""A flat apt repository on the host, mounted in every podman-backed builder: the update source of the patch tests.

Its Release file names its own origin and label (SECURITY_ORIGIN): the patch tests point os_patch's security
selection at it (os_patch_apt_security_origins), so the real Debian security updates the fixture base image may be
missing do not decide whether there is anything to patch.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

MOUNT_POINT = "/srv/bakery-updates"
DEMO_PACKAGE = "bakery-patch-demo"
SECURITY_ORIGIN = "origin=Bakery-Fixture,label=Bakery-Fixture-Security"


class FixtureRepository:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._build = self.root.parent / (self.root.name + "-build")

    @property
    def volume(self) -> str:
        return "%s:%s:ro" % (self.root, MOUNT_POINT)

    @property
    def release(self) -> Path:
        return self.root / "Release"

    def add(self, package: str, version: str) -> None:
        """Build an empty package and re-index the repository."""
        tree = self._build / ("%s-%s" % (package, version))
        (tree / "DEBIAN").mkdir(parents=True, exist_ok=True)
        (tree / "DEBIAN" / "control").write_text(
            "Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: bakery.ami tests <tests@example.invalid>\n"
            "Description: patch test fixture (empty package)\n" % (package, version)
        )
        deb = self.root / ("%s_%s_all.deb" % (package, version))
        subprocess.run(["dpkg-deb", "--root-owner-group", "--build", str(tree), str(deb)], check=True, capture_output=True)
        self._index()

    def _index(self) -> None:
        stanzas = []
        for deb in sorted(self.root.glob("*.deb")):
            control = subprocess.run(["dpkg-deb", "--field", str(deb)], check=True, capture_output=True, text=True).stdout.strip()
            data = deb.read_bytes()
            stanzas.append("%s\nFilename: ./%s\nSize: %d\nSHA256: %s\n" % (control, deb.name, len(data), hashlib.sha256(data).hexdigest()))
        packages = "\n".join(stanzas).encode()
        (self.root / "Packages").write_bytes(packages)
        self.release.write_text(
            "Origin: Bakery-Fixture\nLabel: Bakery-Fixture-Security\nSuite: bakery-fixture-security\n"
            "Codename: bakery-fixture-security\n"
            "Architectures: all amd64\nSHA256:\n %s %d Packages\n" % (hashlib.sha256(packages).hexdigest(), len(packages))
        )
