"""JSON at the broadcast boundary, so memory:// behaves exactly as redis:// does."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from domain.events import IncidentEvent, IncidentEventKind

_DATETIME = "$datetime"


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {_DATETIME: value.isoformat()}
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _decode_object(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and _DATETIME in obj:
        return datetime.fromisoformat(obj[_DATETIME])
    return obj


def encode_events(events: list[IncidentEvent]) -> str:
    return json.dumps(
        [
            {
                "kind": e.kind.value,
                "incident_id": e.incident_id,
                "service_id": e.service_id,
                "committed_at": e.committed_at,
                "incident": e.incident,
            }
            for e in events
        ],
        default=_encode_value,
        separators=(",", ":"),
    )


def decode_events(message: str) -> list[IncidentEvent]:
    return [
        IncidentEvent(
            kind=IncidentEventKind(raw["kind"]),
            incident_id=raw["incident_id"],
            service_id=raw["service_id"],
            committed_at=raw["committed_at"],
            incident=raw["incident"],
        )
        for raw in json.loads(message, object_hook=_decode_object)
    ]
