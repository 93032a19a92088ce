"""The update-feed fingerprint: moves when a package index changes, not when the index is only re-dated or re-signed."""

from __future__ import annotations

import os
import subprocess

import pytest

from ansible_collections.bakery.ami.plugins.plugin_utils.update_feed import fingerprint, package_index_lines
from tests.integration.playbook_runner import COLLECTIONS_ROOT, VENV_BIN

RELEASE = """Origin: Debian
Label: Debian-Security
Codename: bookworm-security
Date: {date}
Valid-Until: {valid_until}
SHA256:
 {packages_hash} 1234 main/binary-amd64/Packages
 5c5f5a8c0a1b3f0e6a2e2c7b1d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e 567 main/binary-amd64/Packages.xz
 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0 89 main/binary-amd64/Release
 1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809 42 main/i18n/Translation-en
"""
HASH_A = "a" * 64
HASH_B = "b" * 64


def lookup(*urls):
    """The lookup as Ansible runs it, in an ad-hoc task on the controller: (return code, output)."""
    terms = ", ".join(repr(url) for url in urls)
    completed = subprocess.run(
        [str(VENV_BIN / "ansible"), "localhost", "-m", "ansible.builtin.debug",
         "-a", "msg={{ lookup('bakery.ami.update_feed', %s) }}" % terms],
        capture_output=True, text=True, timeout=120, check=False,
        env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS_ROOT), ANSIBLE_LOCALHOST_WARNING="false"),
    )
    return completed.returncode, completed.stdout + completed.stderr


def release(packages_hash=HASH_A, date="Sat, 21 Nov 2026 10:00:00 UTC", valid_until="Sat, 28 Nov 2026 10:00:00 UTC"):
    return RELEASE.format(packages_hash=packages_hash, date=date, valid_until=valid_until)


def test_only_package_index_lines_count():
    lines = package_index_lines(release())
    assert sorted(line.split()[-1] for line in lines) == ["main/binary-amd64/Packages", "main/binary-amd64/Packages.xz"]


def test_a_redated_index_keeps_its_fingerprint():
    url = "https://deb.example/dists/bookworm-security/InRelease"
    before = fingerprint([(url, release())])
    after = fingerprint([(url, release(date="Mon, 23 Nov 2026 10:00:00 UTC", valid_until="Mon, 30 Nov 2026 10:00:00 UTC"))])
    assert before == after
    assert len(before) == 16 and int(before, 16) >= 0


def test_a_changed_package_index_changes_the_fingerprint():
    url = "https://deb.example/dists/bookworm-security/InRelease"
    assert fingerprint([(url, release(HASH_A))]) != fingerprint([(url, release(HASH_B))])


def test_another_feed_changes_the_fingerprint():
    text = release()
    assert fingerprint([("https://one.example/InRelease", text)]) != fingerprint([("https://two.example/InRelease", text)])


def test_a_file_that_is_not_a_release_index_is_fingerprinted_whole():
    assert fingerprint([("https://x.example/repomd.xml", "<repomd>1</repomd>")]) != fingerprint(
        [("https://x.example/repomd.xml", "<repomd>2</repomd>")]
    )


def test_lookup_reads_file_urls(tmp_path):
    feed = tmp_path / "Release"
    feed.write_text(release())
    url = "file://%s" % feed
    returncode, output = lookup(url)
    assert returncode == 0, output
    assert fingerprint([(url, release())]) in output


@pytest.mark.parametrize(
    "url,message",
    [("ftp://deb.example/Release", "is not an https://, http:// or file:// URL"), ("file:///nonexistent/Release", "could not read the update feed")],
)
def test_lookup_names_the_bad_feed(url, message):
    returncode, output = lookup(url)
    assert returncode != 0
    assert message in output and url in output, output
