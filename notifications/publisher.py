"""Publishes domain events to every Vigil process through broadcaster."""

from __future__ import annotations

from broadcaster import Broadcast

from domain.events import IncidentEvent
from notifications.codec import encode_events

INCIDENT_CHANNEL = "vigil_incident_events"


class BroadcastPublisher:
    def __init__(self, broadcast: Broadcast) -> None:
        self._broadcast = broadcast

    async def publish(self, events: list[IncidentEvent]) -> None:
        if events:
            await self._broadcast.publish(INCIDENT_CHANNEL, encode_events(events))
