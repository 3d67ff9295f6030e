"""The similarity model over recent history, kept current as incidents are resolved.

Reading history is what costs, not fitting: on the embedded store, 2,000 resolved
incidents and their 6,000 alerts take 2 to 4 s to read on 2 busy cores, while fitting
the model on them takes about 60 ms. So the history is read whole only on first use and
then every FULL_RELOAD (to see merges and splits that moved alerts between old
incidents); in between, a read finds the incidents resolved since the last one (usually
none: one small query), reads only their alerts, and refits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.alert.repository import AlertRepository
from domain.clock import Clock
from domain.context.similarity import IncidentProfile, SimilarityModel
from domain.incident.model import Incident
from domain.incident.repository import IncidentRepository

HISTORY_SIZE = 2000
"""Resolved incidents the model is fitted on, the most recently resolved."""
ALERTS_PER_INCIDENT = 50
"""On average: what is read of a storm's alerts is enough to know its kind."""
FULL_RELOAD = timedelta(hours=1)

_Marker = tuple[str, datetime | None] | None
"""The newest resolution (incident id, resolved at): history changed when it changes."""


@dataclass(frozen=True, slots=True)
class _Fitted:
    marker: _Marker
    loaded_at: datetime
    """When the history was last read whole."""
    incidents: dict[str, Incident]
    profiles: dict[str, IncidentProfile]
    model: SimilarityModel


class SimilarIncidents:
    """Which past incidents an incident resembles."""

    def __init__(
        self,
        *,
        incidents: IncidentRepository,
        alerts: AlertRepository,
        clock: Clock,
        history_size: int = HISTORY_SIZE,
    ) -> None:
        self._incidents = incidents
        self._alerts = alerts
        self._clock = clock
        self._history_size = history_size
        self._fitted: _Fitted | None = None
        self._lock = asyncio.Lock()

    async def like(
        self,
        incident: Incident,
        alerts: list[tuple[str, dict[str, str]]],
        k: int,
        services: Collection[str] | None = None,
    ) -> list[tuple[Incident, float]]:
        """Up to `k` past incidents like `incident` (whose alerts' summary and labels are
        given), most similar first, with their similarity; of `services` only when given
        (the caller's readable ones)."""
        if k == 0:
            return []
        fitted = await self._current()
        profile = IncidentProfile.of(incident.id, incident.service_id, alerts)
        hidden = {incident.id}
        if services is not None:
            allowed = set(services)
            hidden |= {i for i, past in fitted.incidents.items() if past.service_id not in allowed}
        ranked = fitted.model.nearest(profile, k, exclude=frozenset(hidden))
        return [(fitted.incidents[found], score) for found, score in ranked]

    async def _current(self) -> _Fitted:
        marker = await self._marker()
        fitted = self._fitted
        if fitted is not None and not self._stale(fitted, marker):
            return fitted
        async with self._lock:
            # Another request may have brought it up to date while this one waited.
            fitted = self._fitted
            if fitted is None or self._clock.now() - fitted.loaded_at >= FULL_RELOAD:
                fitted = await self._load(marker)
            elif fitted.marker != marker:
                fitted = await self._extend(fitted, marker)
            self._fitted = fitted
            return fitted

    def _stale(self, fitted: _Fitted, marker: _Marker) -> bool:
        return fitted.marker != marker or self._clock.now() - fitted.loaded_at >= FULL_RELOAD

    async def _marker(self) -> _Marker:
        newest = await self._incidents.recently_resolved(1)
        return (newest[0].id, newest[0].resolved_at) if newest else None

    async def _load(self, marker: _Marker) -> _Fitted:
        loaded_at = self._clock.now()
        history = await self._incidents.recently_resolved(self._history_size)
        return await self._fit(marker, loaded_at, {}, {}, history)

    async def _extend(self, fitted: _Fitted, marker: _Marker) -> _Fitted:
        # Resolved at or after the previous newest: that one comes again (same
        # millisecond ties), and is simply profiled once more.
        since = fitted.marker[1] if fitted.marker else None
        newer = await self._incidents.recently_resolved(self._history_size, since=since)
        return await self._fit(
            marker, fitted.loaded_at, dict(fitted.incidents), dict(fitted.profiles), newer
        )

    async def _fit(
        self,
        marker: _Marker,
        loaded_at: datetime,
        incidents: dict[str, Incident],
        profiles: dict[str, IncidentProfile],
        new: list[Incident],
    ) -> _Fitted:
        texts = await self._alerts.texts_of_incidents(
            [incident.id for incident in new], max(1, len(new)) * ALERTS_PER_INCIDENT
        )
        for incident in new:
            incidents[incident.id] = incident
            if incident.id in texts:
                profiles[incident.id] = IncidentProfile.of(
                    incident.id, incident.service_id, texts[incident.id]
                )
        kept = sorted(
            incidents.values(), key=lambda incident: incident.resolved_at or incident.created_at
        )[-self._history_size :]
        incidents = {incident.id: incident for incident in kept}
        profiles = {key: profile for key, profile in profiles.items() if key in incidents}
        # Tens of milliseconds of CPU for 2,000 incidents: off the event loop.
        model = await asyncio.to_thread(SimilarityModel, list(profiles.values()))
        return _Fitted(marker, loaded_at, incidents, profiles, model)
