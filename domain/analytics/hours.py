"""Whose evening, night or weekend a page fell into, in the person's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from domain.user.model import DEFAULT_TIME_ZONE

WORKDAY_START = time(9)
WORKDAY_END = time(18)
SLEEP_START = time(22)
SLEEP_END = time(7)
_FRIDAY = 4


def local_time(moment: datetime, time_zone: str) -> datetime:
    # UTC without the tz database, which a slim system may lack.
    return moment.astimezone(UTC if time_zone == DEFAULT_TIME_ZONE else ZoneInfo(time_zone))


def in_working_hours(local: datetime) -> bool:
    """Monday to Friday, 09:00 (included) to 18:00 (excluded)."""
    return local.weekday() <= _FRIDAY and WORKDAY_START <= local.time() < WORKDAY_END


def in_sleep_hours(local: datetime) -> bool:
    """22:00 (included) to 07:00 (excluded), every day."""
    return local.time() >= SLEEP_START or local.time() < SLEEP_END
