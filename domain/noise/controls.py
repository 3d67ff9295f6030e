"""Noise controls applied to every incoming alert, before deduplication and correlation:
event rules (reshape, re-route, suppress), maintenance windows and silences."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from domain.alert.model import Alert, AlertDraft
from domain.clock import Clock
from domain.maintenance.model import MaintenanceWindow
from domain.matching import matchable
from domain.noise.model import Suppression, SuppressionKind
from domain.rules.model import EventRule
from domain.silence.model import Silence
from domain.store.documents import DocumentRepository

REFRESH_SECONDS = 2.0
"""How stale this process's view may be of changes made by another replica."""


@dataclass(frozen=True, slots=True)
class NoiseConfig:
    rules: tuple[EventRule, ...]
    silences: tuple[Silence, ...]
    windows: tuple[MaintenanceWindow, ...]

    def first_rule(self, draft: AlertDraft, service: str | None) -> EventRule | None:
        if not self.rules:  # the usual case: no values to build for every alert
            return None
        values = _values_of_draft(draft, service)
        return next((rule for rule in self.rules if rule.matches(values)), None)

    def suppression(self, alert: Alert, rule: EventRule | None, at: datetime) -> Suppression | None:
        if rule is not None and rule.actions.suppress:
            return Suppression(SuppressionKind.RULE, rule.id, rule.name)
        if not self.windows and not self.silences:
            return None
        values = matchable(
            alert.labels,
            _fields(
                alert.summary, alert.description, alert.source, alert.service, alert.severity.value
            ),
        )
        for window in self.windows:
            if window.covers(alert.service_id, values) and window.active_at(at):
                return Suppression(SuppressionKind.MAINTENANCE, window.id, window.name)
        for silence in self.silences:
            if silence.active_at(at) and silence.silences(values):
                return Suppression(SuppressionKind.SILENCE, silence.id, silence.comment[:80])
        return None


def reshape(draft: AlertDraft, rule: EventRule | None) -> AlertDraft:
    """The draft as the rule's actions leave it (routing is applied by the caller)."""
    if rule is None:
        return draft
    actions = rule.actions
    return dataclasses.replace(
        draft,
        severity=actions.set_severity or draft.severity,
        labels={**draft.labels, **actions.add_labels},
    )


class NoiseControls:
    def __init__(
        self,
        *,
        rules: DocumentRepository[EventRule],
        silences: DocumentRepository[Silence],
        windows: DocumentRepository[MaintenanceWindow],
        clock: Clock,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._rules = rules
        self._silences = silences
        self._windows = windows
        self._monotonic = monotonic
        self._config: NoiseConfig | None = None
        self._loaded_at = 0.0

    async def config(self) -> NoiseConfig:
        """The current rules, silences and windows, re-read at most every REFRESH_SECONDS."""
        if self._config is None or self._monotonic() - self._loaded_at > REFRESH_SECONDS:
            now = self._clock.now()
            rules = sorted(await self._rules.all(), key=lambda r: (r.position, r.id))
            silences = await self._silences.where({"ends_at": {"$gt": now}})
            windows = await self._windows.where(
                {"$or": [{"ends_at": {"$gt": now}}, {"recurrence": {"$ne": None}}]}
            )
            self._config = NoiseConfig(tuple(rules), tuple(silences), tuple(windows))
            self._loaded_at = self._monotonic()
        return self._config

    def invalidate(self) -> None:
        """Called after a local change, so this process applies it at once."""
        self._config = None


def _fields(
    summary: str, description: str, source: str, service: str | None, severity: str
) -> dict[str, str]:
    fields = {
        "summary": summary,
        "description": description,
        "source": source,
        "severity": severity,
    }
    if service is not None:
        fields["service"] = service
    return fields


def _values_of_draft(draft: AlertDraft, service: str | None) -> dict[str, str]:
    return matchable(
        draft.labels,
        _fields(draft.summary, draft.description, draft.source, service, draft.severity.value),
    )
