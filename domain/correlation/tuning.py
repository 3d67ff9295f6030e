"""Changing correlation settings, audited: who changed what, when, from what.

A change takes effect at once in this process and within the worker interval in the
others (`CorrelationSwitch`). The history is the audit log's entries for correlation
settings, so there is one record of configuration changes, not one per noun.
"""

from __future__ import annotations

from domain.audit.model import AuditAction, AuditEntry, AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal
from domain.correlation.settings import CorrelationSettings, SettingsChange
from domain.correlation.settings_store import SETTINGS_ID, SettingsStore
from domain.correlation.switch import CorrelationSwitch

MAX_HISTORY = 200


class CorrelationTuning:
    def __init__(
        self, *, store: SettingsStore, switch: CorrelationSwitch, audit: AuditTrail
    ) -> None:
        self._store = store
        self._switch = switch
        self._audit = audit

    async def current(self, principal: Principal) -> CorrelationSettings:
        principal.require(Action.READ)
        return await self._store.effective()

    async def update(self, principal: Principal, new: CorrelationSettings) -> SettingsChange:
        principal.require(Action.CONFIGURE)
        old = await self._store.effective()
        await self._store.save(new)
        await self._switch.follow()
        entry = await self._audit.record(
            principal,
            AuditAction.UPDATE,
            AuditResource.CORRELATION_SETTINGS,
            SETTINGS_ID,
            old.to_document(),
            new.to_document(),
        )
        return _change_of(entry)

    async def history(self, principal: Principal, limit: int = 50) -> list[SettingsChange]:
        """Newest first."""
        principal.require(Action.READ)
        entries = await self._audit.latest(
            AuditResource.CORRELATION_SETTINGS, min(max(limit, 1), MAX_HISTORY)
        )
        return [_change_of(entry) for entry in entries]


def _change_of(entry: AuditEntry) -> SettingsChange:
    assert entry.before is not None and entry.after is not None  # always an update
    return SettingsChange(
        id=entry.id,
        actor=f"{entry.actor.kind.value}:{entry.actor.name}",
        at=entry.at,
        old=CorrelationSettings.from_document(entry.before),
        new=CorrelationSettings.from_document(entry.after),
    )
