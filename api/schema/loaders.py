"""DataLoaders: relations are fetched once per request for all parents together."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

from api.container import Container
from domain.alert.model import Alert
from domain.auth import Principal
from domain.escalation.run import EscalationRun
from domain.incident.model import Incident, TimelineEntry
from domain.postmortem.action_items import ActionItem
from domain.postmortem.model import Postmortem
from domain.response.catalog import Definitions
from domain.service.model import Service
from domain.stakeholder.model import StatusUpdate
from domain.store.pagination import Page, PageRequest
from domain.user.model import User
from notifications.outbox import OutboxEntry

T = TypeVar("T")
PageKey = tuple[str, int, str | None]
"""(owner id, first, after)."""


class Loaders:
    def __init__(self, container: Container, principal: Callable[[], Principal]) -> None:
        self._container = container
        self._principal = principal
        self.service = DataLoader[str, Service | None](self._load_services)
        self.incident = DataLoader[str, Incident | None](self._load_incidents)
        self.alert_page = DataLoader[PageKey, Page[Alert]](self._load_alert_pages)
        self.timeline_page = DataLoader[PageKey, Page[TimelineEntry]](self._load_timeline_pages)
        self.escalation = DataLoader[str, EscalationRun | None](self._load_escalations)
        self.postmortem = DataLoader[str, Postmortem | None](self._load_postmortems)
        self.action_items = DataLoader[str, list[ActionItem]](self._load_action_items)
        self.alert = DataLoader[str, Alert | None](self._load_alerts)
        self.notifications = DataLoader[str, list[OutboxEntry]](self._load_notifications)
        self.user = DataLoader[str, User | None](self._load_users)
        self.status_updates = DataLoader[str, list[StatusUpdate]](self._load_status_updates)
        # One key ("all"): roles, types and custom fields are read once per request.
        self.response_definitions = DataLoader[str, Definitions](self._load_definitions)

    async def _load_services(self, ids: list[str]) -> list[Service | None]:
        found = await self._container.services.by_ids(self._principal(), ids)
        return [found.get(i) for i in ids]

    async def _load_incidents(self, ids: list[str]) -> list[Incident | None]:
        found = await self._container.incidents.by_ids(self._principal(), ids)
        return [found.get(i) for i in ids]

    async def _load_alerts(self, ids: list[str]) -> list[Alert | None]:
        found = await self._container.correlation.insights.alerts(self._principal(), ids)
        return [found.get(i) for i in ids]

    async def _load_definitions(self, keys: list[str]) -> list[Definitions]:
        found = await self._container.response.catalog.definitions(self._principal())
        return [found for _ in keys]

    async def _load_users(self, ids: list[str]) -> list[User | None]:
        found = await self._container.schedules.people(self._principal(), ids)
        return [found.get(i) for i in ids]

    async def _load_notifications(self, ids: list[str]) -> list[list[OutboxEntry]]:
        found = await self._container.notifications.center.of_incidents(self._principal(), ids)
        return [found[i] for i in ids]

    async def _load_status_updates(self, ids: list[str]) -> list[list[StatusUpdate]]:
        found = await self._container.stakeholders.updates.of_incidents(self._principal(), ids)
        return [found[i] for i in ids]

    async def _load_postmortems(self, ids: list[str]) -> list[Postmortem | None]:
        found = await self._container.postmortems.desk.of_incidents(self._principal(), ids)
        return [found.get(i) for i in ids]

    async def _load_action_items(self, ids: list[str]) -> list[list[ActionItem]]:
        found = await self._container.postmortems.desk.action_items_of(self._principal(), ids)
        return [found[i] for i in ids]

    async def _load_escalations(self, ids: list[str]) -> list[EscalationRun | None]:
        found = await self._container.escalation.escalations.current(self._principal(), ids)
        return [found.get(i) for i in ids]

    async def _load_alert_pages(self, keys: list[PageKey]) -> list[Page[Alert]]:
        return await _pages_by_request(
            keys,
            lambda ids, page: self._container.incidents.alert_pages(self._principal(), ids, page),
        )

    async def _load_timeline_pages(self, keys: list[PageKey]) -> list[Page[TimelineEntry]]:
        return await _pages_by_request(
            keys,
            lambda ids, page: self._container.incidents.timeline_pages(
                self._principal(), ids, page
            ),
        )


async def _pages_by_request(
    keys: Sequence[PageKey],
    fetch: Callable[[list[str], PageRequest], Awaitable[dict[str, Page[T]]]],
) -> list[Page[T]]:
    """One fetch per distinct (first, after), covering every owner that asked for it."""
    owners: dict[tuple[int, str | None], list[str]] = {}
    for owner_id, first, after in keys:
        owners.setdefault((first, after), []).append(owner_id)
    pages: dict[PageKey, Page[T]] = {}
    for (first, after), owner_ids in owners.items():
        fetched = await fetch(owner_ids, PageRequest(first=first, after=after))
        for owner_id in owner_ids:
            pages[(owner_id, first, after)] = fetched[owner_id]
    return [pages[key] for key in keys]
