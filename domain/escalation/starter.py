"""Escalation follows incidents through their events, without touching the ingest path.

:class:`EscalatingPublisher` wraps the process's event publisher: after forwarding
the events, a CREATED incident starts its run and an ACKNOWLEDGED or RESOLVED one
stops it. Nothing here may fail a write that already happened, so errors are
logged: the recovery sweep starts a lost run, and a step about to fire re-reads its
incident and stops by itself.
"""

from __future__ import annotations

import logging

from domain.escalation.engine import EscalationEngine
from domain.events import EventPublisher, IncidentEvent, IncidentEventKind
from domain.incident.model import Incident

log = logging.getLogger(__name__)

_STOPPING = {
    IncidentEventKind.ACKNOWLEDGED: "incident acknowledged",
    IncidentEventKind.RESOLVED: "incident resolved",
}


class EscalatingPublisher:
    def __init__(self, inner: EventPublisher, engine: EscalationEngine) -> None:
        self._inner = inner
        self._engine = engine

    async def publish(self, events: list[IncidentEvent]) -> None:
        try:
            await self._inner.publish(events)
        finally:
            await self._follow(events)

    async def _follow(self, events: list[IncidentEvent]) -> None:
        try:
            created = [
                Incident.from_document(e.incident)
                for e in events
                if e.kind is IncidentEventKind.CREATED
            ]
            if created:
                await self._engine.start(created)
            for kind, reason in _STOPPING.items():
                ids = [e.incident_id for e in events if e.kind is kind]
                if ids:
                    await self._engine.stop(ids, reason)
        except Exception:
            log.exception("escalation could not follow %d incident events", len(events))
