"""The responder's context of an incident, gathered in one call."""

from __future__ import annotations

from domain.alert.repository import AlertRepository
from domain.auth import Action, Principal
from domain.change.model import ChangeWindow
from domain.change.repository import ChangeEventRepository
from domain.context.model import (
    MAX_ALERTS,
    MAX_CHANGES,
    ContextRequest,
    IncidentContext,
    PastIncident,
    SimilarIncident,
    duration_of,
)
from domain.context.ports import PostmortemIndex
from domain.context.similar import SimilarIncidents
from domain.errors import NotFoundError
from domain.incident.model import Incident
from domain.incident.repository import IncidentRepository
from domain.service.repository import ServiceRepository
from domain.team.ownership import ServiceOwners


class ResponderContext:
    def __init__(
        self,
        *,
        incidents: IncidentRepository,
        alerts: AlertRepository,
        services: ServiceRepository,
        owners: ServiceOwners,
        changes: ChangeEventRepository,
        similar: SimilarIncidents,
        postmortems: PostmortemIndex | None = None,
    ) -> None:
        self._incidents = incidents
        self._alerts = alerts
        self._services = services
        self._owners = owners
        self._changes = changes
        self._similar = similar
        self._postmortems = postmortems

    async def of_incident(
        self, principal: Principal, incident_id: str, request: ContextRequest
    ) -> IncidentContext:
        principal.require(Action.READ)
        incident = (await self._incidents.by_ids([incident_id])).get(incident_id)
        if incident is None:
            raise NotFoundError(f"No incident with id '{incident_id}'.")
        await self._owners.require(principal, Action.READ, incident.service_id)
        # Similar incidents and changes of dependencies are shown only from the services
        # the caller may read.
        readable = await self._owners.readable(principal)
        service = (await self._services.by_ids([incident.service_id])).get(incident.service_id)
        if service is None:
            raise NotFoundError(f"The service of incident '{incident_id}' no longer exists.")
        alerts = sorted(
            await self._alerts.of_incident(incident_id), key=lambda alert: alert.occurred_at
        )
        similar = await self._similar.like(
            incident,
            [(alert.summary, alert.labels) for alert in alerts],
            request.similar,
            readable,
        )
        postmortems = (
            await self._postmortems.for_incidents([found.id for found, _ in similar])
            if self._postmortems is not None and similar
            else {}
        )
        dependencies = await self._services.by_names(service.depends_on)
        changed = [service.id, *(dependency.id for dependency in dependencies.values())]
        changes = await self._changes.within(
            ChangeWindow(
                tuple(i for i in changed if readable is None or i in readable),
                incident.first_event_at - request.change_window,
                max(incident.last_event_at, incident.first_event_at),
                MAX_CHANGES,
            )
        )
        return IncidentContext(
            incident=incident,
            service=service,
            alerts=alerts[:MAX_ALERTS],
            history=await self._history(incident, request.history),
            similar=[
                SimilarIncident(found, score, postmortems.get(found.id)) for found, score in similar
            ],
            recent_changes=changes,
            change_window=request.change_window,
            runbooks=service.runbooks,
        )

    async def _history(self, incident: Incident, count: int) -> list[PastIncident]:
        if count == 0:
            return []
        # One more than asked: the incident itself may be among them.
        past = await self._incidents.recently_resolved(count + 1, incident.service_id)
        return [
            PastIncident(other, duration_of(other)) for other in past if other.id != incident.id
        ][:count]
