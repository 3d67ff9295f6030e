"""Notifications on the incident timeline: what was sent, and what could not be."""

from __future__ import annotations

from datetime import datetime

from domain.ids import new_id
from domain.incident.model import TimelineEntry, TimelineKind
from domain.incident.repository import IncidentRepository
from notifications.outbox import OutboxEntry

ACTOR = "system:notifications"


async def record(
    incidents: IncidentRepository,
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
