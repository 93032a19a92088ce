"""RunInstances is idempotent for a repeated `ClientToken`: a retry after a lost answer launches nothing more.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html, `ClientToken`: "Unique,
case-sensitive identifier you provide to ensure the idempotency of the request. If you do not specify a client token,
a randomly generated token is used for the request to ensure idempotency."; https://docs.aws.amazon.com/ec2/latest/
devguide/ec2-api-idempotency.html: "If you repeat a request with the same client token and the same parameters, the
request returns the same response ... and no new resource is created", and with other parameters the API "returns an
IdempotentParameterMismatch error"). Tokens are scoped to the account and region.

moto 5.2.5 stores the token on the instance and ignores it: a retried RunInstances launches a second instance (a
second builder container). Here a token seen before answers with the reservation it launched (its instances as they
are now), before anything is launched; other parameters with the same token answer IdempotentParameterMismatch.
A DryRun is never remembered.
"""

from __future__ import annotations

import functools

from moto.core.responses import ActionResult
from moto.ec2.responses.instances import InstanceResponse

from ._client_tokens import mismatch, request_fingerprint, token_lock

def _launch_once_per_token(original):
    @functools.wraps(original)
    def run_instances(self):
        token = self._get_param("ClientToken")
        if not token or self._get_param("DryRun"):
            return original(self)
        # Kept on moto's backend object, so the emulator's reset forgets the tokens with the instances.
        tokens = self.ec2_backend.__dict__.setdefault("_run_instances_tokens", {})
        fingerprint = request_fingerprint(self.querystring)
        with token_lock:
            known = tokens.get(token)
            if known is not None:
                known_fingerprint, reservation_id = known
                if known_fingerprint != fingerprint:
                    raise mismatch(token)
                reservation = self.ec2_backend.reservations.get(reservation_id)
                if reservation is not None:
                    return ActionResult(reservation)
            answer = original(self)
            reservation = getattr(answer, "result", None)
            reservation_id = getattr(reservation, "id", None)
            if reservation_id is not None:
                tokens[token] = (fingerprint, reservation_id)
            return answer

    return run_instances


def install() -> None:
    InstanceResponse.run_instances = _launch_once_per_token(InstanceResponse.run_instances)
