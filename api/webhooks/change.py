"""POST /v2/change/enqueue: PagerDuty's Change Events API, so a deploy pipeline that tells
PagerDuty about changes tells Vigil once its URL is changed.

`routing_key` is a Vigil integration key bound to a service, as for `/v2/enqueue`. The
change: summary `payload.summary`; event time `payload.timestamp` (default: when received);
source `payload.source` (default "change-events-api"); custom details
`payload.custom_details`; links `links[]`. PagerDuty's change events carry no kind, so
they are recorded as kind `other`; send `deploy` or `config` with the `changeEvents`
mutation. Answers mimic PagerDuty's: 202 `{status: "success", message}`, and the same
error answers as `/v2/enqueue` (400 invalid event, 401, 403, 413, 415).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.webhooks.common import FieldNames, classify, container_of, read_json
from api.webhooks.mapping import clip, event_time, links
from api.webhooks.pagerduty import error_body, routing_key_owner
from api.webhooks.schemas import check, validator
from domain.change.model import MAX_SOURCE, MAX_SUMMARY, ChangeEventDraft

_TEXT: dict[str, Any] = {"type": "string"}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["routing_key", "payload"],
    "properties": {
        "routing_key": {"type": "string", "minLength": 1},
        "payload": {
            "type": "object",
            "required": ["summary"],
            "properties": {
                "summary": {"type": "string", "minLength": 1},
                "timestamp": _TEXT,
                "source": _TEXT,
                "custom_details": {"type": "object"},
            },
        },
        "links": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["href"],
                "properties": {"href": _TEXT, "text": _TEXT},
            },
        },
    },
}

FIELDS = FieldNames(
    {
        "summary": "payload.summary",
        "timestamp": "payload.timestamp",
        "source": "payload.source",
        "details": "payload.custom_details",
    },
    single=True,
)

_SCHEMA = validator(SCHEMA)


async def enqueue(request: Request) -> Response:
    try:
        event = await read_json(request)
        check(_SCHEMA, event)
        principal = await routing_key_owner(request, event["routing_key"])
        draft = _draft(event)
        container = container_of(request)
        # Checked here, unlocated, so the error names the payload's own field.
        draft.check_not_future(container.clock.now())
        await container.context.changes.record(principal, [draft])
    except Exception as exc:  # the boundary: every failure becomes a PagerDuty-shaped answer
        failure = classify(exc, request, FIELDS, invalid_status=400)
        return JSONResponse(error_body(failure), failure.status, headers=failure.headers())
    return JSONResponse({"status": "success", "message": "Change event processed"}, 202)


def _draft(event: dict[str, Any]) -> ChangeEventDraft:
    payload: dict[str, Any] = event["payload"]
    return ChangeEventDraft(
        summary=clip(payload["summary"], MAX_SUMMARY),
        source=clip(payload.get("source") or "", MAX_SOURCE) or "change-events-api",
        # Named as the draft names it: FIELDS turns it into `payload.timestamp`.
        occurred_at=event_time(payload.get("timestamp"), "timestamp"),
        links=links(*((link["href"], link.get("text", "")) for link in event.get("links") or [])),
        custom_details=payload.get("custom_details") or {},
    )
