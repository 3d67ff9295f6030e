"""Changing correlation settings, audited: who changed what, when, from what."""

from __future__ import annotations

from domain.auth import Action, Principal
from domain.clock import Clock
from domain.correlation.settings import CorrelationSettings, SettingsChange
from domain.correlation.settings_store import SettingsStore
from domain.ids import new_id

MAX_HISTORY = 200


class CorrelationTuning:
    def __init__(
        self, *, store: SettingsStore, defaults: CorrelationSettings, clock: Clock
    ) -> None:
        self._store = store
        self._defaults = defaults
        self._clock = clock

    async def current(self, principal: Principal) -> CorrelationSettings:
        principal.require(Action.READ)
        return await self.effective()

    async def effective(self) -> CorrelationSettings:
        """The stored settings, else those the process started with."""
        return await self._store.current() or self._defaults

    async def update(self, principal: Principal, new: CorrelationSettings) -> SettingsChange:
        principal.require(Action.CONFIGURE)
        change = SettingsChange(
            id=new_id(),
            actor=principal.actor,
            at=self._clock.now(),
            old=await self.effective(),
            new=new,
        )
        await self._store.change(change)
        return change

    async def history(self, principal: Principal, limit: int = 50) -> list[SettingsChange]:
        principal.require(Action.READ)
        return await self._store.history(min(max(limit, 1), MAX_HISTORY))
