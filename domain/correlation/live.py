"""The correlator the ingest path asks: whichever the correlation settings choose.

`CorrelationSwitch` puts a new one in place when the settings, the stored model or
the service topology change. A batch is decided and bound by one correlator: one
that was assigned before a switch binds its new incidents in the correlator that
assigned them. Merges and splits are remembered a while, so that alerts restored from
decisions made before them go where people put them (`regrouped.py`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import timedelta

from correlation import AlertFacts, Correlator, Decision, OpenIncident
from domain.correlation.regrouped import RegroupingMemory
from domain.correlation.settings import CorrelationSettings


class LiveCorrelator:
    def __init__(self, active: Correlator, settings: CorrelationSettings) -> None:
        self._active = active
        self._settings = settings
        self._assigned_by = active
        self._regrouped = RegroupingMemory()

    @property
    def active(self) -> Correlator:
        return self._active

    @property
    def settings(self) -> CorrelationSettings:
        """The settings the active correlator was built from."""
        return self._settings

    def use(self, correlator: Correlator, settings: CorrelationSettings) -> None:
        self._active = correlator
        self._settings = settings

    @property
    def lookback(self) -> timedelta:
        return self._active.lookback

    @property
    def across_services(self) -> bool:
        return self._active.across_services

    @property
    def remembers(self) -> bool:
        return self._active.remembers

    def restore(self, assigned: Iterable[tuple[AlertFacts, str]]) -> None:
        incident_of = self._regrouped.incident_of
        self._active.restore((facts, incident_of(facts.id, decided)) for facts, decided in assigned)

    def assign(
        self, alerts: Sequence[AlertFacts], open_incidents: Sequence[OpenIncident]
    ) -> list[Decision]:
        self._assigned_by = self._active
        return self._active.assign(alerts, open_incidents)

    def bind(self, new_incident: int, incident_id: str) -> None:
        self._assigned_by.bind(new_incident, incident_id)

    def merge(self, into: str, others: Iterable[str]) -> None:
        """Telling one merge twice changes nothing."""
        others = tuple(others)
        self._regrouped.merged(into, others)
        self._active.merge(into, others)

    def split(self, incident_id: str, alert_ids: Collection[str], new_incident_id: str) -> None:
        """Telling one split twice changes nothing."""
        self._regrouped.split(alert_ids, new_incident_id)
        self._active.split(incident_id, alert_ids, new_incident_id)
