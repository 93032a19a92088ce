# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One service client in one region, whose failures become ``AwsCallError`` naming the call and its input."""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError

try:
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.parsers import ResponseParserError

    # An endpoint that answers with something other than the AWS protocol (a proxy's HTML error page,
    # an emulator's unimplemented action) surfaces as a parser error, not a BotoCoreError.
    TRANSPORT_ERRORS = (BotoCoreError, ResponseParserError)
except ImportError:  # pragma: no cover - reported by the module base as a missing library
    BotoCoreError = ClientError = Exception
    TRANSPORT_ERRORS = (Exception,)


class RegionalApi:
    """Calls one AWS service in one region. Retries are botocore's (standard/adaptive mode), not ours."""

    def __init__(self, client, region):
        self.client = client
        self.region = region

    def call(self, operation, **params):
        """Call ``operation`` (boto3 snake_case name) and return the response."""
        method = getattr(self.client, operation)
        try:
            return method(**params)
        except ClientError as error:
            raise self._error(operation, params, error) from error
        except TRANSPORT_ERRORS as error:
            raise AwsCallError(self._api_name(operation), type(error).__name__, str(error), self.region, params) from error

    def paginate(self, operation, result_key, **params):
        """Every item of ``result_key`` across all pages of ``operation``."""
        try:
            paginator = self.client.get_paginator(operation)
            items = []
            for page in paginator.paginate(**params):
                items.extend(page.get(result_key, []))
            return items
        except ClientError as error:
            raise self._error(operation, params, error) from error
        except TRANSPORT_ERRORS as error:
            raise AwsCallError(self._api_name(operation), type(error).__name__, str(error), self.region, params) from error

    def _api_name(self, operation):
        return self.client.meta.method_to_api_mapping.get(operation, operation)

    def _error(self, operation, params, error):
        details = error.response.get("Error", {})
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return AwsCallError(
            self._api_name(operation),
            details.get("Code", "Unknown"),
            details.get("Message", str(error)),
            self.region,
            params,
            status,
        )


def error_code(error):
    """The AWS error code of an ``AwsCallError`` (or None for anything else)."""
    return getattr(error, "code", None)
