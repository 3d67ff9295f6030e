"""Time buckets (UTC days, ISO weeks, months) over a report period."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.analytics.model import Grouping, ReportPeriod

_TIMELINE_DAYS_UP_TO = timedelta(days=31)
_TIMELINE_WEEKS_UP_TO = timedelta(days=183)


def bucket_start(moment: datetime, grouping: Grouping) -> datetime:
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if grouping is Grouping.DAY:
        return day
    if grouping is Grouping.WEEK:
        return day - timedelta(days=day.weekday())
    if grouping is Grouping.MONTH:
        return day.replace(day=1)
    raise ValueError(f"{grouping} is not a time grouping")


def next_bucket(start: datetime, grouping: Grouping) -> datetime:
    if grouping is Grouping.DAY:
        return start + timedelta(days=1)
    if grouping is Grouping.WEEK:
        return start + timedelta(weeks=1)
    if grouping is Grouping.MONTH:
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    raise ValueError(f"{grouping} is not a time grouping")


def buckets(period: ReportPeriod, grouping: Grouping) -> list[tuple[datetime, datetime]]:
    """Every bucket touching the period, empty ones too, cut to the period."""
    found = []
    start = bucket_start(period.start, grouping)
    while start < period.end:
        end = next_bucket(start, grouping)
        found.append((max(start, period.start), min(end, period.end)))
        start = end
    return found


def bucket_label(start: datetime, grouping: Grouping) -> str:
    if grouping is Grouping.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if grouping is Grouping.MONTH:
        return start.strftime("%Y-%m")
    return start.strftime("%Y-%m-%d")


def timeline_grouping(period: ReportPeriod, grouping: Grouping) -> Grouping:
    """The buckets of "incidents over time": the report's own, else by the period's length."""
    if grouping.is_time:
        return grouping
    length = period.end - period.start
    if length <= _TIMELINE_DAYS_UP_TO:
        return Grouping.DAY
    if length <= _TIMELINE_WEEKS_UP_TO:
        return Grouping.WEEK
    return Grouping.MONTH
