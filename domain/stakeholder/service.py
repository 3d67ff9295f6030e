"""Posting status updates: stored, on the timeline, announced, and sent to their audience."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from domain.auth import Action, Principal
from domain.clock import Clock
from domain.events import EventPublisher, IncidentEventKind
from domain.ids import new_id
from domain.incident.model import Incident, TimelineKind
from domain.incident.recorder import Change, TimelineRecorder
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.service.service import ServiceCatalog
from domain.stakeholder.model import Audience, StatusUpdate, StatusUpdateDraft
from domain.stakeholder.ports import PublicStatusChannel, UpdateNotifier
from domain.stakeholder.repository import StatusUpdateRepository, SubscriptionRepository
from domain.stakeholder.templates import UpdateTemplates

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PostedUpdate:
    update: StatusUpdate
    notified: int
    """Notifications queued (one per destination)."""
    public_incidents: int | None
    """PUBLIC only: public incidents that got it; None without a public channel or on failure."""


class StatusUpdates:
    def __init__(
        self,
        *,
        repository: StatusUpdateRepository,
        subscriptions: SubscriptionRepository,
        templates: UpdateTemplates,
        desk: IncidentDesk,
        incidents: IncidentRepository,
        services: ServiceCatalog,
        notifier: UpdateNotifier,
        publisher: EventPublisher,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._subscriptions = subscriptions
        self._templates = templates
        self._desk = desk
        self._incidents = incidents
        self._services = services
        self._notifier = notifier
        self._recorder = TimelineRecorder(incidents=incidents, publisher=publisher, clock=clock)
        self._clock = clock
        self._public: PublicStatusChannel | None = None

    def publish_publicly_through(self, channel: PublicStatusChannel | None) -> None:
        """Composition only (the status pages are built after this desk); None detaches."""
        self._public = channel

    async def of_incidents(
        self, principal: Principal, incident_ids: list[str]
    ) -> dict[str, list[StatusUpdate]]:
        """An unreadable incident's list is empty."""
        principal.require(Action.READ)
        found = await self._repository.of_incidents(
            await self._desk.readable_ids(principal, incident_ids)
        )
        return {i: found.get(i, []) for i in incident_ids}

    async def preview(self, principal: Principal, template_id: str, incident_id: str) -> str:
        """A template rendered for an incident, as postStatusUpdate would send it."""
        incident = await self._desk.get(principal, incident_id)
        template = await self._templates.get(principal, template_id)
        return self._templates.render(
            template, incident, await self._service_name(principal, incident)
        )

    async def post(self, principal: Principal, draft: StatusUpdateDraft) -> PostedUpdate:
        incident = await self._desk.require(principal, Action.RESPOND, draft.incident_id)
        service_name = await self._service_name(principal, incident)
        body = draft.body
        if draft.template_id is not None:
            template = await self._templates.get(principal, draft.template_id)
            body = self._templates.render(template, incident, service_name)
        assert body is not None
        update = StatusUpdate(
            id=new_id(),
            incident_id=incident.id,
            service_id=incident.service_id,
            audience=draft.audience,
            body=body,
            state=draft.state,
            template_id=draft.template_id,
            author_id=principal.id,
            author=principal.actor,
            posted_at=self._clock.now(),
        )
        await self._repository.insert(update)
        await self._record(update, incident)
        if draft.audience.reaches_subscribers:
            subscriptions = await self._subscriptions.reaching(incident.id, incident.service_id)
            notified = await self._notifier.to_subscribers(
                update, incident, service_name, subscriptions
            )
        else:
            notified = await self._notifier.to_responders(update, incident, service_name)
        public = await self._publish(update) if draft.audience is Audience.PUBLIC else None
        return PostedUpdate(update, notified, public)

    async def _record(self, update: StatusUpdate, incident: Incident) -> None:
        state = "" if update.state is None else f" ({update.state.value})"
        change = Change(
            kind=TimelineKind.STATUS_UPDATE_POSTED,
            event=IncidentEventKind.STATUS_UPDATE_POSTED,
            message=f"{update.audience.value.capitalize()} update{state}: {update.body}",
            details={
                "status_update_id": update.id,
                "audience": update.audience.value,
                "state": None if update.state is None else update.state.value,
            },
        )
        await self._recorder.record(incident, change, update.author, at=update.posted_at)

    async def _publish(self, update: StatusUpdate) -> int | None:
        if self._public is None:
            return None
        try:
            return await self._public.post_incident_update(
                update.incident_id,
                body=update.body,
                state=None if update.state is None else update.state.value,
                at=update.posted_at,
            )
        except Exception:
            # The update is stored and its subscribers notified: a failing status page must
            # not make the caller post it again.
            log.exception("status update %s: the public status channel failed", update.id)
            return None

    async def _service_name(self, principal: Principal, incident: Incident) -> str:
        return (await self._services.get(principal, incident.service_id)).name
