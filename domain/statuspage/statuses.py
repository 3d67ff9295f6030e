"""Setting component statuses (Action.RESPOND): the people handling an incident do it,
and with an incident the change goes on its timeline."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from domain.auth import Action, Principal
from domain.clock import Clock
from domain.errors import ValidationError
from domain.events import EventPublisher, IncidentEventKind
from domain.ids import new_id
from domain.incident.model import Incident, TimelineKind
from domain.incident.recorder import Change, TimelineRecorder
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.statuspage.changes import PublicChanges
from domain.statuspage.model import (
    MAX_COMPONENTS_PER_CALL,
    Component,
    ComponentStatus,
    StatusChange,
)
from domain.statuspage.ports import StatusEventKind, StatusPageEvent
from domain.statuspage.repository import StatusPageRepository


class ComponentStatuses:
    def __init__(
        self,
        *,
        repository: StatusPageRepository,
        changes: PublicChanges,
        desk: IncidentDesk,
        incidents: IncidentRepository,
        incident_events: EventPublisher,
        clock: Clock,
    ) -> None:
        self._repo = repository
        self._changes = changes
        self._desk = desk
        self._incidents = incidents
        self._recorder = TimelineRecorder(
            incidents=incidents, publisher=incident_events, clock=clock
        )
        self._clock = clock

    async def set(
        self,
        principal: Principal,
        statuses: list[tuple[str, ComponentStatus]],
        *,
        incident_id: str | None = None,
    ) -> list[Component]:
        """Set each component's status; with an incident, the change is on its timeline."""
        principal.require(Action.RESPOND)
        if not statuses or len(statuses) > MAX_COMPONENTS_PER_CALL:
            raise ValidationError(
                f"Give between 1 and {MAX_COMPONENTS_PER_CALL} component statuses.",
                field="statuses",
            )
        incident = None if incident_id is None else await self._desk.get(principal, incident_id)
        components = [
            (await self._repo.components.get(cid), ComponentStatus(s)) for cid, s in statuses
        ]
        now = self._clock.now()
        changed: list[Component] = []
        events: list[StatusPageEvent] = []
        slugs: dict[str, str] = {}
        for component, status in components:
            change = StatusChange(
                new_id(), component.page_id, component.id, status, now, principal.actor, incident_id
            )
            await self._repo.set_status(component, status, change)
            changed.append(dataclasses.replace(component, status=status, status_changed_at=now))
            if component.page_id not in slugs:
                slugs[component.page_id] = (await self._repo.pages.get(component.page_id)).slug
            events.append(
                StatusPageEvent(
                    kind=StatusEventKind.COMPONENT_STATUS_CHANGED,
                    page_id=component.page_id,
                    slug=slugs[component.page_id],
                    committed_at=now,
                    component_id=component.id,
                    component_name=component.name,
                    status=status.value,
                )
            )
        if incident is not None:
            await self._on_timeline(incident, changed, principal.actor, now)
        await self._changes.publish(events)
        return changed

    async def _on_timeline(
        self, incident: Incident, changed: list[Component], actor: str, now: datetime
    ) -> None:
        change = Change(
            kind=TimelineKind.COMPONENT_STATUS_CHANGED,
            event=IncidentEventKind.COMPONENT_STATUS_CHANGED,
            message="Status page: "
            + "; ".join(f"{c.name} {c.status.label.lower()}" for c in changed)
            + ".",
            details={
                "components": [
                    {"component_id": c.id, "page_id": c.page_id, "status": c.status.value}
                    for c in changed
                ]
            },
        )
        await self._recorder.record(incident, change, actor, at=now)
