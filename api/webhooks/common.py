"""What every webhook endpoint does the same way: read the body, find the caller, ingest,
and turn failures into JSON errors.

A 2xx is only ever sent after the domain's ingest call has returned, so a monitor that sees
one may forget the alerts. A 4xx has stored nothing: the whole payload is translated into
drafts before the domain sees any of them, and the domain refuses a bad batch whole.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pymongo.errors import ConnectionFailure
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import Authenticator
from api.container import Container
from api.http_errors import error_body, error_headers, status_of
from api.metrics import metered_ingest
from api.rate_limit import RateLimits, presented_secret
from api.webhooks.schemas import InvalidPayload
from domain.alert.model import AlertDraft
from domain.auth import Action, Principal
from domain.errors import (
    StoreUnavailableError,
    ValidationError,
    VigilError,
)
from domain.ingest.model import IngestOutcome, IngestOutcomeKind

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 512 * 1024
"""As PagerDuty's Events API: a monitor's payload larger than this is a mistake."""
_REPORTED_PROBLEMS = 10
_RETRY = "Send the alerts again: a retry never stores an alert twice."


class RequestRejected(Exception):
    """The request itself is unusable (size, media type, JSON syntax): a fixed HTTP status."""

    def __init__(self, status: int, error: VigilError) -> None:
        super().__init__(error.message)
        self.status = status
        self.error = error


# --- reading the request -------------------------------------------------------------------


async def read_json(request: Request) -> Any:
    """The body as JSON, after the media type and size checks."""
    _require_json_media_type(request)
    return _parse(await _body(request))


def _require_json_media_type(request: Request) -> None:
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        raise RequestRejected(
            415,
            ValidationError(
                f"The body must be JSON sent as 'Content-Type: application/json', "
                f"got {media_type or 'no Content-Type'!r}.",
                suggestion="Set the header 'Content-Type: application/json'.",
            ),
        )
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding != "identity":
        raise RequestRejected(
            415,
            ValidationError(
                f"Content-Encoding {encoding!r} is not supported.",
                suggestion="Send the JSON body uncompressed.",
            ),
        )


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large(int(declared))
    chunks: list[bytes] = []
    size = 0
    # Counted while streaming too: a chunked body declares no length.
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large(size)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int) -> RequestRejected:
    return RequestRejected(
        413,
        ValidationError(
            f"The body is {size} bytes or more; the limit is {MAX_BODY_BYTES} bytes (512 KB).",
            suggestion="Send fewer alerts per request, or shorten annotations and details.",
        ),
    )


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _parse(body: bytes) -> Any:
    if not body.strip():
        raise _malformed("The body is empty.")
    try:
        return json.loads(body, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise _malformed(
            f"The body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except UnicodeDecodeError:
        raise _malformed("The body is not valid JSON: it is not UTF-8 text.") from None
    except ValueError as exc:
        raise _malformed(f"The body is not valid JSON: {exc}.") from None
    except RecursionError:
        raise _malformed("The body is not valid JSON: it is nested too deeply.") from None


def _malformed(message: str) -> RequestRejected:
    return RequestRejected(
        400, ValidationError(message, suggestion="Check the JSON with a JSON validator.")
    )


# --- who is calling --------------------------------------------------------------------------


def container_of(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


async def authenticate(request: Request, secret: str | None) -> Principal:
    """The caller behind `secret`, or else behind the Authorization header."""
    authenticator: Authenticator = request.app.state.authenticator
    header = f"Bearer {secret}" if secret else request.headers.get("authorization")
    limits: RateLimits = request.app.state.rate_limits
    if (presented := presented_secret(header)) is not None:
        # Before the store is asked: a flood is refused without costing a read.
        limits.check(presented)
    return await authenticator.from_header(header)


async def ingest_caller(request: Request) -> Principal:
    """A caller allowed to ingest: the key in the URL path if there is one, else the header."""
    principal = await authenticate(request, request.path_params.get("key"))
    # Checked before the body is read: a caller who may not ingest learns nothing more.
    principal.require(Action.INGEST)
    return principal


# --- translating into drafts -----------------------------------------------------------------


def drafts_from(items: Sequence[Any], translate: Callable[[Any], AlertDraft]) -> list[AlertDraft]:
    """Translate every alert of a payload, naming the alert that fails: all or nothing."""
    drafts = []
    for index, item in enumerate(items):
        try:
            drafts.append(translate(item))
        except ValidationError as exc:
            raise exc.located(f"alerts[{index}]") from exc
    return drafts


@dataclass(frozen=True, slots=True)
class FieldNames:
    """How a format calls the domain's fields, so errors name what the sender sent.

    The domain names fields as in GraphQL (`alerts[2].occurredAt`); Alertmanager sent
    `startsAt` there. `single` formats carry one event, not a list of alerts.
    """

    names: Mapping[str, str]
    single: bool = False

    def payload_field(self, field: str) -> str:
        head, dot, last = field.rpartition(".")
        if not dot:
            head, last = "", field
        if self.single and head == "alerts[0]":
            head = ""
        renamed = self.names.get(last, last)
        return f"{head}.{renamed}" if head else renamed


# --- answering ----------------------------------------------------------------------------


Handler = Callable[[Request], Awaitable[Response]]


def outcome_body(outcomes: Sequence[IngestOutcome]) -> dict[str, Any]:
    counts = Counter(outcome.kind for outcome in outcomes)
    return {
        "status": "ok",
        "received": len(outcomes),
        "outcomes": {kind.value: counts[kind] for kind in IngestOutcomeKind},
        "alerts": [
            {
                "outcome": outcome.kind.value,
                "alertId": outcome.alert.id if outcome.alert else None,
                "dedupKey": outcome.alert.dedup_key if outcome.alert else None,
                "incidentId": outcome.alert.incident_id if outcome.alert else None,
            }
            for outcome in outcomes
        ],
    }


@dataclass(frozen=True, slots=True)
class Failure:
    """An exception, classified: the HTTP status and the error the client is shown."""

    status: int
    error: VigilError
    problems: Sequence[VigilError]

    def body(self) -> dict[str, Any]:
        return error_body(self.error)

    def headers(self) -> dict[str, str]:
        return error_headers(self.error, self.status)


def classify(
    exc: Exception, request: Request, fields: FieldNames, *, invalid_status: int = 422
) -> Failure:
    """Turn anything raised while handling a webhook into what the client is told;
    `invalid_status` answers a payload that breaks its format."""
    # The route's template, not the URL: a URL may carry an integration key.
    where = getattr(request.scope.get("route"), "path", "webhook")
    if isinstance(exc, RequestRejected):
        failure = Failure(exc.status, exc.error, [exc.error])
    elif isinstance(exc, InvalidPayload):
        # Schema errors already name the payload's own fields.
        failure = Failure(invalid_status, exc.problems[0], exc.problems)
    elif isinstance(exc, ValidationError):
        renamed = _renamed(exc, fields)
        failure = Failure(invalid_status, renamed, [renamed])
    elif isinstance(exc, VigilError):
        failure = Failure(status_of(exc), exc, [])
    elif isinstance(exc, ConnectionFailure):
        log.warning("store unavailable during %s: %s", where, exc)
        failure = Failure(503, StoreUnavailableError(f"The database is unavailable. {_RETRY}"), [])
    else:
        log.error("unexpected error in %s", where, exc_info=exc)
        failure = Failure(500, VigilError(f"Unexpected error. {_RETRY}"), [])
    if failure.status < 500:
        # Monitors do not retry 4xx: the log is where an operator learns alerts were refused.
        log.warning(
            "%s refused (%d %s): %s",
            where,
            failure.status,
            failure.error.code.value,
            failure.error.message,
        )
    return failure


def _renamed(error: ValidationError, fields: FieldNames) -> ValidationError:
    if not error.field:
        return error
    return type(error)(
        error.message, suggestion=error.suggestion, field=fields.payload_field(error.field)
    )


def keyed_endpoint(
    parse: Callable[[Any], list[AlertDraft]],
    fields: FieldNames | Callable[[Any], FieldNames],
) -> Handler:
    """An endpoint authenticated by an integration key (header or URL path) that ingests the
    drafts `parse` makes of the JSON body. `fields` may depend on the payload's shape."""

    async def endpoint(request: Request) -> Response:
        payload: Any = None
        try:
            principal = await ingest_caller(request)
            payload = await read_json(request)
            drafts = parse(payload)
            if principal.service_id is not None:
                # The key's service is where its alerts go, whatever their labels say.
                drafts = [replace(draft, service=None) for draft in drafts]
            # The answer names each alert's incident by id only (`outcome_body`).
            outcomes = await metered_ingest(
                container_of(request).ingest, principal, drafts, with_incidents=False
            )
        except Exception as exc:  # the boundary: every failure becomes a JSON answer
            names = fields if isinstance(fields, FieldNames) else fields(payload)
            failure = classify(exc, request, names)
            return JSONResponse(failure.body(), failure.status, headers=failure.headers())
        return JSONResponse(outcome_body(outcomes))

    return endpoint
