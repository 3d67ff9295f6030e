"""The learned engine behind the domain's `Correlator` protocol.

The engine keeps its own working set of incidents; the domain's open incidents
say which of its choices may still be joined. An alert the engine puts with an
incident that has meanwhile been resolved (or is unknown to the store) opens a
new incident instead, and the engine is told so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from correlation.engine import CorrelationEngine
from correlation.interface import AlertFacts, Decision, OpenIncident

_REOPENED = "reopened-"


class LearnedCorrelator:
    def __init__(self, engine: CorrelationEngine) -> None:
        self._engine = engine
        self._provisional: dict[int, str] = {}

    @property
    def lookback(self) -> timedelta:
        return self._engine.lookback

    @property
    def across_services(self) -> bool:
        return True

    def restore(self, assigned: Iterable[tuple[AlertFacts, str]]) -> None:
        self._engine.restore(assigned)

    def assign(
        self, alerts: Sequence[AlertFacts], open_incidents: Sequence[OpenIncident]
    ) -> list[Decision]:
        verdicts = self._engine.decide(alerts)
        joinable = {incident.id for incident in open_incidents}
        opened = {v.incident_id for v in verdicts if v.opened}
        closed: dict[str, list[str]] = {}
        for verdict in verdicts:
            if verdict.incident_id not in opened and verdict.incident_id not in joinable:
                closed.setdefault(verdict.incident_id, []).append(verdict.alert_id)
        for incident_id, alert_ids in closed.items():
            self._engine.split(incident_id, alert_ids, _REOPENED + incident_id)
        number = {key: n for n, key in enumerate(sorted(opened | {_REOPENED + i for i in closed}))}
        self._provisional = {n: key for key, n in number.items()}
        decisions = []
        for verdict in verdicts:
            key = verdict.incident_id
            if key in closed:
                key = _REOPENED + key
            if key in number:
                decisions.append(
                    Decision(verdict.alert_id, None, number[key], verdict.score, verdict.reason)
                )
            else:
                decisions.append(
                    Decision(verdict.alert_id, key, None, verdict.score, verdict.reason)
                )
        return decisions

    def bind(self, new_incident: int, incident_id: str) -> None:
        provisional = self._provisional.pop(new_incident, None)
        if provisional is not None:
            self._engine.bind(provisional, incident_id)
