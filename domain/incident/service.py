"""Use cases for incidents: reading them, and the responder's actions."""

from __future__ import annotations

from domain.alert.model import Alert, AlertFilter
from domain.alert.repository import AlertRepository
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.errors import NotFoundError
from domain.events import EventPublisher, IncidentEvent, IncidentEventKind
from domain.ids import new_id
from domain.incident.model import (
    Incident,
    IncidentFilter,
    IncidentStatus,
    NoteDraft,
    TimelineEntry,
    TimelineKind,
    check_transition,
    resolution_note,
    sources_of,
)
from domain.incident.repository import IncidentRepository
from domain.store.pagination import Page, PageRequest
from domain.store.timestamps import to_ms

_EVENT_OF_STATUS = {
    IncidentStatus.ACKNOWLEDGED: IncidentEventKind.ACKNOWLEDGED,
    IncidentStatus.RESOLVED: IncidentEventKind.RESOLVED,
}


class IncidentDesk:
    def __init__(
        self,
        *,
        incidents: IncidentRepository,
        alerts: AlertRepository,
        publisher: EventPublisher,
        clock: Clock,
    ) -> None:
        self._incidents = incidents
        self._alerts = alerts
        self._publisher = publisher
        self._clock = clock

    async def get(self, principal: Principal, incident_id: str) -> Incident:
        principal.require(Action.READ)
        found = await self._incidents.by_ids([incident_id])
        if incident_id not in found:
            raise NotFoundError(f"No incident with id '{incident_id}'.")
        return found[incident_id]

    async def by_ids(self, principal: Principal, ids: list[str]) -> dict[str, Incident]:
        principal.require(Action.READ)
        return await self._incidents.by_ids(ids)

    async def page(
        self, principal: Principal, where: IncidentFilter, page: PageRequest
    ) -> Page[Incident]:
        principal.require(Action.READ)
        return await self._incidents.page(where, page)

    async def alerts(
        self, principal: Principal, where: AlertFilter, page: PageRequest
    ) -> Page[Alert]:
        """Alerts across incidents, including those that opened none (suppressed)."""
        principal.require(Action.READ)
        return await self._alerts.page(where, page)

    async def alert_pages(
        self, principal: Principal, incident_ids: list[str], page: PageRequest
    ) -> dict[str, Page[Alert]]:
        principal.require(Action.READ)
        return await self._alerts.pages_by_incident(incident_ids, page)

    async def timeline_pages(
        self, principal: Principal, incident_ids: list[str], page: PageRequest
    ) -> dict[str, Page[TimelineEntry]]:
        principal.require(Action.READ)
        return await self._incidents.timeline_pages(incident_ids, page)

    async def acknowledge(self, principal: Principal, incident_id: str) -> Incident:
        principal.require(Action.RESPOND)
        return await self.change_status(incident_id, IncidentStatus.ACKNOWLEDGED, principal.actor)

    async def resolve(
        self, principal: Principal, incident_id: str, note: str | None = None
    ) -> Incident:
        """`note`: the resolution note, kept on the incident and shown on its timeline."""
        principal.require(Action.RESPOND)
        return await self.change_status(
            incident_id, IncidentStatus.RESOLVED, principal.actor, note=resolution_note(note)
        )

    async def change_status(
        self, incident_id: str, target: IncidentStatus, actor: str, *, note: str | None = None
    ) -> Incident:
        """Move an incident to `target` atomically; callers have checked permission."""
        now = self._clock.now()
        stamp = "acknowledged" if target is IncidentStatus.ACKNOWLEDGED else "resolved"
        changes = {"status": target.value, f"{stamp}_ms": to_ms(now), f"{stamp}_by": actor}
        details = {"status": target.value}
        message = f"Status changed to {target.value}."
        if note is not None:
            changes["resolution_note"] = details["resolution_note"] = note
            message += f" Resolution note: {note}"
        changed = await self._incidents.transition(incident_id, sources_of(target), changes)
        if changed is None:
            current = (await self._incidents.by_ids([incident_id])).get(incident_id)
            if current is None:
                raise NotFoundError(f"No incident with id '{incident_id}'.")
            check_transition(incident_id, current.status, target)
            raise AssertionError("a transition allowed by the rules did not apply")
        await self._incidents.add_timeline(
            [
                TimelineEntry(
                    id=new_id(),
                    incident_id=incident_id,
                    at=now,
                    kind=TimelineKind.STATUS_CHANGED,
                    actor=actor,
                    message=message,
                    details=details,
                )
            ]
        )
        await self._announce(_EVENT_OF_STATUS[target], changed)
        return changed

    async def add_note(
        self, principal: Principal, incident_id: str, note: NoteDraft
    ) -> TimelineEntry:
        principal.require(Action.RESPOND)
        incident = await self.get(principal, incident_id)
        entry = TimelineEntry(
            id=new_id(),
            incident_id=incident_id,
            at=self._clock.now(),
            kind=TimelineKind.NOTE_ADDED,
            actor=principal.actor,
            message=note.body,
        )
        await self._incidents.add_timeline([entry])
        await self._announce(IncidentEventKind.NOTE_ADDED, incident)
        return entry

    async def _announce(self, kind: IncidentEventKind, incident: Incident) -> None:
        await self._publisher.publish(
            [
                IncidentEvent(
                    kind=kind,
                    incident_id=incident.id,
                    service_id=incident.service_id,
                    committed_at=self._clock.now(),
                    incident=incident.to_document(),
                )
            ]
        )
