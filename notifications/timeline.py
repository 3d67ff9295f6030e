"""Notifications on the incident timeline, and as live events: what was sent, and what
could not be."""

from __future__ import annotations

from datetime import datetime

from domain.events import EventPublisher, IncidentEvent, IncidentEventKind
from domain.ids import new_id
from domain.incident.model import TimelineEntry, TimelineKind
from domain.incident.repository import IncidentRepository
from notifications.outbox import OutboxEntry

ACTOR = "system:notifications"


_EVENT_OF = {
    TimelineKind.NOTIFICATION_SENT: IncidentEventKind.NOTIFIED,
    TimelineKind.NOTIFICATION_FAILED: IncidentEventKind.NOTIFICATION_FAILED,
}


async def record(
    incidents: IncidentRepository,
    publisher: EventPublisher,
    entry: OutboxEntry,
    kind: TimelineKind,
    message: str,
    at: datetime,
) -> None:
    if entry.incident_id is None:  # a test notification belongs to no incident
        return
    await incidents.add_timeline(
        [
            TimelineEntry(
                id=new_id(),
                incident_id=entry.incident_id,
                at=at,
                kind=kind,
                actor=ACTOR,
                message=message,
                details={
                    "notification_id": entry.id,
                    "user_id": entry.user_id,
                    "contact_method_id": entry.contact_method_id,
                    "channel": None if entry.kind is None else entry.kind.value,
                    "attempts": len(entry.attempts),
                },
            )
        ]
    )
    incident = (await incidents.by_ids([entry.incident_id])).get(entry.incident_id)
    if incident is not None:
        await publisher.publish(
            [
                IncidentEvent(
                    kind=_EVENT_OF[kind],
                    incident_id=incident.id,
                    service_id=incident.service_id,
                    committed_at=at,
                    incident=incident.to_document(),
                )
            ]
        )
