"""CopyImage is idempotent for a repeated `ClientToken`.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html,
`ClientToken`; https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html):
"If you repeat a request with the same client token and the same parameters, the
request returns the same response (the same resource id) and no new resource is
created"; "If you repeat a request with the same client token, but change one or more
parameters, [the API] returns an IdempotentParameterMismatch error". Tokens are scoped to
the account and region. moto ignores the token and copies again.

Installed after copy_image_encryption and copy_image_tags (ORDER_CONSTRAINTS in extensions/__init__.py),
so it wraps them: a repeated request returns before anything is copied or tagged.
"""

from __future__ import annotations

from moto.core.responses import ActionResult
from moto.ec2.responses.amis import AmisResponse

from ._client_tokens import once_per_token


def copy_image_response(original):
    # The first copy's id is answered again even once that copy is gone, as AWS does (the collection must cope).
    return once_per_token(
        original,
        "_copy_image_client_tokens",
        remember=lambda answer: answer.result["ImageId"],
        recall=lambda _responses, image_id: ActionResult({"ImageId": image_id}),
    )


def install() -> None:
    AmisResponse.copy_image = copy_image_response(AmisResponse.copy_image)
