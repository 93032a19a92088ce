"""What an incoming WSGI request is, in AWS terms: service, region, action, protocol.

Read once by the middleware, before moto sees the request. The body is buffered and put
back into the environ so moto can read it again.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from .s3_rest_actions import s3_action

# SigV4: "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/ec2/aws4_request, ..."
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request")

READ_ONLY_PREFIXES = ("Describe", "Get", "List", "Search", "Head")


@dataclass(frozen=True)
class AwsRequest:
    service: str
    region: str
    action: str
    dry_run: bool
    protocol: str  # "ec2", "query" (also S3's REST) or "json"

    @property
    def qualified_action(self) -> str:
        return f"{self.service}:{self.action}"

    @property
    def is_mutating(self) -> bool:
        return not self.dry_run and not self.action.startswith(READ_ONLY_PREFIXES)


def buffer_body(environ: dict) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def parse_aws_request(environ: dict) -> AwsRequest:
    body = buffer_body(environ)
    # A presigned URL carries the credential scope in its query string (X-Amz-Credential), not in a header; S3's older
    # (SigV2) presigned URLs carry AWSAccessKeyId and Signature, and no region.
    query = parse_qs(environ.get("QUERY_STRING", ""))
    presigned = query.get("X-Amz-Credential", [""])[0]
    scope = _CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", "")) or _CREDENTIAL_SCOPE.search("Credential=" + presigned)
    service = scope.group("service") if scope else "unknown"
    region = scope.group("region") if scope else "unknown"
    if scope is None and "AWSAccessKeyId" in query and "Signature" in query:
        service = "s3"

    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        # JSON protocol: "AmazonSSM.StartAutomationExecution"
        action = target.rsplit(".", 1)[-1]
        dry_run = False
        protocol = "json"
    elif service == "s3":
        action = s3_action(environ)
        dry_run = False
        # S3's errors are XML <Error> bodies; botocore's rest-xml parser reads the query services' <ErrorResponse> too.
        protocol = "query"
    else:
        form = parse_qs(body.decode("utf-8", "replace")) if body else {}
        query = parse_qs(environ.get("QUERY_STRING", ""))
        action = (form.get("Action") or query.get("Action") or ["Unknown"])[0]
        dry_run = (form.get("DryRun") or query.get("DryRun") or ["false"])[0].lower() == "true"
        protocol = "ec2" if service == "ec2" else "query"
    return AwsRequest(service=service, region=region, action=action, dry_run=dry_run, protocol=protocol)
