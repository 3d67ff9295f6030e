"""`Incident.context`: what a responder needs besides the incident, in one query."""

from __future__ import annotations

import strawberry

from api.schema.access import context_of
from api.schema.change import ChangeEvent
from api.schema.incident import Alert, Incident
from api.schema.service import Runbook, Service
from domain.context import model
from domain.context.ports import PostmortemRef
from domain.validation import minutes


@strawberry.type(description="The postmortem written about a past incident.")
class PostmortemLink:
    id: strawberry.ID
    title: str
    state: str

    @classmethod
    def from_domain(cls, ref: PostmortemRef) -> PostmortemLink:
        return cls(id=strawberry.ID(ref.id), title=ref.title, state=ref.state)


@strawberry.type(description="A resolved incident of the same service.")
class PastIncident:
    incident: Incident
    duration_seconds: float = strawberry.field(description="From opened to resolved.")
    resolution_note: str | None


@strawberry.type(description="A past incident ranked by how much it resembles this one.")
class SimilarIncident:
    incident: Incident
    similarity: float = strawberry.field(
        description="Cosine similarity in [0, 1] of alert templates, labels and service."
    )
    resolution_note: str | None
    postmortem: PostmortemLink | None


@strawberry.type
class IncidentContext:
    service: Service
    alerts: list[Alert] = strawberry.field(
        description="Its alerts, earliest first (at most 100), with their monitors' links."
    )
    service_history: list[PastIncident] = strawberry.field(
        description="The service's most recently resolved incidents."
    )
    similar_incidents: list[SimilarIncident] = strawberry.field(
        description="Past incidents of any service most like this one, most similar first."
    )
    recent_changes: list[ChangeEvent] = strawberry.field(
        description="Changes of its service and of the services it calls, from "
        "`changeWindowMinutes` before its first alert to its latest, newest first."
    )
    change_window_minutes: float
    runbooks: list[Runbook]

    @classmethod
    def from_domain(cls, found: model.IncidentContext) -> IncidentContext:
        return cls(
            service=Service.from_domain(found.service),
            alerts=[Alert.from_domain(alert) for alert in found.alerts],
            service_history=[
                PastIncident(
                    incident=Incident.from_domain(past.incident),
                    duration_seconds=past.duration.total_seconds(),
                    resolution_note=past.incident.resolution_note,
                )
                for past in found.history
            ],
            similar_incidents=[
                SimilarIncident(
                    incident=Incident.from_domain(similar.incident),
                    similarity=similar.similarity,
                    resolution_note=similar.incident.resolution_note,
                    postmortem=PostmortemLink.from_domain(similar.postmortem)
                    if similar.postmortem
                    else None,
                )
                for similar in found.similar
            ],
            recent_changes=[ChangeEvent.from_domain(change) for change in found.recent_changes],
            change_window_minutes=found.change_window.total_seconds() / 60,
            runbooks=[Runbook(href=r.href, text=r.text) for r in found.runbooks],
        )


async def context_of_incident(
    info: strawberry.Info,
    incident_id: str,
    *,
    change_window_minutes: float,
    similar: int,
    history: int,
) -> IncidentContext:
    context = context_of(info)
    request = model.ContextRequest(
        change_window=minutes(change_window_minutes, field="changeWindowMinutes"),
        similar=similar,
        history=history,
    )
    found = await context.container.context.incidents.of_incident(
        context.principal, incident_id, request
    )
    return IncidentContext.from_domain(found)
