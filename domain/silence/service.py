"""Use cases for silences. Responders may silence, as in Alertmanager."""

from __future__ import annotations

import dataclasses

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.ids import new_id
from domain.noise.controls import NoiseControls
from domain.silence.model import Silence, SilenceDraft
from domain.store.documents import DocumentRepository


class Silences:
    def __init__(
        self,
        *,
        repository: DocumentRepository[Silence],
        noise: NoiseControls,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._audit = audit
        self._noise = noise
        self._clock = clock

    async def all(self, principal: Principal) -> list[Silence]:
        principal.require(Action.READ)
        return await self._repository.all()

    async def create(self, principal: Principal, draft: SilenceDraft) -> Silence:
        principal.require(Action.RESPOND)
        silence = Silence(
            id=new_id(),
            matchers=draft.matchers,
            starts_at=draft.starts_at,
            ends_at=draft.ends_at,
            comment=draft.comment,
            created_by=principal.actor,
            created_at=self._clock.now(),
        )
        await self._repository.insert(silence)
        self._noise.invalidate()
        await self._audit.created(principal, AuditResource.SILENCE, silence)
        return silence

    async def expire(self, principal: Principal, silence_id: str) -> Silence:
        """End a silence now; its record stays for the history."""
        principal.require(Action.RESPOND)
        current = await self._repository.get(silence_id)
        now = self._clock.now()
        if current.ends_at <= now:
            return current
        silence = dataclasses.replace(current, ends_at=max(now, current.starts_at))
        await self._repository.replace(silence)
        self._noise.invalidate()
        await self._audit.updated(principal, AuditResource.SILENCE, current, silence)
        return silence
