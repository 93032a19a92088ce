"""What the ClientToken extensions share: one lock, and what makes two requests "the same parameters".

https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html: "If you repeat a request with the same
client token and the same parameters, the request returns the same response"; with other parameters, "returns an
IdempotentParameterMismatch error". The token itself, the action, the API version and DryRun are not parameters of
the resource.
"""

from __future__ import annotations

import threading

from moto.ec2.exceptions import EC2ClientError

token_lock = threading.Lock()
_NOT_PART_OF_REQUEST = ("ClientToken", "Action", "Version", "DryRun")


def request_fingerprint(querystring: dict) -> tuple:
    return tuple(sorted((key, tuple(values)) for key, values in querystring.items() if key not in _NOT_PART_OF_REQUEST))


def mismatch(token: str) -> EC2ClientError:
    return EC2ClientError("IdempotentParameterMismatch", f"The client token '{token}' was already used with different parameters.")
