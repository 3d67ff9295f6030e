"""POST /v2/enqueue: PagerDuty's Events API v2, so that any tool able to page PagerDuty pages
Vigil once its events URL is changed.

`routing_key` is a Vigil integration key bound to a service (PagerDuty's routing keys belong
to one service too), so no Authorization header is needed. A trigger becomes an alert:

- summary `payload.summary`; severity `payload.severity`; event time `payload.timestamp`;
- labels `source`, `component`, `group` and `class` from `payload`;
- Vigil's `source` (the sending tool) is `client`, else "events-api-v2";
- links: `links[]`, `client_url`, and each image's `src`;
- details: `{"custom_details": ..., "images": [...]}` as sent.

`acknowledge` acknowledges the incident of the firing alert with `dedup_key`; `resolve`
resolves that alert. Answers mimic PagerDuty's: 202 `{status, message, dedup_key}`, 400
`{status: "invalid event", message, errors}`, each error answer with Vigil's `code` too.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.metrics import metered_ingest
from api.webhooks.common import (
    Failure,
    FieldNames,
    authenticate,
    classify,
    container_of,
    read_json,
)
from api.webhooks.mapping import MAX_SUMMARY, clip, event_time, links
from api.webhooks.schemas import check, validator
from domain.alert.model import MAX_LABEL_VALUE, AlertDraft, AlertStatus, Severity
from domain.auth import Action, Principal
from domain.errors import ValidationError

_TEXT: dict[str, Any] = {"type": "string"}
_LABEL: dict[str, Any] = {"type": "string", "maxLength": MAX_LABEL_VALUE}
_LABEL_FIELDS = ("source", "component", "group", "class")

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["routing_key", "event_action"],
    "properties": {
        "routing_key": {"type": "string", "minLength": 1},
        "event_action": {"enum": ["trigger", "acknowledge", "resolve"]},
        "dedup_key": {"type": "string", "minLength": 1, "maxLength": 255},
        "payload": {
            "type": "object",
            "required": ["summary", "source", "severity"],
            "properties": {
                "summary": {"type": "string", "minLength": 1},
                "source": {**_LABEL, "minLength": 1},
                "severity": {"enum": [s.value for s in Severity]},
                "timestamp": _TEXT,
                "component": _LABEL,
                "group": _LABEL,
                "class": _LABEL,
            },
        },
        "client": _TEXT,
        "client_url": _TEXT,
        "links": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["href"],
                "properties": {"href": _TEXT, "text": _TEXT},
            },
        },
        "images": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["src"],
                "properties": {"src": _TEXT, "href": _TEXT, "alt": _TEXT},
            },
        },
    },
    "allOf": [
        {
            "if": {
                "required": ["event_action"],
                "properties": {"event_action": {"const": "trigger"}},
            },
            "then": {"required": ["payload"]},
        },
        {
            "if": {
                "required": ["event_action"],
                "properties": {"event_action": {"enum": ["acknowledge", "resolve"]}},
            },
            "then": {"required": ["dedup_key"]},
        },
    ],
}

FIELDS = FieldNames(
    {
        "summary": "payload.summary",
        "occurredAt": "payload.timestamp",
        "labels": "payload",
        "details": "payload.custom_details",
        "dedupKey": "dedup_key",
        "source": "client",
    },
    single=True,
)

_SCHEMA = validator(SCHEMA)

_STATUS_NAMES = {
    400: "invalid event",
    401: "unauthorized",
    403: "forbidden",
    413: "request too large",
    415: "unsupported media type",
    503: "unavailable",
}


async def enqueue(request: Request) -> Response:
    try:
        event = await read_json(request)
        check(_SCHEMA, event)
        principal = await routing_key_owner(request, event["routing_key"])
        dedup_key = await _apply(request, principal, event)
    except Exception as exc:  # the boundary: every failure becomes a PagerDuty-shaped answer
        failure = classify(exc, request, FIELDS, invalid_status=400)
        return JSONResponse(error_body(failure), failure.status, headers=failure.headers())
    return JSONResponse(
        {"status": "success", "message": "Event processed", "dedup_key": dedup_key}, 202
    )


async def routing_key_owner(request: Request, routing_key: str) -> Principal:
    principal = await authenticate(request, routing_key)
    principal.require(Action.INGEST)
    if principal.service_id is None:
        raise ValidationError(
            "'routing_key' must be an integration key bound to a service: PagerDuty's "
            "routing keys each belong to one service, and so does every event sent here.",
            suggestion="Create the integration key with a serviceId and send its secret.",
            field="routing_key",
        )
    return principal


async def _apply(request: Request, principal: Principal, event: dict[str, Any]) -> str:
    """Carry out the event; return its dedup key (made up for a trigger that had none)."""
    ingest = container_of(request).ingest
    action: str = event["event_action"]
    if action == "acknowledge":
        await ingest.acknowledge(principal, [event["dedup_key"]])
        return str(event["dedup_key"])
    draft = _trigger(event) if action == "trigger" else _resolve(event)
    await metered_ingest(ingest, principal, [draft], with_incidents=False)
    assert draft.dedup_key is not None, "both kinds of draft carry a key"
    return draft.dedup_key


def _trigger(event: dict[str, Any]) -> AlertDraft:
    payload: dict[str, Any] = event["payload"]
    client: str = event.get("client") or ""
    images: list[dict[str, str]] = event.get("images") or []
    details: dict[str, Any] = {}
    if "custom_details" in payload:
        details["custom_details"] = payload["custom_details"]
    if images:
        details["images"] = images
    return AlertDraft(
        summary=clip(payload["summary"], MAX_SUMMARY),
        source=clip(client, 255) or "events-api-v2",
        severity=Severity(payload["severity"]),
        labels={key: payload[key] for key in _LABEL_FIELDS if payload.get(key)},
        # PagerDuty makes a key up for a trigger without one, and answers with it.
        dedup_key=event.get("dedup_key") or uuid.uuid4().hex,
        occurred_at=event_time(payload.get("timestamp"), "payload.timestamp"),
        links=links(
            *((link["href"], link.get("text", "")) for link in event.get("links") or []),
            (event.get("client_url"), client or "Client"),
            *((image["src"], image.get("alt") or "Image") for image in images),
        ),
        details=details,
    )


def _resolve(event: dict[str, Any]) -> AlertDraft:
    # Only the key matters to a resolve; the domain wants a summary all the same.
    return AlertDraft(
        summary=f"Resolve {event['dedup_key']}",
        dedup_key=event["dedup_key"],
        status=AlertStatus.RESOLVED,
    )


def error_body(failure: Failure) -> dict[str, Any]:
    problems = failure.problems or [failure.error]
    body = failure.body()
    body.pop("message")
    invalid = failure.status == 400
    return {
        "status": _STATUS_NAMES.get(failure.status, "error"),
        "message": "Event object is invalid" if invalid else failure.error.message,
        "errors": [problem.message for problem in problems],
        **body,
    }
