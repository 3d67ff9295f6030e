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
    status_fields,
)
from domain.incident.repository import IncidentRepository
from domain.store.pagination import Page, PageRequest
from domain.store.timestamps import to_ms
from domain.team.ownership import ServiceOwners

_EMPTY_ALERTS: Page[Alert] = Page(items=[], cursors=[], has_next_page=False)
_EMPTY_TIMELINE: Page[TimelineEntry] = Page(items=[], cursors=[], has_next_page=False)

_EVENT_OF_STATUS = {
    IncidentStatus.ACKNOWLEDGED: IncidentEventKind.ACKNOWLEDGED,
    IncidentStatus.RESOLVED: IncidentEventKind.RESOLVED,
}


class IncidentDesk:
    """An incident is in the scope of the team owning its service: reading it needs READ
    there and acting on it RESPOND there (the global role decides when no team owns it)."""

    def __init__(
        self,
        *,
        incidents: IncidentRepository,
        alerts: AlertRepository,
        owners: ServiceOwners,
        publisher: EventPublisher,
        clock: Clock,
    ) -> None:
        self._incidents = incidents
        self._alerts = alerts
        self._owners = owners
        self._publisher = publisher
        self._clock = clock

    async def get(self, principal: Principal, incident_id: str) -> Incident:
        return await self.require(principal, Action.READ, incident_id)

    async def require(self, principal: Principal, action: Action, incident_id: str) -> Incident:
        """The incident, once `principal` is known to be allowed `action` on it; for the
        use cases that hang off an incident (roles, updates, postmortems...)."""
        principal.require(Action.READ)
        incident = await self._one(incident_id)
        await self._owners.require(principal, action, incident.service_id)
        return incident

    async def _one(self, incident_id: str) -> Incident:
        found = await self._incidents.by_ids([incident_id])
        if incident_id not in found:
            raise NotFoundError(f"No incident with id '{incident_id}'.")
        return found[incident_id]

    async def by_ids(self, principal: Principal, ids: list[str]) -> dict[str, Incident]:
        """Batch lookup for loaders; unknown and unreadable ids are simply absent."""
        principal.require(Action.READ)
        found = await self._incidents.by_ids(ids)
        readable = await self._owners.readable(principal)
        if readable is None:
            return found
        return {i: incident for i, incident in found.items() if incident.service_id in readable}

    async def readable_ids(self, principal: Principal, ids: list[str]) -> list[str]:
        """Those of `ids` naming incidents `principal` may read."""
        if await self._owners.readable(principal) is None:
            return ids
        found = await self.by_ids(principal, ids)
        return [i for i in ids if i in found]

    async def readable_services(self, principal: Principal) -> frozenset[str] | None:
        """Ids of the services whose incidents `principal` may read; None means all."""
        return await self._owners.readable(principal)

    async def readable_incidents(self, principal: Principal) -> list[str] | None:
        """Ids of the incidents `principal` may read, to narrow a query on things that
        name an incident but not its service; None means all."""
        readable = await self._owners.readable(principal)
        return None if readable is None else await self._incidents.ids_of_services(readable)

    async def page(
        self, principal: Principal, where: IncidentFilter, page: PageRequest
    ) -> Page[Incident]:
        principal.require(Action.READ)
        return await self._incidents.page(where, page, await self._owners.readable(principal))

    async def alerts(
        self, principal: Principal, where: AlertFilter, page: PageRequest
    ) -> Page[Alert]:
        """Alerts across incidents, including those that opened none (suppressed)."""
        principal.require(Action.READ)
        return await self._alerts.page(where, page, await self._owners.readable(principal))

    async def alert_pages(
        self, principal: Principal, incident_ids: list[str], page: PageRequest
    ) -> dict[str, Page[Alert]]:
        """An unreadable incident's page is empty."""
        principal.require(Action.READ)
        found = await self._alerts.pages_by_incident(
            await self.readable_ids(principal, incident_ids), page
        )
        return {i: found.get(i, _EMPTY_ALERTS) for i in incident_ids}

    async def timeline_pages(
        self, principal: Principal, incident_ids: list[str], page: PageRequest
    ) -> dict[str, Page[TimelineEntry]]:
        """An unreadable incident's page is empty."""
        principal.require(Action.READ)
        found = await self._incidents.timeline_pages(
            await self.readable_ids(principal, incident_ids), page
        )
        return {i: found.get(i, _EMPTY_TIMELINE) for i in incident_ids}

    async def acknowledge(self, principal: Principal, incident_id: str) -> Incident:
        return await self.change_status(
            incident_id, IncidentStatus.ACKNOWLEDGED, principal.actor, asker=principal
        )

    async def resolve(
        self, principal: Principal, incident_id: str, note: str | None = None
    ) -> Incident:
        """`note`: the resolution note, kept on the incident and shown on its timeline."""
        return await self.change_status(
            incident_id,
            IncidentStatus.RESOLVED,
            principal.actor,
            note=resolution_note(note),
            asker=principal,
        )

    async def change_status(
        self,
        incident_id: str,
        target: IncidentStatus,
        actor: str,
        *,
        note: str | None = None,
        asker: Principal | None = None,
    ) -> Incident:
        """Move an incident to `target` atomically. With `asker`, only if they may respond
        to it; without, the caller has checked permission. When it does not move, the
        error says why: not found, not the asker's to change, or not a legal move."""
        within = None
        if asker is not None:
            # The team check travels in the update's filter: no read before the write.
            asker.require(Action.READ)
            within = await self._owners.permitted(asker, Action.RESPOND)
        now = self._clock.now()
        stamp = "acknowledged" if target is IncidentStatus.ACKNOWLEDGED else "resolved"
        changes = {**status_fields(target), f"{stamp}_ms": to_ms(now), f"{stamp}_by": actor}
        details = {"status": target.value}
        message = f"Status changed to {target.value}."
        if note is not None:
            changes["resolution_note"] = details["resolution_note"] = note
            message += f" Resolution note: {note}"
        changed = await self._incidents.transition(incident_id, sources_of(target), changes, within)
        if changed is None:
            current = await self._one(incident_id)
            if asker is not None:
                await self._owners.require(asker, Action.RESPOND, current.service_id)
            check_transition(incident_id, current.status, target)
            if asker is not None:
                # Allowed and legal: the owner map had not yet heard of the incident's service.
                changed = await self._incidents.transition(incident_id, sources_of(target), changes)
            if changed is None:
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
        incident = await self.require(principal, Action.RESPOND, incident_id)
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
