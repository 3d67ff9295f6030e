"""The one source of wall-clock time; tests pass their own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        # BSON keeps milliseconds: truncating here makes a value read back equal the one written.
        moment = datetime.now(UTC)
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def as_utc(moment: datetime) -> datetime:
    """Normalise an aware datetime to UTC with millisecond precision, as stored."""
    moment = moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
