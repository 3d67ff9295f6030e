"""The rules users configure today, to compare the engine with in the same run.

* Alertmanager-style ``group_by``: alerts with equal values of the grouping
  labels share a group while they keep coming within the window.
* PagerDuty-style time window: every alert within the window of the open
  incident's first alert joins it, whatever its service.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from correlation.interface import AlertFacts
from correlation.templates import mask

WINDOW = timedelta(minutes=5)


def alertname(alert: AlertFacts) -> str:
    """The rule name; monitors without one are grouped by their masked summary."""
    return alert.labels.get("alertname") or mask(alert.summary)


def group_by(
    alerts: Sequence[AlertFacts],
    key: Callable[[AlertFacts], tuple[str, ...]],
    window: timedelta = WINDOW,
) -> list[str]:
    """One group label per alert (alerts in event-time order)."""
    last_seen: dict[tuple[str, ...], tuple[float, str]] = {}
    labels: list[str] = []
    limit = window.total_seconds()
    for alert in alerts:
        moment = alert.occurred_at.timestamp()
        group_key = key(alert)
        current = last_seen.get(group_key)
        group = (
            current[1]
            if current is not None and moment - current[0] <= limit
            else f"g{len(last_seen)}:{len(labels)}"
        )
        last_seen[group_key] = (moment, group)
        labels.append(group)
    return labels


def time_window(alerts: Sequence[AlertFacts], window: timedelta = WINDOW) -> list[str]:
    """One incident label per alert: a new incident when the window of the current one ends."""
    labels: list[str] = []
    opened_at: float | None = None
    current = ""
    limit = window.total_seconds()
    for index, alert in enumerate(alerts):
        moment = alert.occurred_at.timestamp()
        if opened_at is None or moment - opened_at > limit:
            opened_at, current = moment, f"w{index}"
        labels.append(current)
    return labels


BASELINES: dict[str, Callable[[Sequence[AlertFacts]], list[str]]] = {
    "alertmanager group_by[alertname,service] 5m": lambda alerts: group_by(
        alerts, lambda a: (alertname(a), a.service)
    ),
    "alertmanager group_by[service] 5m": lambda alerts: group_by(alerts, lambda a: (a.service,)),
    "pagerduty time window 5m": time_window,
}
