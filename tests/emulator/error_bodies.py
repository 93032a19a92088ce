"""AWS error responses in each wire protocol, for errors the emulator makes itself.

EC2 query errors: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
(`<Response><Errors><Error>…</Error></Errors><RequestID>`); other query services
(autoscaling, sts, …) use `<ErrorResponse>`; JSON services use `__type`.
"""

from __future__ import annotations

import json
import uuid
from xml.sax.saxutils import escape

from werkzeug.exceptions import HTTPException

REASONS = {400: "Bad Request", 500: "Internal Server Error", 503: "Service Unavailable"}


def error_response(protocol: str, status: int, code: str, message: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """(status line, headers, body) for an AWS error in the given protocol."""
    request_id = str(uuid.uuid4())
    if protocol == "json":
        body = json.dumps({"__type": code, "message": message}).encode()
        content_type = "application/x-amz-json-1.1"
    elif protocol == "ec2":
        body = (
            f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        ).encode()
        content_type = "text/xml;charset=UTF-8"
    else:
        error_type = "Sender" if status < 500 else "Receiver"
        body = (
            f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse><Error><Type>{error_type}</Type>"
            f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
        content_type = "text/xml"
    headers = [
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("x-amzn-RequestId", request_id),
    ]
    return f"{status} {REASONS.get(status, 'Error')}", headers, body


def protocol_of(response) -> str:
    """The protocol of the request a moto ``BaseResponse`` handles: json (X-Amz-Target), ec2, or query."""
    if response.headers.get("X-Amz-Target") or response.headers.get("x-amz-target"):
        return "json"
    return "ec2" if response.service_name == "ec2" else "query"


def call_action_error(protocol: str, status: int, code: str, message: str) -> tuple[int, dict, str]:
    """An AWS error as the (status, headers, body) a wrapper of moto's ``BaseResponse.call_action`` returns instead of
    calling it: for refusals made before any handler runs."""
    _, headers, body = error_response(protocol, status, code, message)
    return status, dict(headers), body.decode()


class StatusedServiceError(HTTPException):
    """An AWS error answered with a status moto cannot give it.

    moto serializes every EC2 error with HTTP 400: the EC2 model has no error shapes to read a status
    from (moto/core/errors.py `get_error_model`). Raised inside a moto handler (or a backend method it
    calls), moto's dispatcher answers this exception's status and body as they are
    (moto/core/responses.py `call_action`, the `HTTPException` branch).
    """

    def __init__(self, protocol: str, status: int, code: str, message: str) -> None:
        _, headers, body = error_response(protocol, status, code, message)
        super().__init__(description=body.decode())
        self.code = status
        self.error_code = code
        # moto sets Content-Length itself once it has the final body.
        self._headers = [(name, value) for name, value in headers if name != "Content-Length"]

    def get_headers(self, environ=None, scope=None) -> list[tuple[str, str]]:
        return list(self._headers)
