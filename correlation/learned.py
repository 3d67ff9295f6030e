"""The learned engine behind the domain's `Correlator` protocol.

The engine keeps its own working set of incidents; the domain's open incidents
say which of its choices may still be joined. An alert the engine puts with an
incident that has meanwhile been resolved (or is unknown to the store) opens a
new incident instead, and the engine is told so.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import timedelta

from correlation.engine import CorrelationEngine, Verdict
from correlation.interface import AlertFacts, Decision, OpenIncident

_REOPENED = "reopened-"
ENGINE = "learned"


class LearnedCorrelator:
    def __init__(self, engine: CorrelationEngine) -> None:
        self._engine = engine
        self._provisional: dict[int, str] = {}

    @property
    def lookback(self) -> timedelta:
        return self._engine.lookback

    @property
    def remembers(self) -> bool:
        return True

    @property
    def across_services(self) -> bool:
        return True

    @property
    def engine(self) -> CorrelationEngine:
        return self._engine

    @property
    def model_version(self) -> int | None:
        """The stored version of the model deciding, None for the built-in priors."""
        version = self._engine.model.metadata.get("version")
        return int(version) if version is not None else None

    def use(self, engine: CorrelationEngine) -> None:
        """Decide with ``engine`` (a retrained model, restored from the store) from now on.

        Working sets do not move between engines (template ids are per engine): the
        caller restores the new one from the stored alerts before switching.
        """
        self._engine = engine
        self._provisional = {}

    def restore(self, assigned: Iterable[tuple[AlertFacts, str]]) -> None:
        self._engine.restore(assigned)

    def merge(self, into: str, others: Iterable[str]) -> None:
        self._engine.merge(into, others)

    def split(self, incident_id: str, alert_ids: Collection[str], new_incident_id: str) -> None:
        self._engine.split(incident_id, alert_ids, new_incident_id)

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
        version = self.model_version
        for verdict in verdicts:
            key = verdict.incident_id
            if key in closed:
                key = _REOPENED + key
            decision = _explained(verdict, version)
            if key in number:
                decisions.append(replace(decision, new_incident=number[key]))
            else:
                decisions.append(replace(decision, incident_id=key))
        return decisions

    def bind(self, new_incident: int, incident_id: str) -> None:
        provisional = self._provisional.pop(new_incident, None)
        if provisional is not None:
            self._engine.bind(provisional, incident_id)


def _explained(verdict: Verdict, version: int | None) -> Decision:
    """A decision carrying the verdict's explanation, its incident still to be set."""
    signals = {s.name: s.contribution for s in verdict.signals} if not verdict.opened else {}
    return Decision(
        verdict.alert_id,
        None,
        None,
        verdict.score,
        verdict.reason,
        linked_alert_id=verdict.linked_alert_id,
        signals=signals,
        engine=ENGINE,
        model_version=version,
    )
