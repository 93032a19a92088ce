# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base of every module's input class: built only through ``from_params``, which checks every option before any
AWS call is made, so a bad value fails naming the option and nothing is half-done.

``params`` are the module's parameters as ``AnsibleModule`` hands them over: every option present, defaults filled
in from the module's ``argument_spec`` (the only place defaults are written).
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.validation import each_indexed, validate_region


class ModuleRequest:
    def __init__(self, params):
        self.params = params

    @classmethod
    def from_params(cls, params):
        request = cls(params)
        request.validate()
        return request

    def validate(self):
        """Checks and resolves the options; subclasses read ``self.params`` here."""

    def region_option(self, option="region"):
        """One region: the option's value, checked against the regions botocore knows for EC2."""
        region = self.params.get(option)
        if not region:
            raise InvalidInputError(option, "is not set: give %s (or set AWS_REGION)" % option)
        return validate_region(option, region)

    def regions_option(self, option="regions", required=True):
        """``regions``, else the connection's ``region``; each checked, repeats dropped, order kept."""
        given = self.params.get(option)
        if given:
            regions = [validate_region(indexed, region) for indexed, region in each_indexed(option, given)]
            return list(dict.fromkeys(regions))
        if self.params.get("region"):
            return [validate_region("region", self.params["region"])]
        if required:
            raise InvalidInputError(option, "is empty and no region is set: give %s, region or AWS_REGION" % option)
        return []

    def max_concurrency_option(self):
        """How many regions (or groups) are worked on at once; None lets the fan-out choose."""
        value = self.params.get("max_concurrency")
        if value is not None and (isinstance(value, bool) or value < 1):
            raise InvalidInputError("max_concurrency", "must be at least 1, got %r" % (value,))
        return value

    def wait_timeout_option(self, option="wait_timeout"):
        value = self.params[option]
        if isinstance(value, bool) or value <= 0:
            raise InvalidInputError(option, "must be a positive number of seconds, got %r" % (value,))
        return value
