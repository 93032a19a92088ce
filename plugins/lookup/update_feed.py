# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: update_feed
short_description: The fingerprint of a distribution's update feeds (have the package repositories changed?)
version_added: 0.2.0
description:
  - Fetches, on the controller, the index files of package repositories (an apt C(Release) or C(InRelease) file) and
    returns one short fingerprint of the package indexes they list. The fingerprint changes when a package of those
    repositories is added, updated or removed, and not when the index is merely re-signed or re-dated.
  - Any other file (an advisory list, a yum C(repomd.xml)) is fingerprinted whole.
  - The bake role tags images with it (C(bakery:update-feed)); C(playbooks/patch.yml) launches a builder only for a layer
    whose fingerprint changed, so a scheduled patch run with nothing new launches nothing.
options:
  _terms:
    description: URLs of the feeds (C(https://), C(http://) or C(file://)).
    type: list
    elements: str
    required: true
  timeout:
    description: Seconds to wait for each feed.
    type: int
    default: 30
  validate_certs:
    description: Verify the TLS certificates of C(https://) feeds.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Fingerprint Debian 12's security archive
  ansible.builtin.set_fact:
    update_feed: "{{ lookup('bakery.ami.update_feed', 'https://deb.debian.org/debian-security/dists/bookworm-security/InRelease') }}"
"""

RETURN = r"""
_raw:
  description: The fingerprint, 16 hexadecimal characters.
  type: list
  elements: str
"""

from ansible.errors import AnsibleLookupError
from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.module_utils.urls import open_url
from ansible.plugins.lookup import LookupBase

from ansible_collections.bakery.ami.plugins.plugin_utils.update_feed import fingerprint

ALLOWED_SCHEMES = ("https://", "http://", "file://")


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        urls = [to_text(term) for term in terms]
        if not urls:
            raise AnsibleLookupError("update_feed needs at least one feed URL")
        for url in urls:
            if not url.startswith(ALLOWED_SCHEMES):
                raise AnsibleLookupError("update feed %r is not an https://, http:// or file:// URL" % url)
        return [fingerprint([(url, self._read(url)) for url in urls])]

    def _read(self, url):
        try:
            response = open_url(url, timeout=self.get_option("timeout"), validate_certs=self.get_option("validate_certs"))
            return to_text(response.read(), errors="surrogate_or_strict")
        except Exception as error:  # open_url raises urllib, socket and ssl errors alike
            raise AnsibleLookupError("could not read the update feed %s: %s" % (url, to_native(error)))
