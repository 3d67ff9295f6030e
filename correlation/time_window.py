"""The simple rule: same service, within a window of event time.

An alert joins the open incident of its service whose latest alert is
closest in event time, provided the gap is at most the window; otherwise it
opens a new incident. A stand-in until the learned engine replaces it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from correlation.interface import AlertFacts, Decision, OpenIncident


@dataclass
class _Candidate:
    service: str
    first_event_at: datetime
    last_event_at: datetime
    incident_id: str | None
    new_incident: int | None
    # Known only for alerts of this batch: stored incidents arrive without their alerts.
    last_alert_id: str | None = None


ENGINE = "window"
DEFAULT_WINDOW = timedelta(minutes=5)
"""The window unless configured: PagerDuty's and Alertmanager-style grouping's usual 5 minutes."""


class TimeWindowCorrelator:
    def __init__(self, window: timedelta = DEFAULT_WINDOW) -> None:
        if window <= timedelta(0):
            raise ValueError("the correlation window must be positive")
        self._window = window

    @property
    def lookback(self) -> timedelta:
        return self._window

    @property
    def remembers(self) -> bool:
        return False

    @property
    def across_services(self) -> bool:
        return False

    def restore(self, assigned: Iterable[tuple[AlertFacts, str]]) -> None:
        """Stateless: open incidents come from the store with every batch."""

    def bind(self, new_incident: int, incident_id: str) -> None:
        """Stateless: nothing to remember."""

    def merge(self, into: str, others: Iterable[str]) -> None:
        """Stateless: the store's incidents already say it."""

    def split(self, incident_id: str, alert_ids: Collection[str], new_incident_id: str) -> None:
        """Stateless: the store's incidents already say it."""

    def assign(
        self, alerts: Sequence[AlertFacts], open_incidents: Sequence[OpenIncident]
    ) -> list[Decision]:
        by_service: dict[str, list[_Candidate]] = {}
        for incident in open_incidents:
            by_service.setdefault(incident.service, []).append(
                _Candidate(
                    incident.service,
                    incident.first_event_at,
                    incident.last_event_at,
                    incident.id,
                    None,
                )
            )
        decisions: dict[str, Decision] = {}
        opened = 0
        for alert in sorted(alerts, key=lambda a: a.occurred_at):
            best, gap = self._nearest(by_service.get(alert.service, ()), alert.occurred_at)
            if best is None:
                best = _Candidate(
                    alert.service, alert.occurred_at, alert.occurred_at, None, opened, alert.id
                )
                opened += 1
                by_service.setdefault(alert.service, []).append(best)
                decisions[alert.id] = Decision(
                    alert.id,
                    None,
                    best.new_incident,
                    1.0,
                    f"no open incident of '{alert.service}' within "
                    f"{self._window.total_seconds():.0f} s",
                    engine=ENGINE,
                )
                continue
            best.first_event_at = min(best.first_event_at, alert.occurred_at)
            best.last_event_at = max(best.last_event_at, alert.occurred_at)
            linked, best.last_alert_id = best.last_alert_id, alert.id
            score = round(1.0 - gap / self._window, 4)
            decisions[alert.id] = Decision(
                alert.id,
                best.incident_id,
                best.new_incident,
                score,
                f"same service '{alert.service}', {gap.total_seconds():.0f} s from its "
                "nearest alert",
                linked_alert_id=linked,
                signals={"same_service": 1.0, "time_window": score},
                engine=ENGINE,
            )
        return [decisions[alert.id] for alert in alerts]

    def _nearest(
        self, candidates: Sequence[_Candidate], moment: datetime
    ) -> tuple[_Candidate | None, timedelta]:
        best: _Candidate | None = None
        best_gap = self._window
        for candidate in candidates:
            if candidate.first_event_at <= moment <= candidate.last_event_at:
                gap = timedelta(0)
            elif moment > candidate.last_event_at:
                gap = moment - candidate.last_event_at
            else:
                gap = candidate.first_event_at - moment
            if gap <= best_gap:
                best, best_gap = candidate, gap
        return best, best_gap
