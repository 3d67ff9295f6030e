"""Putting a change on an incident's timeline and announcing it to live subscribers: the one
way every use case outside the incident desk records what it did to an incident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.clock import Clock
from domain.events import EventPublisher, IncidentEvent, IncidentEventKind
from domain.ids import new_id
from domain.incident.model import Incident, TimelineEntry, TimelineKind
from domain.incident.repository import IncidentRepository


@dataclass(frozen=True, slots=True)
class Change:
    """One timeline entry, and the kind of event that announces it."""

    kind: TimelineKind
    event: IncidentEventKind
    message: str
    details: dict[str, Any]


class TimelineRecorder:
    def __init__(
        self, *, incidents: IncidentRepository, publisher: EventPublisher, clock: Clock
    ) -> None:
        self._incidents = incidents
        self._publisher = publisher
        self._clock = clock

    async def record(
        self, incident: Incident, change: Change, actor: str, at: datetime | None = None
    ) -> None:
        """`incident` as it is after the change: subscribers see it without a read. `at`
        defaults to now; a use case that stamped its own record passes that time."""
        now = at or self._clock.now()
        await self._incidents.add_timeline(
            [
                TimelineEntry(
                    id=new_id(),
                    incident_id=incident.id,
                    at=now,
                    kind=change.kind,
                    actor=actor,
                    message=change.message,
                    details=change.details,
                )
            ]
        )
        await self._publisher.publish(
            [
                IncidentEvent(
                    kind=change.event,
                    incident_id=incident.id,
                    service_id=incident.service_id,
                    committed_at=now,
                    incident=incident.to_document(),
                )
            ]
        )
