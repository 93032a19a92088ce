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

import functools

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.amis import AmisResponse

from ._client_tokens import request_fingerprint, token_lock

def copy_image_response(original):
    @functools.wraps(original)
    def copy_image(self):
        token = self._get_param("ClientToken")
        if not token:
            return original(self)
        # Kept on moto's backend object, so the emulator's reset forgets the tokens with the images.
        tokens = self.ec2_backend.__dict__.setdefault("_copy_image_client_tokens", {})
        fingerprint = request_fingerprint(self.querystring)
        with token_lock:
            known = tokens.get(token)
            if known is not None:
                known_fingerprint, image_id = known
                if known_fingerprint != fingerprint:
                    raise EC2ClientError(
                        "IdempotentParameterMismatch",
                        f"The client token '{token}' was already used with different parameters (for {image_id}).",
                    )
                return ActionResult({"ImageId": image_id})
            result = original(self)
            tokens[token] = (fingerprint, result.result["ImageId"])
            return result

    return copy_image


def install() -> None:
    AmisResponse.copy_image = copy_image_response(AmisResponse.copy_image)
