"""What every webhook endpoint does the same way: read the body, find the caller, check the
payload against its schema, ingest, and turn failures into JSON errors.

A 2xx is only ever sent after the domain's ingest call has returned, so a monitor that sees
one may forget the alerts; everything refused before that point has stored nothing, because
a whole payload is translated into drafts before the domain sees any of them.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from jsonschema.exceptions import relevance
from pymongo.errors import ConnectionFailure
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import Authenticator
from api.container import Container
from domain.alert.model import AlertDraft
from domain.auth import Action, Principal
from domain.errors import (
    BatchTooLargeError,
    ErrorCode,
    StoreUnavailableError,
    ValidationError,
    VigilError,
)
from domain.ingest.model import MAX_BATCH, IngestOutcome, IngestOutcomeKind

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 512 * 1024
"""As PagerDuty's Events API: a monitor's payload larger than this is a mistake."""
_REPORTED_PROBLEMS = 10

_STATUS = {
    ErrorCode.VALIDATION: 422,
    ErrorCode.BATCH_TOO_LARGE: 422,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.INVALID_TRANSITION: 409,
    ErrorCode.CONFLICT: 409,
    # 5xx on purpose: monitors retry those, so a store outage delays alerts but loses none.
    ErrorCode.STORE_UNAVAILABLE: 503,
    ErrorCode.EMBEDDED_STORE_FAILED: 503,
}


class RequestRejected(Exception):
    """The request itself is unusable (size, media type, JSON syntax): a fixed HTTP status."""

    def __init__(self, status: int, error: VigilError) -> None:
        super().__init__(error.message)
        self.status = status
        self.error = error


class InvalidPayload(Exception):
    """A payload that breaks its schema, with every problem found (up to ten), worst first."""

    def __init__(self, problems: Sequence[ValidationError]) -> None:
        super().__init__(problems[0].message)
        self.problems = list(problems)


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
    return await authenticator.from_header(header)


async def ingest_caller(request: Request) -> Principal:
    """A caller allowed to ingest: the key in the URL path if there is one, else the header."""
    principal = await authenticate(request, request.path_params.get("key"))
    # Checked before the body is read: a caller who may not ingest learns nothing more.
    principal.require(Action.INGEST)
    return principal


# --- checking payloads -----------------------------------------------------------------------


def validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def check(schema: Draft202012Validator, payload: Any) -> None:
    """Raise InvalidPayload naming the fields that break `schema`."""
    if isinstance(payload, dict) and isinstance(payload.get("alerts"), list):
        # Before the schema: validating 20,000 tiny alerts only to refuse them wastes a core.
        count = len(payload["alerts"])
        if count > MAX_BATCH:
            raise BatchTooLargeError(
                f"A call may carry at most {MAX_BATCH} alerts; this one has {count}.",
                field="alerts",
            )
    errors = sorted(islice(schema.iter_errors(payload), _REPORTED_PROBLEMS), key=relevance)
    if errors:
        raise InvalidPayload([_problem(error) for error in errors])


def _problem(error: SchemaError) -> ValidationError:
    path = list(error.absolute_path)
    instance = error.instance
    detail: str
    match error.validator:
        case "required":
            missing = [name for name in error.validator_value if name not in instance]
            path.append(missing[0])
            detail = "is required"
        case "additionalProperties":
            known = error.schema.get("properties", {})
            path.append(sorted(name for name in instance if name not in known)[0])
            detail = "is not a known field"
        case "type":
            expected = error.validator_value
            names = expected if isinstance(expected, list) else [expected]
            detail = f"must be {' or '.join(_article(name) for name in names)}"
        case "enum" | "const":
            allowed = error.validator_value
            allowed = allowed if isinstance(allowed, list) else [allowed]
            detail = f"must be one of {', '.join(json.dumps(a) for a in allowed)}"
        case "minLength":
            detail = "must not be empty"
        case "maxLength":
            detail = f"must be at most {error.validator_value} characters long"
        case "maxItems":
            detail = f"must have at most {error.validator_value} items"
        case "maxProperties":
            detail = f"must have at most {error.validator_value} entries"
        case "pattern":
            detail = f"must match the pattern {error.validator_value}"
        case _:
            detail = error.message[:300]
    field = field_path(path)
    return ValidationError(
        f"'{field or 'body'}' {detail}.",
        suggestion="Fix the named field; the format is described in docs/connect-your-monitors.md.",
        field=field or None,
    )


def _article(type_name: str) -> str:
    return {"array": "an array", "object": "an object", "integer": "an integer"}.get(
        type_name, f"a {type_name}"
    )


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def field_path(path: Iterable[str | int]) -> str:
    """`alerts[0].labels.severity`, quoting keys that are not identifiers."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part)}]"
    return text


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
        if self.single and re.fullmatch(r"alerts\[0\]", head):
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
    problems: list[ValidationError]

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.error.code.value,
            "message": self.error.message,
            "suggestion": self.error.suggestion,
        }
        if self.error.field:
            body["field"] = self.error.field
        return body

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"} if self.status == 401 else {}


def classify(exc: Exception, request: Request, fields: FieldNames) -> Failure:
    """Turn anything raised while handling a webhook into what the client is told."""
    if isinstance(exc, RequestRejected):
        failure = Failure(exc.status, exc.error, [exc.error])
    elif isinstance(exc, InvalidPayload | ValidationError):
        problems = exc.problems if isinstance(exc, InvalidPayload) else [exc]
        renamed = [_renamed(problem, fields) for problem in problems]
        failure = Failure(_STATUS[renamed[0].code], renamed[0], renamed)
    elif isinstance(exc, VigilError):
        failure = Failure(_STATUS.get(exc.code, 500), exc, [])
    elif isinstance(exc, ConnectionFailure):
        log.warning("store unavailable during webhook %s: %s", request.url.path, exc)
        unavailable = StoreUnavailableError(
            "The database is unavailable; nothing was stored. Send the alerts again."
        )
        failure = Failure(503, unavailable, [])
    else:
        log.error("unexpected error in webhook %s", request.url.path, exc_info=exc)
        failure = Failure(500, VigilError("Unexpected error; nothing was stored."), [])
    if failure.status < 500:
        # Monitors do not retry 4xx: the log is where an operator learns alerts were refused.
        log.warning(
            "webhook %s refused (%d %s): %s",
            request.url.path,
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


def keyed_endpoint(parse: Callable[[Any], list[AlertDraft]], fields: FieldNames) -> Handler:
    """An endpoint authenticated by an integration key (header or URL path) that ingests the
    drafts `parse` makes of the JSON body."""

    async def endpoint(request: Request) -> Response:
        try:
            principal = await ingest_caller(request)
            drafts = parse(await read_json(request))
            outcomes = await container_of(request).ingest.ingest(principal, drafts)
        except Exception as exc:  # the boundary: every failure becomes a JSON answer
            failure = classify(exc, request, fields)
            return JSONResponse(failure.body(), failure.status, headers=failure.headers())
        return JSONResponse(outcome_body(outcomes))

    return endpoint
