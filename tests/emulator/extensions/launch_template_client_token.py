"""CreateLaunchTemplate and CreateLaunchTemplateVersion are idempotent for a repeated `ClientToken`.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html, `ClientToken`:
"Unique, case-sensitive identifier you provide to ensure the idempotency of the request. If a client token isn't
specified, a randomly generated token is used in the request to ensure idempotency."; the same for
API_CreateLaunchTemplate.html; https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html: "If you
repeat a request with the same client token and the same parameters, the request returns the same response (the same
resource id) and no new resource is created", and with the same token but other parameters the API "returns an
IdempotentParameterMismatch error"). Tokens are scoped to the account and region. botocore puts a random token in
every request that has none and reuses it on its own retries, so a retry after a lost answer gets the first answer.

moto 5.2.5 ignores the token: a retried CreateLaunchTemplateVersion makes a second version, and a retried
CreateLaunchTemplate fails with `InvalidLaunchTemplateName.AlreadyExistsException`.
"""

from __future__ import annotations

import copy

from moto.ec2.responses.launch_templates import LaunchTemplates

from ._client_tokens import once_per_token


def _idempotent(handler, store):
    return once_per_token(handler, store, remember=copy.deepcopy, recall=lambda _responses, answer: copy.deepcopy(answer))


def install() -> None:
    LaunchTemplates.create_launch_template = _idempotent(LaunchTemplates.create_launch_template, "_create_launch_template_tokens")
    LaunchTemplates.create_launch_template_version = _idempotent(
        LaunchTemplates.create_launch_template_version, "_create_launch_template_version_tokens"
    )
