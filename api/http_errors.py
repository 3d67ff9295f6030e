"""Errors on the HTTP routes: one status per error code, one JSON body.

Every route outside GraphQL (webhooks, calendar feeds, heartbeats, status pages,
charts, exports, acknowledge links, metrics) answers a `VigilError` with the status
below and, when it answers JSON, the body of `error_body`:
`{"code", "message", "suggestion", "field"?, "requestId"?}`. PagerDuty's endpoints
wrap that body in PagerDuty's own shape (api/webhooks/pagerduty.py). A refusal on
`/graphql` itself takes GraphQL's shape instead (`graphql_error_response`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import JSONResponse

from api.request_scope import current_request_id
from domain.errors import ErrorCode, RateLimitedError, VigilError

HTTP_STATUS: Mapping[ErrorCode, int] = {
    ErrorCode.VALIDATION: 422,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.INVALID_TRANSITION: 409,
    ErrorCode.CONFLICT: 409,
    ErrorCode.BATCH_TOO_LARGE: 413,
    ErrorCode.REQUEST_TOO_LARGE: 413,
    ErrorCode.RATE_LIMITED: 429,
    # 5xx on purpose: monitors retry those, so a store outage delays alerts but loses none.
    ErrorCode.STORE_UNAVAILABLE: 503,
    ErrorCode.EMBEDDED_STORE_FAILED: 503,
}


def status_of(error: VigilError) -> int:
    return HTTP_STATUS.get(error.code, 500)


def error_headers(error: VigilError, status: int) -> dict[str, str]:
    """What the client needs to act on the error: when to retry, which scheme to send."""
    if isinstance(error, RateLimitedError):
        return {"Retry-After": str(error.retry_after_s)}
    return {"WWW-Authenticate": "Bearer"} if status == 401 else {}


def error_body(error: VigilError) -> dict[str, Any]:
    """The JSON body of an HTTP error outside GraphQL."""
    body: dict[str, Any] = {
        "code": error.code.value,
        "message": error.message,
        "suggestion": error.suggestion,
    }
    if error.field:
        body["field"] = error.field
    if request_id := current_request_id():
        body["requestId"] = request_id
    return body


def error_response(
    error: VigilError, status: int | None = None, *, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """`error` as JSON, with its code's status unless `status` is given, and the headers
    of `error_headers` (`headers` added)."""
    status = status_of(error) if status is None else status
    return JSONResponse(
        error_body(error), status, headers={**error_headers(error, status), **(headers or {})}
    )


def graphql_error_response(
    error: VigilError, status: int, *, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A refusal on /graphql in the shape GraphQL clients read: `errors[0].extensions.code`."""
    extensions: dict[str, Any] = dict(error.extensions)
    if request_id := current_request_id():
        extensions["requestId"] = request_id
    return JSONResponse(
        {"data": None, "errors": [{"message": error.message, "extensions": extensions}]},
        status,
        headers=dict(headers or {}),
    )
