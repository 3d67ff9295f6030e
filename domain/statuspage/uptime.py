"""Daily uptime bars from a component's status history (pure: no store, no clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from domain.statuspage.model import ComponentStatus, StatusChange

DAYS = 90


@dataclass(frozen=True, slots=True)
class DayBar:
    day: date
    """A UTC calendar day."""
    worst: ComponentStatus | None
    """None: the component did not exist yet that day."""
    operational_percent: float | None
    """Share of the day (so far, for today) spent up; maintenance counts as up."""


def daily_bars(
    changes: list[StatusChange], *, created_at: datetime, now: datetime, days: int = DAYS
) -> list[DayBar]:
    """One bar per UTC day, oldest first, ending today.

    `changes` is the component's whole history in any order; before its first entry the
    component counts as operational.
    """
    history = sorted(changes, key=lambda c: c.at)
    today = now.astimezone(UTC).date()
    return [
        _bar(history, today - timedelta(days=offset), created_at, now)
        for offset in range(days - 1, -1, -1)
    ]


def _bar(history: list[StatusChange], day: date, created_at: datetime, now: datetime) -> DayBar:
    start = max(datetime.combine(day, time(), UTC), created_at)
    end = min(datetime.combine(day + timedelta(days=1), time(), UTC), now)
    if end <= start:
        return DayBar(day, None, None)
    status = _status_at(history, start)
    worst, up, cursor = status, timedelta(0), start
    for change in history:
        if change.at <= start:
            continue
        if change.at >= end:
            break
        up += change.at - cursor if status.counts_as_up else timedelta(0)
        status, cursor = change.status, change.at
        worst = max(worst, status, key=lambda s: s.rank)
    up += end - cursor if status.counts_as_up else timedelta(0)
    return DayBar(day, worst, round(100 * up / (end - start), 2))


def _status_at(history: list[StatusChange], moment: datetime) -> ComponentStatus:
    current = ComponentStatus.OPERATIONAL
    for change in history:
        if change.at > moment:
            break
        current = change.status
    return current
