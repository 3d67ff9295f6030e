"""Use cases of status pages: managing them, telling the public, and reading them publicly.

Pages, groups and components need Action.CONFIGURE; component statuses, public
incidents, their updates and maintenance need Action.RESPOND (the people handling an
incident write them). `public_page` needs no caller at all: it returns only the
public view (domain/statuspage/public.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.auth import Action, Principal
from domain.clock import Clock, as_utc
from domain.errors import NotFoundError, ValidationError
from domain.events import EventPublisher, IncidentEvent, IncidentEventKind
from domain.ids import new_id
from domain.incident.model import TimelineEntry, TimelineKind
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.service.service import ServiceCatalog
from domain.statuspage import messages
from domain.statuspage.model import (
    MAX_COMPONENTS_PER_CALL,
    Component,
    ComponentGroup,
    ComponentStatus,
    Impact,
    PublicIncident,
    PublicIncidentState,
    PublicUpdate,
    ScheduledMaintenance,
    StatusChange,
    StatusPage,
    SubscriberState,
)
from domain.statuspage.ports import StatusEventKind, StatusEventPublisher, StatusPageEvent
from domain.statuspage.public import PublicStatusPage, build_public_page
from domain.statuspage.repository import StatusPageRepository
from domain.statuspage.subscriptions import Subscriptions
from domain.statuspage.uptime import DAYS
from domain.store.timestamps import to_ms

PAST_INCIDENT_DAYS = 14
"""Resolved public incidents stay on the page this long."""
PUBLIC_VIEW_TTL = timedelta(seconds=5)
"""How stale a public view may be: other replicas' changes show within this."""
MAX_CACHED_VIEWS = 256


@dataclass(frozen=True, slots=True)
class ComponentDraft:
    name: str
    description: str = ""
    group_id: str | None = None
    service_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PublicIncidentDraft:
    page_id: str
    title: str
    body: str
    impact: Impact = Impact.MINOR
    state: PublicIncidentState = PublicIncidentState.INVESTIGATING
    component_ids: tuple[str, ...] = ()
    internal_incident_id: str | None = None


@dataclass(frozen=True, slots=True)
class MaintenanceDraft:
    page_id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    component_ids: tuple[str, ...] = ()


class StatusPages:
    def __init__(
        self,
        *,
        repository: StatusPageRepository,
        subscriptions: Subscriptions,
        desk: IncidentDesk,
        services: ServiceCatalog,
        incidents: IncidentRepository,
        incident_events: EventPublisher,
        status_events: StatusEventPublisher,
        clock: Clock,
        public_url: str,
    ) -> None:
        self._repo = repository
        self.subscriptions = subscriptions
        self._desk = desk
        self._services = services
        self._incidents = incidents
        self._incident_events = incident_events
        self._status_events = status_events
        self._clock = clock
        self._public_url = public_url
        self._views: dict[str, tuple[datetime, PublicStatusPage]] = {}

    # -- pages, groups, components (CONFIGURE) -------------------------------------------

    async def create_page(
        self, principal: Principal, *, slug: str, title: str, description: str = ""
    ) -> StatusPage:
        principal.require(Action.CONFIGURE)
        page = StatusPage(new_id(), slug, title, description, self._clock.now())
        await self._repo.insert_page(page)
        return page

    async def update_page(
        self, principal: Principal, page_id: str, *, title: str | None, description: str | None
    ) -> StatusPage:
        principal.require(Action.CONFIGURE)
        page = await self._repo.pages.get(page_id)
        changed = dataclasses.replace(
            page,
            title=page.title if title is None else title,
            description=page.description if description is None else description,
        )
        await self._repo.pages.replace(changed)
        await self._announce_page(changed)
        return changed

    async def delete_page(self, principal: Principal, page_id: str) -> None:
        principal.require(Action.CONFIGURE)
        await self._repo.delete_page(page_id)
        self._views.clear()

    async def create_group(self, principal: Principal, page_id: str, name: str) -> ComponentGroup:
        principal.require(Action.CONFIGURE)
        page = await self._repo.pages.get(page_id)
        group = ComponentGroup(new_id(), page.id, name, self._clock.now())
        await self._repo.groups.insert(group)
        await self._announce_page(page)
        return group

    async def delete_group(self, principal: Principal, group_id: str) -> None:
        """Its components stay, ungrouped."""
        principal.require(Action.CONFIGURE)
        group = await self._repo.groups.get(group_id)
        for component in await self._repo.components.where({"group_id": group_id}):
            await self._repo.components.replace(dataclasses.replace(component, group_id=None))
        await self._repo.groups.delete(group_id)
        await self._announce_page(await self._repo.pages.get(group.page_id))

    async def create_component(
        self, principal: Principal, page_id: str, draft: ComponentDraft
    ) -> Component:
        principal.require(Action.CONFIGURE)
        page = await self._repo.pages.get(page_id)
        await self._check_group(page, draft.group_id)
        await self._check_services(principal, draft.service_ids)
        now = self._clock.now()
        component = Component(
            id=new_id(),
            page_id=page.id,
            name=draft.name,
            description=draft.description,
            group_id=draft.group_id,
            service_ids=draft.service_ids,
            status=ComponentStatus.OPERATIONAL,
            status_changed_at=now,
            created_at=now,
        )
        await self._repo.components.insert(component)
        await self._repo.record_change(
            StatusChange(new_id(), page.id, component.id, component.status, now, principal.actor)
        )
        await self._announce_page(page)
        return component

    async def update_component(
        self, principal: Principal, component_id: str, draft: ComponentDraft
    ) -> Component:
        principal.require(Action.CONFIGURE)
        component = await self._repo.components.get(component_id)
        page = await self._repo.pages.get(component.page_id)
        await self._check_group(page, draft.group_id)
        await self._check_services(principal, draft.service_ids)
        changed = dataclasses.replace(
            component,
            name=draft.name,
            description=draft.description,
            group_id=draft.group_id,
            service_ids=draft.service_ids,
        )
        await self._repo.components.replace(changed)
        await self._announce_page(page)
        return changed

    async def delete_component(self, principal: Principal, component_id: str) -> None:
        principal.require(Action.CONFIGURE)
        component = await self._repo.components.get(component_id)
        await self._repo.components.delete(component_id)
        await self._announce_page(await self._repo.pages.get(component.page_id))

    # -- reading (READ) ------------------------------------------------------------------

    async def pages(self, principal: Principal) -> list[StatusPage]:
        principal.require(Action.READ)
        return await self._repo.pages.all()

    async def page(self, principal: Principal, page_id: str) -> StatusPage:
        principal.require(Action.READ)
        return await self._repo.pages.get(page_id)

    async def groups_of(self, principal: Principal, page_id: str) -> list[ComponentGroup]:
        principal.require(Action.READ)
        return await self._repo.groups.where({"page_id": page_id})

    async def components_of(self, principal: Principal, page_id: str) -> list[Component]:
        principal.require(Action.READ)
        return await self._repo.components.where({"page_id": page_id})

    async def incidents_of(self, principal: Principal, page_id: str) -> list[PublicIncident]:
        principal.require(Action.READ)
        return await self._repo.incidents_of_page(page_id, since=self._past_since())

    async def updates_of(
        self, principal: Principal, incident_ids: list[str]
    ) -> dict[str, list[PublicUpdate]]:
        principal.require(Action.READ)
        return await self._repo.updates_of(incident_ids)

    async def maintenance_of(
        self, principal: Principal, page_id: str
    ) -> list[ScheduledMaintenance]:
        principal.require(Action.READ)
        return await self._repo.maintenance.where({"page_id": page_id})

    async def subscriber_counts(
        self, principal: Principal, page_id: str
    ) -> dict[SubscriberState, int]:
        principal.require(Action.READ)
        return await self.subscriptions.count(page_id)

    # -- component statuses (RESPOND) ----------------------------------------------------

    async def set_component_statuses(
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
            await self._incidents.add_timeline(
                [
                    TimelineEntry(
                        id=new_id(),
                        incident_id=incident.id,
                        at=now,
                        kind=TimelineKind.COMPONENT_STATUS_CHANGED,
                        actor=principal.actor,
                        message="Status page: "
                        + "; ".join(f"{c.name} {c.status.label.lower()}" for c in changed)
                        + ".",
                        details={
                            "components": [
                                {
                                    "component_id": c.id,
                                    "page_id": c.page_id,
                                    "status": c.status.value,
                                }
                                for c in changed
                            ]
                        },
                    )
                ]
            )
            await self._incident_events.publish(
                [
                    IncidentEvent(
                        kind=IncidentEventKind.COMPONENT_STATUS_CHANGED,
                        incident_id=incident.id,
                        service_id=incident.service_id,
                        committed_at=now,
                        incident=incident.to_document(),
                    )
                ]
            )
        await self._changed(events)
        return changed

    # -- public incidents and maintenance (RESPOND) --------------------------------------

    async def open_incident(
        self, principal: Principal, draft: PublicIncidentDraft
    ) -> PublicIncident:
        principal.require(Action.RESPOND)
        page = await self._repo.pages.get(draft.page_id)
        await self._check_components(page, draft.component_ids)
        if draft.internal_incident_id is not None:
            await self._desk.get(principal, draft.internal_incident_id)
        now = self._clock.now()
        incident = PublicIncident(
            id=new_id(),
            page_id=page.id,
            title=draft.title,
            impact=draft.impact,
            state=draft.state,
            component_ids=draft.component_ids,
            internal_incident_id=draft.internal_incident_id,
            created_at=now,
            updated_at=now,
        )
        update = PublicUpdate(
            new_id(), incident.id, page.id, draft.body, draft.state, now, principal.actor
        )
        await self._repo.incidents.insert(incident)
        await self._publish_update(page, incident, update)
        return await self._repo.incidents.get(incident.id)

    async def post_update(
        self,
        principal: Principal,
        public_incident_id: str,
        *,
        body: str,
        state: PublicIncidentState | None,
    ) -> PublicIncident:
        principal.require(Action.RESPOND)
        incident = await self._repo.incidents.get(public_incident_id)
        await self._post(
            incident, body=body, state=state, at=self._clock.now(), actor=principal.actor
        )
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
            await self._post(incident, body=body, state=target, at=as_utc(at), actor="stakeholder")
        return len(linked)

    async def schedule_maintenance(
        self, principal: Principal, draft: MaintenanceDraft
    ) -> ScheduledMaintenance:
        principal.require(Action.RESPOND)
        page = await self._repo.pages.get(draft.page_id)
        await self._check_components(page, draft.component_ids)
        maintenance = ScheduledMaintenance(
            id=new_id(),
            page_id=page.id,
            title=draft.title,
            description=draft.description,
            starts_at=as_utc(draft.starts_at),
            ends_at=as_utc(draft.ends_at),
            component_ids=draft.component_ids,
            created_at=self._clock.now(),
        )
        await self._repo.maintenance.insert(maintenance)
        names = await self._names(maintenance.component_ids)
        url = messages.page_url(self._public_url, page)
        await self.subscriptions.announce(
            page,
            f"status-maintenance|{maintenance.id}",
            lambda unsubscribe: messages.maintenance_scheduled(
                page, url, maintenance, names, unsubscribe
            ),
        )
        await self._changed(
            [
                StatusPageEvent(
                    kind=StatusEventKind.MAINTENANCE_SCHEDULED,
                    page_id=page.id,
                    slug=page.slug,
                    committed_at=maintenance.created_at,
                    title=maintenance.title,
                )
            ]
        )
        return maintenance

    async def cancel_maintenance(self, principal: Principal, maintenance_id: str) -> None:
        principal.require(Action.RESPOND)
        maintenance = await self._repo.maintenance.get(maintenance_id)
        await self._repo.maintenance.delete(maintenance_id)
        await self._announce_page(await self._repo.pages.get(maintenance.page_id))

    # -- the public view (no caller) -----------------------------------------------------

    async def public_page(self, slug: str) -> PublicStatusPage:
        """Kept for PUBLIC_VIEW_TTL: an outage brings many readers, each reading a page
        costs several queries, and changes made through this process clear it at once."""
        now = self._clock.now()
        cached = self._views.get(slug)
        if cached is not None and cached[0] > now:
            return cached[1]
        view = await self._read_public_page(slug, now)
        if len(self._views) >= MAX_CACHED_VIEWS:
            self._views.clear()
        self._views[slug] = (now + PUBLIC_VIEW_TTL, view)
        return view

    async def _read_public_page(self, slug: str, now: datetime) -> PublicStatusPage:
        page = await self._repo.page_by_slug(slug)
        components = await self._repo.components.where({"page_id": page.id})
        incidents = await self._repo.incidents_of_page(page.id, since=self._past_since())
        return build_public_page(
            page,
            groups=await self._repo.groups.where({"page_id": page.id}),
            components=components,
            changes=await self._repo.changes_of(
                [c.id for c in components], now - timedelta(days=DAYS)
            ),
            incidents=incidents,
            updates=await self._repo.updates_of([i.id for i in incidents]),
            maintenance=await self._repo.maintenance.where(
                {"page_id": page.id, "ends_ms": {"$gt": to_ms(now)}}
            ),
            now=now,
        )

    async def page_id_of(self, slug: str) -> str:
        """For the public subscription: which page's events to pass on."""
        return (await self._repo.page_by_slug(slug)).id

    # -- helpers -------------------------------------------------------------------------

    async def _post(
        self,
        incident: PublicIncident,
        *,
        body: str,
        state: PublicIncidentState | None,
        at: datetime,
        actor: str,
    ) -> None:
        page = await self._repo.pages.get(incident.page_id)
        update = PublicUpdate(
            new_id(), incident.id, page.id, body, state or incident.state, at, actor
        )
        await self._publish_update(page, incident, update)

    async def _publish_update(
        self, page: StatusPage, incident: PublicIncident, update: PublicUpdate
    ) -> None:
        await self._repo.add_update(incident, update)
        names = await self._names(incident.component_ids)
        url = messages.page_url(self._public_url, page)
        await self.subscriptions.announce(
            page,
            f"status-update|{update.id}",
            lambda unsubscribe: messages.incident_update(
                page, url, incident, update, names, unsubscribe
            ),
        )
        await self._changed(
            [
                StatusPageEvent(
                    kind=StatusEventKind.INCIDENT_UPDATED,
                    page_id=page.id,
                    slug=page.slug,
                    committed_at=update.at,
                    status=update.state.value,
                    public_incident_id=incident.id,
                    title=incident.title,
                )
            ]
        )

    async def _changed(self, events: list[StatusPageEvent]) -> None:
        """Every public change passes here: the cached views are stale, subscribers learn."""
        self._views.clear()
        await self._status_events.publish(events)

    async def _announce_page(self, page: StatusPage) -> None:
        await self._changed(
            [
                StatusPageEvent(
                    kind=StatusEventKind.PAGE_CHANGED,
                    page_id=page.id,
                    slug=page.slug,
                    committed_at=self._clock.now(),
                )
            ]
        )

    async def _names(self, component_ids: tuple[str, ...]) -> list[str]:
        if not component_ids:
            return []
        found = {
            c.id: c.name
            for c in await self._repo.components.where({"_id": {"$in": list(component_ids)}})
        }
        return [found[c] for c in component_ids if c in found]

    async def _check_group(self, page: StatusPage, group_id: str | None) -> None:
        if group_id is not None and (await self._repo.groups.get(group_id)).page_id != page.id:
            raise ValidationError(
                "The group belongs to another status page.",
                suggestion="Pick a group of the same page.",
                field="groupId",
            )

    async def _check_services(self, principal: Principal, service_ids: tuple[str, ...]) -> None:
        found = await self._services.by_ids(principal, list(service_ids))
        missing = [s for s in service_ids if s not in found]
        if missing:
            raise NotFoundError(
                f"No service with id '{missing[0]}'.",
                suggestion="List the services to find valid ids.",
            )

    async def _check_components(self, page: StatusPage, component_ids: tuple[str, ...]) -> None:
        found = await self._repo.components.where(
            {"_id": {"$in": list(component_ids)}, "page_id": page.id}
        )
        missing = set(component_ids) - {c.id for c in found}
        if missing:
            raise NotFoundError(
                f"No component with id '{sorted(missing)[0]}' on status page '{page.slug}'.",
                suggestion="List the page's components to find valid ids.",
            )

    def _past_since(self) -> datetime:
        return self._clock.now() - timedelta(days=PAST_INCIDENT_DAYS)


def _state(value: str) -> PublicIncidentState:
    try:
        return PublicIncidentState(value.lower())
    except ValueError:
        raise ValidationError(
            f"'state' must be one of {', '.join(s.value for s in PublicIncidentState)}, "
            f"got {value!r}.",
            field="state",
        ) from None
