"""Use cases for postmortems: writing them from a resolved incident, reviewing, publishing.

Responders (RESPOND) write postmortems and their action items, every reader (READ)
reads them, and admins (CONFIGURE) manage the templates. RESPOND and READ are those of
the postmortem's incident (domain/incident/service.py): its service's team decides.
"""

from __future__ import annotations

from datetime import datetime

from domain.alert.repository import AlertRepository
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.errors import ConflictError, InvalidTransitionError
from domain.events import EventPublisher, IncidentEventKind
from domain.ids import new_id
from domain.incident.model import Incident, IncidentStatus, TimelineEntry, TimelineKind
from domain.incident.recorder import Change, TimelineRecorder
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.postmortem import markdown
from domain.postmortem.action_items import ActionItem
from domain.postmortem.model import (
    AlertItem,
    Metrics,
    Postmortem,
    PostmortemEdit,
    PostmortemState,
    Responder,
    TimelineItem,
    apply_edits,
    check_state_change,
    state_sources,
)
from domain.postmortem.repository import ActionItemRepository, PostmortemRepository
from domain.postmortem.responders import people_named, responders_of
from domain.postmortem.templates import PostmortemTemplate, sections_from
from domain.store.documents import DocumentRepository
from domain.store.pagination import MAX_PAGE_SIZE, Page, PageRequest
from domain.user.repository import UserRepository

_EDIT_ATTEMPTS = 3


class PostmortemDesk:
    def __init__(
        self,
        *,
        postmortems: PostmortemRepository,
        action_items: ActionItemRepository,
        templates: DocumentRepository[PostmortemTemplate],
        incidents: IncidentRepository,
        desk: IncidentDesk,
        alerts: AlertRepository,
        users: UserRepository,
        publisher: EventPublisher,
        clock: Clock,
    ) -> None:
        self._postmortems = postmortems
        self._action_items = action_items
        self._templates = templates
        self._incidents = incidents
        self._desk = desk
        self._recorder = TimelineRecorder(incidents=incidents, publisher=publisher, clock=clock)
        self._alerts = alerts
        self._users = users
        self._clock = clock

    async def get(self, principal: Principal, postmortem_id: str) -> Postmortem:
        return await self._require(principal, Action.READ, postmortem_id)

    async def _require(
        self, principal: Principal, action: Action, postmortem_id: str
    ) -> Postmortem:
        principal.require(Action.READ)
        postmortem = await self._postmortems.get(postmortem_id)
        await self._desk.require(principal, action, postmortem.incident_id)
        return postmortem

    async def of_incidents(
        self, principal: Principal, incident_ids: list[str]
    ) -> dict[str, Postmortem]:
        """Incident id -> its postmortem, for those that have one."""
        principal.require(Action.READ)
        return await self._postmortems.of_incidents(
            await self._desk.readable_ids(principal, incident_ids)
        )

    async def page(
        self, principal: Principal, state: PostmortemState | None, page: PageRequest
    ) -> Page[Postmortem]:
        principal.require(Action.READ)
        # As in change_state: GraphQL hands the enum over as its value (a fuzzing finding:
        # any `postmortems(state: ...)` failed as INTERNAL on `.value`).
        state = None if state is None else PostmortemState(state)
        return await self._postmortems.page(
            state, page, await self._desk.readable_incidents(principal)
        )

    async def create(
        self, principal: Principal, incident_id: str, template_id: str | None = None
    ) -> Postmortem:
        """A draft prefilled from the resolved incident: its timeline and alerts as they are
        now, its responders, its times, and the template's first texts."""
        incident = await self._desk.require(principal, Action.RESPOND, incident_id)
        if incident.status is not IncidentStatus.RESOLVED or incident.resolved_at is None:
            raise InvalidTransitionError(
                f"Incident #{incident.number} is {incident.status.value}; a postmortem is "
                "written once the incident is resolved.",
                suggestion="Resolve the incident (resolveIncident), then create its postmortem.",
            )
        if await self._postmortems.of_incident(incident_id) is not None:
            raise ConflictError(
                f"Incident #{incident.number} already has a postmortem.",
                suggestion="Edit the existing postmortem with updatePostmortem.",
            )
        template = None if template_id is None else await self._templates.get(template_id)
        entries = await self._timeline(incident_id)
        alerts = sorted(await self._alerts.of_incidents([incident_id]), key=lambda a: a.occurred_at)
        metrics = Metrics(
            opened_at=incident.created_at,
            acknowledged_at=incident.acknowledged_at,
            resolved_at=incident.resolved_at,
            impact_start=incident.first_event_at,
        )
        now = self._clock.now()
        postmortem = Postmortem(
            id=new_id(),
            incident_id=incident.id,
            incident_number=incident.number,
            incident_title=incident.title,
            title=f"Postmortem: #{incident.number} {incident.title}",
            state=PostmortemState.DRAFT,
            template_id=None if template is None else template.id,
            sections=tuple(sections_from(template, _facts(incident, metrics))),
            timeline=tuple(
                TimelineItem(at=e.at, kind=e.kind, actor=e.actor, message=e.message)
                for e in entries
            ),
            alerts=tuple(
                AlertItem(
                    id=a.id,
                    summary=a.summary,
                    service=a.service,
                    severity=a.severity.value,
                    occurred_at=a.occurred_at,
                    resolved_at=a.resolved_at,
                    count=a.count,
                )
                for a in alerts
            ),
            responders=await self._responders(entries),
            metrics=metrics,
            created_at=now,
            created_by=principal.actor,
            updated_at=now,
        )
        await self._postmortems.insert(postmortem)
        return postmortem

    async def update(
        self, principal: Principal, postmortem_id: str, edit: PostmortemEdit
    ) -> Postmortem:
        """Change the title and sections of a draft or of a postmortem in review."""
        await self._require(principal, Action.RESPOND, postmortem_id)
        for _ in range(_EDIT_ATTEMPTS):
            current = await self._postmortems.get(postmortem_id)
            if not current.state.editable:
                raise InvalidTransitionError(
                    f"Postmortem '{postmortem_id}' is published and can no longer be edited.",
                    suggestion="Record what changed since as action items, which stay editable.",
                )
            sections = apply_edits(list(current.sections), list(edit.sections))
            changed = await self._postmortems.update_content(
                postmortem_id,
                title=edit.title or current.title,
                sections=sections,
                expected_updated_at=current.updated_at,
                now=self._clock.now(),
            )
            if changed is not None:
                return changed
        raise ConflictError(
            f"Postmortem '{postmortem_id}' is being edited by others right now.",
            suggestion="Fetch it again and repeat the edit.",
        )

    async def change_state(
        self, principal: Principal, postmortem_id: str, target: PostmortemState
    ) -> Postmortem:
        """draft -> in_review -> published, and in_review -> draft; publishing is recorded
        on the incident's timeline."""
        await self._require(principal, Action.RESPOND, postmortem_id)
        target = PostmortemState(target)
        now = self._clock.now()
        changed = await self._postmortems.change_state(
            postmortem_id, state_sources(target), target, now
        )
        if changed is None:
            current = await self._postmortems.get(postmortem_id)
            check_state_change(postmortem_id, current.state, target)
            raise AssertionError("a state change allowed by the rules did not apply")
        if target is PostmortemState.PUBLISHED:
            await self._announce_published(changed, principal.actor, now)
        return changed

    async def markdown(self, principal: Principal, postmortem_id: str) -> str:
        postmortem = await self.get(principal, postmortem_id)
        items = await self._action_items.of_postmortem(postmortem_id)
        users = await self._users.by_ids(i.owner_id for i in items)
        linked = await self._incidents.by_ids(i for item in items for i in item.linked_incident_ids)
        return markdown.render(
            postmortem,
            items,
            user_names={user_id: u.name for user_id, u in users.items()},
            incident_numbers={incident_id: i.number for incident_id, i in linked.items()},
        )

    async def action_items_of(
        self, principal: Principal, postmortem_ids: list[str]
    ) -> dict[str, list[ActionItem]]:
        """Postmortem id -> its action items, oldest first."""
        principal.require(Action.READ)
        return await self._action_items.of_postmortems(postmortem_ids)

    async def _timeline(self, incident_id: str) -> list[TimelineEntry]:
        entries: list[TimelineEntry] = []
        after: str | None = None
        while True:
            pages = await self._incidents.timeline_pages(
                [incident_id], PageRequest(first=MAX_PAGE_SIZE, after=after)
            )
            page = pages[incident_id]
            entries += page.items
            if not page.has_next_page:
                return sorted(entries, key=lambda e: e.at)
            after = page.end_cursor

    async def _responders(self, entries: list[TimelineEntry]) -> tuple[Responder, ...]:
        ids, names = people_named(entries)
        by_id = await self._users.by_ids(ids)
        named = [await self._users.by_name(name) for name in sorted(names)]
        return responders_of(
            entries,
            names_by_id={user_id: user.name for user_id, user in by_id.items()},
            ids_by_name={user.name: user.id for user in named if user is not None},
        )

    async def _announce_published(self, postmortem: Postmortem, actor: str, at: datetime) -> None:
        incident = (await self._incidents.by_ids([postmortem.incident_id])).get(
            postmortem.incident_id
        )
        if incident is None:  # deleted meanwhile: no timeline left to write on
            return
        change = Change(
            kind=TimelineKind.POSTMORTEM_PUBLISHED,
            event=IncidentEventKind.POSTMORTEM_PUBLISHED,
            message=f"Postmortem published: {postmortem.title}",
            details={"postmortem_id": postmortem.id},
        )
        await self._recorder.record(incident, change, actor, at=at)


def _facts(incident: Incident, metrics: Metrics) -> dict[str, str]:
    """What a template's placeholders stand for (domain/postmortem/templates.py)."""
    tta = metrics.time_to_acknowledge
    return {
        "incident.title": incident.title,
        "incident.number": str(incident.number),
        "incident.resolution_note": incident.resolution_note or "",
        "impact.start": markdown.utc(metrics.impact_start),
        "impact.end": markdown.utc(metrics.impact_end),
        "impact.duration": markdown.duration(metrics.impact_duration),
        "time_to_acknowledge": "-" if tta is None else markdown.duration(tta),
        "time_to_resolve": markdown.duration(metrics.time_to_resolve),
    }
