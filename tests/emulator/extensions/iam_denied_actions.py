"""`config.denied_actions`: the caller lacks these IAM actions; a request for one is refused, DryRun or not.

moto evaluates no IAM policy by default: every request is allowed. AWS evaluates the caller's policies before the
service acts on the request, and a DryRun asks exactly that question: "Checks whether you have the required
permissions for the action, without actually making the request, and provides an error response. If you have the
required permissions, the error response is DryRunOperation. Otherwise, it is UnauthorizedOperation."
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html, `DryRun`). A real request without the
permission fails the same way: "if a user is not authorized to perform an operation that he or she has requested, the
request returns a Client.UnauthorizedOperation response (an HTTP 403 response). Some AWS operations additionally
return an encoded message" (https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html).

Here: `config.denied_actions` lists IAM actions (`ec2:CopyImage`, with IAM's `*` and `?` wildcards, matched without
regard to case as IAM matches action names). A request for a listed action answers, before any handler or other
extension sees it (IAM comes first):
- EC2: `UnauthorizedOperation`, HTTP 403, "You are not authorized to perform this operation. Encoded authorization
  failure message: ..." (the encoded message here is only base64 of the action; AWS's is opaque);
- other services (KMS, SSM, Auto Scaling, STS): `AccessDeniedException`, HTTP 400, "User: ... is not authorized to
  perform: <action>": the code of the common errors of those APIs ("You do not have sufficient access to perform this
  action.", https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html); the status for the Query APIs is
  chosen by us.
Actions AWS evaluates on the caller's behalf (ec2:CreateTags for TagSpecifications, iam:PassRole, kms:CreateGrant) are
not evaluated here: deny the action the request names.
"""

from __future__ import annotations

import base64
import fnmatch
import functools

from moto.core.responses import BaseResponse

from ..config import emulator_config
from ..error_bodies import call_action_error, protocol_of

EC2_DENIAL = ("UnauthorizedOperation", 403)
OTHER_DENIAL = ("AccessDeniedException", 400)
EMULATOR_PRINCIPAL = "arn:aws:iam::123456789012:user/moto"


def is_denied(qualified_action: str) -> bool:
    """Whether ``service:Action`` matches a pattern of ``config.denied_actions``."""
    action = qualified_action.lower()
    return any(fnmatch.fnmatchcase(action, str(pattern).lower()) for pattern in emulator_config.denied_actions)


def denial(response: BaseResponse, qualified_action: str):
    """(status, headers, body) of the refusal of ``qualified_action``, in the request's protocol."""
    protocol = protocol_of(response)
    if protocol == "ec2":
        code, status = EC2_DENIAL
        encoded = base64.urlsafe_b64encode(qualified_action.encode()).decode()
        message = "You are not authorized to perform this operation. Encoded authorization failure message: %s" % encoded
    else:
        code, status = OTHER_DENIAL
        message = "User: %s is not authorized to perform: %s because no identity-based policy allows the %s action" % (
            EMULATOR_PRINCIPAL, qualified_action, qualified_action)
    return call_action_error(protocol, status, code, message)


def qualified_action_of(response: BaseResponse) -> str:
    return "%s:%s" % (response.service_name, response._get_action())


def install() -> None:
    original = BaseResponse.call_action

    @functools.wraps(original)
    def call_action(self):
        if emulator_config.denied_actions:
            qualified_action = qualified_action_of(self)
            if is_denied(qualified_action):
                return denial(self, qualified_action)
        return original(self)

    BaseResponse.call_action = call_action
