"""Timestamps that updates change are stored as integer epoch milliseconds.

The embedded store turns a date written by ``$set`` into a naive string and
ignores ``$max``/``$min`` on dates, while integers behave the same on both
stores (and ``$max``/``$min`` keep concurrent updates atomic). Timestamps
written once, at insert, stay BSON dates.
"""

from __future__ import annotations

from datetime import UTC, datetime


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, UTC)


def optional_to_ms(moment: datetime | None) -> int | None:
    return None if moment is None else to_ms(moment)


def optional_from_ms(value: int | None) -> datetime | None:
    return None if value is None else from_ms(value)
