"""What the ClientToken extensions share: one lock, and what makes two requests "the same parameters".

https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html: "If you repeat a request with the same
client token and the same parameters, the request returns the same response"; with other parameters, "returns an
IdempotentParameterMismatch error". The token itself, the action, the API version and DryRun are not parameters of
the resource.
"""

from __future__ import annotations

import functools
import threading

from moto.ec2.exceptions import EC2ClientError

token_lock = threading.Lock()
_NOT_PART_OF_REQUEST = ("ClientToken", "Action", "Version", "DryRun")


def request_fingerprint(querystring: dict) -> tuple:
    return tuple(sorted((key, tuple(values)) for key, values in querystring.items() if key not in _NOT_PART_OF_REQUEST))


def mismatch(token: str) -> EC2ClientError:
    return EC2ClientError("IdempotentParameterMismatch", f"The client token '{token}' was already used with different parameters.")


def once_per_token(handler, store: str, remember, recall):
    """Wrap a moto response handler so that a repeated ClientToken answers as the first request did.

    ``remember(answer)`` is what is kept of the first answer (None: keep nothing, the next request runs again);
    ``recall(responses, kept)`` is the answer to a repeat (None: the resource is gone, the request runs again). Tokens
    are kept on moto's backend object, per account and region, so the emulator's reset forgets them with the
    resources. DryRun requests are never idempotent-recorded.
    """

    @functools.wraps(handler)
    def answer_once_per_token(self):
        token = self._get_param("ClientToken")
        if not token or self._get_param("DryRun"):
            return handler(self)
        tokens = self.ec2_backend.__dict__.setdefault(store, {})
        fingerprint = request_fingerprint(self.querystring)
        with token_lock:
            known = tokens.get(token)
            if known is not None:
                known_fingerprint, kept = known
                if known_fingerprint != fingerprint:
                    raise mismatch(token)
                answer = recall(self, kept)
                if answer is not None:
                    return answer
            answer = handler(self)
            kept = remember(answer)
            if kept is not None:
                tokens[token] = (fingerprint, kept)
            return answer

    return answer_once_per_token
