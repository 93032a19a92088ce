"""AWS error responses in each wire protocol, for errors the emulator makes itself.

EC2 query errors: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
(`<Response><Errors><Error>…</Error></Errors><RequestID>`); other query services
(autoscaling, sts, …) use `<ErrorResponse>`; JSON services use `__type`.
"""

from __future__ import annotations

import json
import uuid
from xml.sax.saxutils import escape


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
    reason = {400: "Bad Request", 500: "Internal Server Error", 503: "Service Unavailable"}.get(status, "Error")
    headers = [
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("x-amzn-RequestId", request_id),
    ]
    return f"{status} {reason}", headers, body
