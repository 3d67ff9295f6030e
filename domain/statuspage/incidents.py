"""Public incidents and their updates (Action.RESPOND); each update tells the page's
confirmed subscribers. Updates the stakeholder side writes for the PUBLIC audience come
in through `post_incident_update` (domain/stakeholder/ports.py PublicStatusChannel)."""

from __future__ import annotations

from datetime import datetime

from domain.auth import Action, Principal
from domain.clock import Clock, as_utc
from domain.errors import ValidationError
from domain.ids import new_id
from domain.incident.service import IncidentDesk
from domain.statuspage import messages
from domain.statuspage.changes import PublicChanges
from domain.statuspage.model import (
    PublicIncident,
    PublicIncidentDraft,
    PublicIncidentState,
    PublicUpdate,
    StatusPage,
)
from domain.statuspage.ports import StatusEventKind, StatusPageEvent
from domain.statuspage.public import shown_since
from domain.statuspage.repository import StatusPageRepository


class PublicIncidents:
    def __init__(
        self,
        *,
        repository: StatusPageRepository,
        changes: PublicChanges,
        desk: IncidentDesk,
        clock: Clock,
    ) -> None:
        self._repo = repository
        self._changes = changes
        self._desk = desk
        self._clock = clock

    async def of_page(self, principal: Principal, page_id: str) -> list[PublicIncident]:
        """Unresolved, and resolved recently enough to be on the page; newest first."""
        principal.require(Action.READ)
        return await self._repo.incidents_of_page(page_id, since=shown_since(self._clock.now()))

    async def updates_of(
        self, principal: Principal, incident_ids: list[str]
    ) -> dict[str, list[PublicUpdate]]:
        principal.require(Action.READ)
        return await self._repo.updates_of(incident_ids)

    async def open(self, principal: Principal, draft: PublicIncidentDraft) -> PublicIncident:
        principal.require(Action.RESPOND)
        page = await self._repo.pages.get(draft.page_id)
        await self._repo.require_components(page, draft.component_ids)
        if draft.internal_incident_id is not None:
            await self._desk.get(principal, draft.internal_incident_id)
        now = self._clock.now()
        incident = PublicIncident(
            new_id(),
            page.id,
            draft.title,
            draft.impact,
            draft.state,
            draft.component_ids,
            draft.internal_incident_id,
            created_at=now,
            updated_at=now,
        )
        await self._repo.incidents.insert(incident)
        await self._publish(page, incident, draft.body, draft.state, now, principal.actor)
        return await self._repo.incidents.get(incident.id)

    async def post_update(
        self,
        principal: Principal,
        public_incident_id: str,
        *,
        body: str,
        state: PublicIncidentState | None,
    ) -> PublicIncident:
        """`state` None keeps the current one."""
        principal.require(Action.RESPOND)
        incident = await self._repo.incidents.get(public_incident_id)
        await self._post(incident, body, state, self._clock.now(), principal.actor)
        return await self._repo.incidents.get(incident.id)

    async def post_incident_update(
        self, incident_id: str, *, body: str, state: str | None, at: datetime
    ) -> int:
        """The stakeholder side's PUBLIC updates (PublicStatusChannel): posted to every public
        incident that reports on internal incident `incident_id`. The caller checked the
        permission. Returns how many public incidents got the update."""
        target = None if state is None else _state(state)
        linked = await self._repo.incidents.where({"internal_incident_id": incident_id})
        for incident in linked:
            await self._post(incident, body, target, as_utc(at), "stakeholder")
        return len(linked)

    async def _post(
        self,
        incident: PublicIncident,
        body: str,
        state: PublicIncidentState | None,
        at: datetime,
        actor: str,
    ) -> None:
        page = await self._repo.pages.get(incident.page_id)
        await self._publish(page, incident, body, state or incident.state, at, actor)

    async def _publish(
        self,
        page: StatusPage,
        incident: PublicIncident,
        body: str,
        state: PublicIncidentState,
        at: datetime,
        actor: str,
    ) -> None:
        update = PublicUpdate(new_id(), incident.id, page.id, body, state, at, actor)
        await self._repo.add_update(incident, update)
        await self._changes.announce(
            page,
            f"status-update|{update.id}",
            lambda url, names, unsubscribe: messages.incident_update(
                page, url, incident, update, names, unsubscribe
            ),
            incident.component_ids,
            StatusPageEvent(
                kind=StatusEventKind.INCIDENT_UPDATED,
                page_id=page.id,
                slug=page.slug,
                committed_at=update.at,
                status=update.state.value,
                public_incident_id=incident.id,
                title=incident.title,
            ),
        )


def _state(value: str) -> PublicIncidentState:
    try:
        return PublicIncidentState(value.lower())
    except ValueError:
        raise ValidationError(
            f"'state' must be one of {', '.join(s.value for s in PublicIncidentState)}, "
            f"got {value!r}.",
            field="state",
        ) from None
