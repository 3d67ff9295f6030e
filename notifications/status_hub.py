"""Live status page events between processes: their own broadcaster channel and hub.

Kept apart from incident events: anonymous status page readers subscribe here, and
nothing on this channel is private (domain/statuspage/ports.py StatusPageEvent).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime

from broadcaster import Broadcast

from domain.statuspage.ports import StatusEventKind, StatusPageEvent
from notifications.hub import DEFAULT_QUEUE_SIZE, Fanout

STATUS_CHANNEL = "vigil_status_page_events"


def encode_status_events(events: list[StatusPageEvent]) -> str:
    return json.dumps(
        [{**dataclasses.asdict(e), "committed_at": e.committed_at.isoformat()} for e in events],
        separators=(",", ":"),
    )


def decode_status_events(message: str) -> list[StatusPageEvent]:
    return [
        StatusPageEvent(
            **{
                **raw,
                "kind": StatusEventKind(raw["kind"]),
                "committed_at": datetime.fromisoformat(raw["committed_at"]),
            }
        )
        for raw in json.loads(message)
    ]


class StatusHub(Fanout[StatusPageEvent]):
    """Publishes status page events and fans them out to this process's subscribers."""

    def __init__(self, broadcast: Broadcast, *, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        super().__init__(
            broadcast, channel=STATUS_CHANNEL, decode=decode_status_events, queue_size=queue_size
        )

    async def publish(self, events: list[StatusPageEvent]) -> None:
        if events:
            await self._broadcast.publish(STATUS_CHANNEL, encode_status_events(events))
