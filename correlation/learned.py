"""The learned engine behind the domain's `Correlator` protocol.

The engine keeps its own working set of incidents; the domain's open incidents
say which of its choices may still be joined. An alert the engine puts with an
incident that has meanwhile been resolved (or is unknown to the store) opens a
new incident instead, and the engine is told so.

An alert that arrives late, older than the engine's idle horizon before the latest
event time it has seen, cannot find the incident it belongs to in the working set:
that incident has left it. Where the engine would open a new incident for such
alerts, they join the stored open incident of their service nearest in event time
(the rule of `time_window.py`), when there is one within its window.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import timedelta

from correlation.engine import CorrelationEngine, Verdict
from correlation.interface import AlertFacts, Decision, OpenIncident
from correlation.time_window import DEFAULT_WINDOW, TimeWindowCorrelator

_REOPENED = "reopened-"
ENGINE = "learned"


class LearnedCorrelator:
    def __init__(self, engine: CorrelationEngine, late_window: timedelta = DEFAULT_WINDOW) -> None:
        """``late_window``: how near in event time a late alert must be to a stored open
        incident of its service to join it."""
        self._engine = engine
        self._late_rule = TimeWindowCorrelator(late_window)
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

    def restore(self, assigned: Iterable[tuple[AlertFacts, str]]) -> None:
        self._engine.restore(assigned)

    def merge(self, into: str, others: Iterable[str]) -> None:
        self._engine.merge(into, others)

    def split(self, incident_id: str, alert_ids: Collection[str], new_incident_id: str) -> None:
        self._engine.split(incident_id, alert_ids, new_incident_id)

    def assign(
        self, alerts: Sequence[AlertFacts], open_incidents: Sequence[OpenIncident]
    ) -> list[Decision]:
        working_set = self._engine.working_set
        late_before = working_set.watermark - working_set.max_idle
        verdicts = self._engine.decide(alerts)
        joinable = {incident.id for incident in open_incidents}
        opened = {v.incident_id for v in verdicts if v.opened}
        closed: dict[str, list[str]] = {}
        for verdict in verdicts:
            if verdict.incident_id not in opened and verdict.incident_id not in joinable:
                closed.setdefault(verdict.incident_id, []).append(verdict.alert_id)
        for incident_id, alert_ids in closed.items():
            self._engine.split(incident_id, alert_ids, _REOPENED + incident_id)
        keys = [
            _REOPENED + v.incident_id if v.incident_id in closed else v.incident_id
            for v in verdicts
        ]
        new = opened | {_REOPENED + i for i in closed}
        late = self._late_joins(alerts, keys, new, open_incidents, late_before)
        number = {key: n for n, key in enumerate(sorted(new - late.keys()))}
        self._provisional = {n: key for key, n in number.items()}
        decisions = []
        version = self.model_version
        for alert, verdict, key in zip(alerts, verdicts, keys, strict=True):
            if key in late:
                decisions.append(late[key][alert.id])
                continue
            decision = _explained(verdict, version)
            if key in number:
                decisions.append(replace(decision, new_incident=number[key]))
            else:
                decisions.append(replace(decision, incident_id=key))
        return decisions

    def _late_joins(
        self,
        alerts: Sequence[AlertFacts],
        keys: Sequence[str],
        new: set[str],
        open_incidents: Sequence[OpenIncident],
        late_before: float,
    ) -> dict[str, dict[str, Decision]]:
        """The engine's new incidents made only of late alerts that the rule puts, all of
        them, with one stored open incident: that incident's decisions per alert, by the
        engine's key. The engine is told the incident stands for its own."""
        groups: dict[str, list[AlertFacts]] = {}
        for alert, key in zip(alerts, keys, strict=True):
            if key in new:
                groups.setdefault(key, []).append(alert)
        groups = {
            key: group
            for key, group in groups.items()
            if all(a.occurred_at.timestamp() < late_before for a in group)
        }
        if not groups:
            return {}
        ruled = {
            decision.alert_id: decision
            for decision in self._late_rule.assign(
                [a for group in groups.values() for a in group], open_incidents
            )
        }
        joins: dict[str, dict[str, Decision]] = {}
        for key, group in groups.items():
            stored = {ruled[a.id].incident_id for a in group}
            if len(stored) != 1 or None in stored:
                continue
            [incident_id] = stored
            assert incident_id is not None
            self._engine.merge(incident_id, [key])
            joins[key] = {
                a.id: replace(
                    ruled[a.id],
                    reason=f"late (before the engine's horizon): {ruled[a.id].reason}",
                    engine=ENGINE,
                    model_version=self.model_version,
                )
                for a in group
            }
        return joins

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
