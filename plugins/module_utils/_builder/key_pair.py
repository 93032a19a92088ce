# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The build's SSH key pair: generated here, the private key written first (mode 0600), the public key imported.

Why not CreateKeyPair: AWS returns the private key only in CreateKeyPair's response. If that response is lost (a
dropped connection after AWS committed), the key pair exists and its private key is gone for good. With the key made
here and ImportKeyPair, a lost response loses nothing: the private key is already on disk, the retried import answers
InvalidKeyPair.Duplicate, and the key pair is adopted when it carries this build's tag and this very public key.
"""

from __future__ import annotations

import os

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import BUILD_ID_TAG
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError, BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import tag_list_to_dict, tag_specifications

try:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    HAS_CRYPTOGRAPHY = True
except ImportError:  # pragma: no cover - ansible-core itself requires cryptography
    HAS_CRYPTOGRAPHY = False

# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-key-pairs.html#how-to-generate-your-own-key-and-import-it-to-aws:
# imported RSA keys may be 1024, 2048 or 4096 bits.
RSA_KEY_BITS = 4096


def build_filter(build_id):
    return [{"Name": "tag:%s" % BUILD_ID_TAG, "Values": [build_id]}]


def find_key_pairs(ec2, build_id, include_public_key=False):
    options = {"IncludePublicKey": True} if include_public_key else {}
    return ec2.call("describe_key_pairs", Filters=build_filter(build_id), **options).get("KeyPairs", [])


def generate_key(key_type):
    """(private key in OpenSSH format, public key as one authorized_keys line)."""
    if not HAS_CRYPTOGRAPHY:
        raise BakeryError("the Python library cryptography is required to make the build's key pair")
    private = ed25519.Ed25519PrivateKey.generate() if key_type == "ed25519" else rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    return _private_text(private), _public_line(private)


def _private_text(private):
    return private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()).decode()


def _public_line(private):
    return private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


def public_key_of(private_key_path):
    """The public key line of the private key in ``private_key_path`` (None when the file is not a key)."""
    if not HAS_CRYPTOGRAPHY:
        raise BakeryError("the Python library cryptography is required to read the build's private key")
    with open(private_key_path, "rb") as key_file:
        try:
            private = serialization.load_ssh_private_key(key_file.read(), password=None)
        except ValueError:
            return None
    return _public_line(private)


def same_public_key(line_a, line_b):
    """Public key lines compared by type and key, not by comment."""
    return bool(line_a and line_b) and line_a.split()[:2] == line_b.split()[:2]


def write_private_key(path, material):
    """Write the key with mode 0600 from the start (never readable by others, even briefly)."""
    if os.path.exists(path):
        os.unlink(path)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as key_file:
        key_file.write(material if material.endswith("\n") else material + "\n")


class BuildKeyPair:
    def __init__(self, ec2, request):
        self.ec2 = ec2
        self.request = request

    def find(self):
        """The build's key pair, checked against the private key on disk; None when there is none yet."""
        found = find_key_pairs(self.ec2, self.request.build_id, include_public_key=True)
        if not found:
            return None
        key_pair = found[0]
        path = self.request.private_key_path
        if not os.path.exists(path):
            raise BakeryError(
                "the key pair %s of build %s exists but its private key %s is gone: remove the build with state=absent and start a new one"
                % (key_pair["KeyName"], self.request.build_id, path)
            )
        if key_pair.get("PublicKey") and not same_public_key(key_pair["PublicKey"], public_key_of(path)):
            raise BakeryError(
                "the key pair %s of build %s does not match the private key %s: remove the build with state=absent and start a new one"
                % (key_pair["KeyName"], self.request.build_id, path)
            )
        return key_pair

    def create(self):
        private_text, public_line = generate_key(self.request.key_type)
        write_private_key(self.request.private_key_path, private_text)
        try:
            imported = self.ec2.call(
                "import_key_pair",
                KeyName=self.request.name,
                PublicKeyMaterial=public_line.encode(),
                TagSpecifications=tag_specifications(["key-pair"], self.request.resource_tags()),
            )
        except AwsCallError as error:
            if error_code(error) != "InvalidKeyPair.Duplicate":
                raise
            return self._adopt(public_line)
        return {"KeyName": imported["KeyName"], "KeyPairId": imported.get("KeyPairId")}

    def _adopt(self, public_line):
        """The import was committed before (a retried call after a lost response): adopt it if it is ours."""
        existing = self.ec2.call("describe_key_pairs", KeyNames=[self.request.name], IncludePublicKey=True)["KeyPairs"][0]
        is_ours = tag_list_to_dict(existing.get("Tags")).get(BUILD_ID_TAG) == self.request.build_id
        if not is_ours or not same_public_key(existing.get("PublicKey"), public_line):
            raise BakeryError(
                "a key pair named %s exists that is not this build's (or holds another key): remove it or use another build id" % self.request.name
            )
        return {"KeyName": existing["KeyName"], "KeyPairId": existing.get("KeyPairId")}
