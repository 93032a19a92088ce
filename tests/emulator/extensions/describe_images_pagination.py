"""DescribeImages honours `MaxResults` and `NextToken`.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html): `MaxResults` -
"The maximum number of items to return for this request. To get the next page of items, make another
request with the token returned in the output."; `NextToken` - "The token returned from a previous
paginated request. Pagination continues from the end of the items returned by the previous request.";
the response's `nextToken` - "This value is null when there are no more items to return." moto 5.2.5
ignores both parameters and answers every image at once, so paging code was never exercised.

Refused, as AWS refuses them:
- `ImageIds` with `MaxResults` (or `NextToken`): `InvalidParameterCombination` "The parameter
  imageIdsSet cannot be used with the parameter maxResults", the error AWS's own Ruby SDK works around
  (https://github.com/aws/aws-sdk-ruby, gems/aws-sdk-ec2/lib/aws-sdk-ec2/customizations/resource.rb:
  "Prevent the error: The parameter imageIdsSet cannot be used with the parameter maxResults");
  DescribeInstances documents the same rule: "You cannot specify this parameter and the instance IDs
  parameter in the same request." Refusing NextToken with ImageIds too is chosen by us.
- `MaxResults` outside 5..1000: DescribeImages documents no range. 5..1000 is the range of its sibling
  DescribeInstances, which refuses smaller values with `InvalidParameterValue` "Value ( 1 ) for
  parameter maxResults is invalid. Expecting a value greater than 5."
  (https://github.com/aws/aws-sdk-ruby/pull/2575); range and code here are chosen by us (strict).
- a `NextToken` this emulator did not hand out for the same request (other filters, owners, ...):
  `InvalidPaginationToken`, "The specified pagination token is not valid or is expired."
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html); tying a token to
  its request is chosen by us (AWS documents no such rule, so a client that changes the request
  between pages is refused rather than silently mixing two result sets).

Installed after every extension that removes images from DescribeImages' answer (see ORDER in
extensions/__init__.py), so a page holds MaxResults images the caller may actually see.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.amis import AmisResponse

MIN_RESULTS, MAX_RESULTS = 5, 1000
_NOT_PART_OF_THE_QUERY = ("Action", "Version", "MaxResults", "NextToken", "DryRun")


def _query_fingerprint(querystring: dict) -> str:
    query = sorted((key, list(values)) for key, values in querystring.items() if key not in _NOT_PART_OF_THE_QUERY)
    return hashlib.sha256(json.dumps(query).encode()).hexdigest()[:16]


def next_token(querystring: dict, offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset, "query": _query_fingerprint(querystring)}).encode()).decode()


def token_offset(querystring: dict, token: str) -> int:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
        offset = int(decoded["offset"])
        is_for_this_query = decoded["query"] == _query_fingerprint(querystring)
    except (ValueError, TypeError, KeyError):
        is_for_this_query, offset = False, -1
    if not is_for_this_query or offset < 0:
        raise EC2ClientError("InvalidPaginationToken", "The specified pagination token is not valid or is expired.")
    return offset


def _max_results(response) -> int | None:
    value = response._get_param("MaxResults")
    if value is None:
        return None
    try:
        max_results = int(value)
    except (TypeError, ValueError):
        max_results = MIN_RESULTS - 1
    if not MIN_RESULTS <= max_results <= MAX_RESULTS:
        raise EC2ClientError(
            "InvalidParameterValue",
            f"Value ( {value} ) for parameter maxResults is invalid. Expecting a value from ( {MIN_RESULTS} ) to ( {MAX_RESULTS} ).",
        )
    return max_results


def install() -> None:
    original = AmisResponse.describe_images

    @functools.wraps(original)
    def describe_images(self):
        token = self._get_param("NextToken")
        if self._get_param("ImageIds"):
            for name, given in (("maxResults", self._get_param("MaxResults") is not None), ("nextToken", token is not None)):
                if given:
                    raise EC2ClientError("InvalidParameterCombination", f"The parameter imageIdsSet cannot be used with the parameter {name}")
        max_results = _max_results(self)
        start = token_offset(self.querystring, token) if token is not None else 0
        result = original(self)
        if max_results is None and token is None:
            return result
        images = result.result["Images"]
        end = len(images) if max_results is None else start + max_results
        page = {**result.result, "Images": images[start:end]}
        if end < len(images):
            page["NextToken"] = next_token(self.querystring, end)
        return ActionResult(page)

    AmisResponse.describe_images = describe_images
