# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The errors the collection raises: bad input (caught before any AWS call) and failed AWS calls."""

from __future__ import annotations


class BakeryError(Exception):
    """Base of every error a module turns into ``fail_json``."""

    def result_fields(self):
        return {}


class InvalidInputError(BakeryError):
    """A module option is wrong. Raised before any AWS call is made."""

    def __init__(self, option, problem):
        self.option = option
        self.problem = problem
        super().__init__("%s %s" % (option, problem))

    def result_fields(self):
        return {"invalid_option": self.option}


class AwsCallError(BakeryError):
    """An AWS API call failed after botocore's retries. Names the call, the AWS error code and the input."""

    def __init__(self, operation, code, message, region=None, call_input=None, status=None):
        self.operation = operation
        self.code = code
        self.aws_message = message
        self.region = region
        self.call_input = call_input or {}
        self.status = status
        where = " in %s" % region if region else ""
        shown_input = describe_call_input(self.call_input)
        super().__init__(
            "%s%s failed: %s: %s%s"
            % (operation, where, code, message, " (input: %s)" % shown_input if shown_input else "")
        )

    def result_fields(self):
        return {
            "aws_error": {
                "operation": self.operation,
                "code": self.code,
                "message": self.aws_message,
                "region": self.region,
                "http_status": self.status,
            }
        }


class RegionsPartlyFailedError(BakeryError):
    """Some regions failed after others changed: ``result`` is the module result, with ``failed`` ({region: message})
    and what the other regions did, so a re-run can complete only what is missing."""

    def __init__(self, module_name, result, advice=None):
        self.result = result
        failed = result["failed"]
        parts = ["%s failed in %d region(s): %s." % (module_name, len(failed), ", ".join(sorted(failed)))]
        if advice:
            parts.append(advice)
        parts.append("; ".join("%s: %s" % (region, failed[region]) for region in sorted(failed)))
        super().__init__(" ".join(parts))

    def result_fields(self):
        return dict(self.result)


class RegionsFailedError(BakeryError):
    """A read-only lookup failed in some regions; nothing was changed anywhere."""

    def __init__(self, messages):
        self.messages = messages
        super().__init__(
            "image lookup failed in %d region(s): %s"
            % (len(messages), "; ".join("%s: %s" % (region, message) for region, message in sorted(messages.items())))
        )

    def result_fields(self):
        return {"failed_regions": self.messages}


# Inputs that can hold secrets or bulk data never appear in error messages.
_HIDDEN_INPUT_KEYS = frozenset(("UserData", "PrivateKey", "KeyMaterial", "Password", "SecretAccessKey", "SessionToken"))
_MAX_SHOWN_VALUE = 200


def describe_call_input(call_input):
    """A short, secret-free rendering of an API call's parameters for error messages."""
    parts = []
    for key in sorted(call_input):
        if key in _HIDDEN_INPUT_KEYS:
            parts.append("%s=<hidden>" % key)
            continue
        value = repr(call_input[key])
        if len(value) > _MAX_SHOWN_VALUE:
            value = value[:_MAX_SHOWN_VALUE] + "..."
        parts.append("%s=%s" % (key, value))
    return ", ".join(parts)
