"""Use cases for heartbeats: manage them, take pings, and page on a missed one.

A missed heartbeat becomes an alert on its service (dedup key `heartbeat:<id>`),
so it opens or joins an incident like any other; the next ping resolves that alert,
and with it the incident once nothing else fires.

A heartbeat belongs to its service: the managers of the service's team configure it
(admins when no team owns the service), the team's members see it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from domain.alert.model import AlertDraft, AlertStatus, Severity
from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal, PrincipalKind
from domain.clock import Clock
from domain.errors import NotFoundError
from domain.heartbeat.model import Heartbeat, HeartbeatDraft, HeartbeatStatus
from domain.heartbeat.repository import HeartbeatRepository
from domain.ids import new_id
from domain.ingest.service import AlertIngestor
from domain.secrets import SecretKind, generate_secret, hash_secret
from domain.service.service import ServiceCatalog
from domain.store.scope import within_services
from domain.store.timestamps import to_ms
from domain.team.ownership import ServiceOwners


@dataclass(frozen=True, slots=True)
class IssuedHeartbeat:
    heartbeat: Heartbeat
    secret: str
    """Part of the ping URL; shown once."""


class Heartbeats:
    def __init__(
        self,
        *,
        repository: HeartbeatRepository,
        services: ServiceCatalog,
        owners: ServiceOwners,
        ingest: AlertIngestor,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._audit = audit
        self._services = services
        self._owners = owners
        self._ingest = ingest
        self._clock = clock

    async def all(self, principal: Principal) -> list[Heartbeat]:
        principal.require(Action.READ)
        readable = await self._owners.readable(principal)
        return await self._repository.where(within_services({}, readable))

    async def create(self, principal: Principal, draft: HeartbeatDraft) -> IssuedHeartbeat:
        await self._require_configure(principal, draft.service_id)
        secret = generate_secret(SecretKind.HEARTBEAT)
        heartbeat = Heartbeat(
            id=new_id(),
            name=draft.name,
            service_id=draft.service_id,
            interval_s=draft.interval_s,
            secret_hash=hash_secret(secret),
            status=HeartbeatStatus.WAITING,
            last_ping_ms=None,
            created_at=self._clock.now(),
        )
        await self._repository.insert(heartbeat)
        await self._audit.created(principal, AuditResource.HEARTBEAT, heartbeat)
        return IssuedHeartbeat(heartbeat, secret)

    async def update(
        self, principal: Principal, heartbeat_id: str, draft: HeartbeatDraft
    ) -> Heartbeat:
        """Rename, move or re-time a heartbeat; its ping URL and state stay. Moving it to
        another service needs CONFIGURE in both services' teams."""
        principal.require(Action.READ)
        current = await self._repository.get(heartbeat_id)
        await self._require_configure(principal, current.service_id)
        if draft.service_id != current.service_id:
            await self._require_configure(principal, draft.service_id)
        updated = dataclasses.replace(
            current, name=draft.name, service_id=draft.service_id, interval_s=draft.interval_s
        )
        await self._repository.replace(updated)
        await self._audit.updated(principal, AuditResource.HEARTBEAT, current, updated)
        return updated

    async def delete(self, principal: Principal, heartbeat_id: str) -> None:
        principal.require(Action.READ)
        current = await self._repository.get(heartbeat_id)
        await self._require_configure(principal, current.service_id)
        await self._repository.delete(heartbeat_id)
        await self._audit.deleted(principal, AuditResource.HEARTBEAT, current)

    async def _require_configure(self, principal: Principal, service_id: str) -> None:
        # Reading first: an unknown or unreadable service stays NOT_FOUND or FORBIDDEN.
        service = await self._services.get(principal, service_id)
        principal.require(Action.CONFIGURE, service.team)

    async def ping(self, secret: str) -> Heartbeat:
        """A ping: the secret is the credential, as in the ping URLs of cron monitors."""
        heartbeat = await self._repository.by_secret_hash(hash_secret(secret))
        if heartbeat is None:
            raise NotFoundError(
                "No heartbeat has this ping URL.",
                suggestion="Copy the ping URL shown when the heartbeat was created.",
            )
        was = await self._repository.record_ping(heartbeat, to_ms(self._clock.now()))
        if was is HeartbeatStatus.DOWN:
            await self._ingest.ingest(_principal_of(heartbeat), [_alert(heartbeat, resolved=True)])
        return heartbeat

    async def page_missed(self) -> int:
        """Alert on every overdue heartbeat and mark it DOWN; return how many went down.

        The alert is ingested before the heartbeat is marked, so a crash in between
        only means the next check sends it again, which deduplication absorbs; the
        same holds when several processes check at once.
        """
        now_ms = to_ms(self._clock.now())
        down = 0
        for missed in await self._repository.overdue(now_ms):
            principal = _principal_of(missed)
            await self._ingest.ingest(principal, [_alert(missed, resolved=False)])
            if await self._repository.mark_down(missed.id, now_ms):
                down += 1
            else:  # pinged meanwhile: take the alert back
                await self._ingest.ingest(principal, [_alert(missed, resolved=True)])
        return down


def _principal_of(heartbeat: Heartbeat) -> Principal:
    return Principal(
        PrincipalKind.SYSTEM,
        heartbeat.id,
        f"heartbeat:{heartbeat.name}",
        service_id=heartbeat.service_id,
    )


def _alert(heartbeat: Heartbeat, *, resolved: bool) -> AlertDraft:
    return AlertDraft(
        summary=f"Heartbeat '{heartbeat.name}' missed: no ping for {heartbeat.interval_s} s",
        source="heartbeat",
        severity=Severity.CRITICAL,
        dedup_key=heartbeat.dedup_key,
        labels={"heartbeat": heartbeat.name},
        status=AlertStatus.RESOLVED if resolved else AlertStatus.FIRING,
    )
