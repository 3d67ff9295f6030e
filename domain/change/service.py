"""Use cases for change events: recording them, and finding those near an incident."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from domain.auth import Action, Principal
from domain.change.model import MAX_BATCH, ChangeEvent, ChangeEventDraft, ChangeWindow
from domain.change.repository import ChangeEventRepository
from domain.clock import Clock
from domain.errors import BatchTooLargeError, ValidationError
from domain.ids import new_id
from domain.service.model import Service
from domain.service.service import ServiceCatalog
from domain.team.ownership import ServiceOwners


class ChangeEvents:
    def __init__(
        self,
        *,
        repository: ChangeEventRepository,
        services: ServiceCatalog,
        owners: ServiceOwners,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._services = services
        self._owners = owners
        self._clock = clock

    async def record(
        self, principal: Principal, drafts: Sequence[ChangeEventDraft]
    ) -> list[ChangeEvent]:
        """Store changes, all or none; the same callers as alerts (integration keys,
        responders). A key bound to a service records every change there; otherwise each
        names its service, and an unknown name registers one, as for alerts."""
        principal.require(Action.INGEST)
        if len(drafts) > MAX_BATCH:
            raise BatchTooLargeError(
                f"A call may carry at most {MAX_BATCH} change events; this one has {len(drafts)}."
            )
        now = self._clock.now()
        for index, draft in enumerate(drafts):
            try:
                draft.check_not_future(now)
                if principal.service_id is None and draft.service is None:
                    raise ValidationError(
                        "'service' is required unless the integration key is bound to a service.",
                        suggestion="Name the service the change was made to.",
                        field="service",
                    )
            except ValidationError as exc:
                raise exc.located(f"input[{index}]") from exc
        targets = await self._targets(principal, drafts)
        for service_id in {service.id for service in targets}:
            await self._owners.require(principal, Action.INGEST, service_id)
        changes = [
            ChangeEvent(
                id=new_id(),
                kind=draft.kind,
                summary=draft.summary,
                source=draft.source,
                service_id=service.id,
                service=service.name,
                occurred_at=draft.occurred_at or now,
                received_at=now,
                sent_by=principal.actor,
                links=draft.links,
                custom_details=draft.custom_details,
            )
            for draft, service in zip(drafts, targets, strict=True)
        ]
        await self._repository.insert_many(changes)
        return changes

    async def _targets(
        self, principal: Principal, drafts: Sequence[ChangeEventDraft]
    ) -> list[Service]:
        if principal.service_id is not None:
            bound = await self._services.routing_target(principal.service_id)
            return [bound] * len(drafts)
        names = await self._services.resolve_names({d.service for d in drafts if d.service})
        return [names[draft.service] for draft in drafts if draft.service]

    async def of_service(
        self,
        principal: Principal,
        service_id: str,
        since: datetime,
        until: datetime | None,
        limit: int,
    ) -> list[ChangeEvent]:
        """Changes of one service with an event time in [since, until], newest first."""
        principal.require(Action.READ)
        await self._owners.require(principal, Action.READ, service_id)
        window = ChangeWindow((service_id,), since, until or self._clock.now(), limit)
        return await self._repository.within(window)

    async def within(self, principal: Principal, window: ChangeWindow) -> list[ChangeEvent]:
        """Only the changes of the window's services that `principal` may read."""
        principal.require(Action.READ)
        readable = await self._owners.readable(principal)
        if readable is not None:
            window = dataclasses.replace(
                window, service_ids=tuple(i for i in window.service_ids if i in readable)
            )
        return await self._repository.within(window)
