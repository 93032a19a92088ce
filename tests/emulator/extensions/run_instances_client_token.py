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

from moto.core.responses import ActionResult
from moto.ec2.responses.instances import InstanceResponse

from ._client_tokens import once_per_token


def _reservation_id(answer):
    return getattr(getattr(answer, "result", None), "id", None)


def _same_reservation(responses, reservation_id):
    reservation = responses.ec2_backend.reservations.get(reservation_id)
    return ActionResult(reservation) if reservation is not None else None


def install() -> None:
    InstanceResponse.run_instances = once_per_token(
        InstanceResponse.run_instances, "_run_instances_tokens", remember=_reservation_id, recall=_same_reservation
    )
