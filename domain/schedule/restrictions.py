"""When a layer's restrictions let it put someone on call, in its rotation's zone.

A window on a local date opens at ``start`` and closes ``length`` later on the
wall clock; both ends are turned into instants as handoffs are (see
:func:`domain.schedule.model.local_to_utc`), so a window names the same stretch
of time however it is asked about.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.schedule.model import Restriction, local_to_utc

Interval = tuple[datetime, datetime]


def _window_on(restriction: Restriction, day: date, tz: ZoneInfo) -> Interval | None:
    if day.weekday() not in restriction.weekdays:
        return None
    opens = datetime.combine(day, restriction.start)
    start = local_to_utc(opens, tz)
    end = local_to_utc(opens + restriction.length, tz)
    return (start, end) if end > start else None


def _local_days(tz: ZoneInfo, since: datetime, until: datetime) -> list[date]:
    # A window opens at most a day before the date it ends on.
    first = since.astimezone(tz).date() - timedelta(days=1)
    last = until.astimezone(tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def open_intervals(
    restrictions: Sequence[Restriction], tz: ZoneInfo, since: datetime, until: datetime
) -> list[Interval]:
    """The union of every window, clipped to [since, until), sorted and merged."""
    found: list[Interval] = []
    for day in _local_days(tz, since, until):
        for restriction in restrictions:
            window = _window_on(restriction, day, tz)
            if window is None:
                continue
            start, end = max(window[0], since), min(window[1], until)
            if start < end:
                found.append((start, end))
    found.sort()
    merged: list[Interval] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def is_open(restrictions: Sequence[Restriction], tz: ZoneInfo, moment: datetime) -> bool:
    """Whether ``moment`` falls in a window; no restrictions means always."""
    if not restrictions:
        return True
    local_day = moment.astimezone(tz).date()
    for day in (local_day - timedelta(days=1), local_day, local_day + timedelta(days=1)):
        for restriction in restrictions:
            window = _window_on(restriction, day, tz)
            if window is not None and window[0] <= moment < window[1]:
                return True
    return False
