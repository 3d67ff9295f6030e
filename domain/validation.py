"""Field checks shared by the domain's types."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from domain.clock import as_utc
from domain.errors import ValidationError

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def require_slug(value: str, *, field: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValidationError(
            f"'{field}' must be a slug (lower-case letters, digits and inner dashes, "
            f"1 to 63 characters), got {value!r}.",
            suggestion="Use a name such as 'checkout-api'.",
            field=field,
        )
    return value


def require_text(value: str, *, field: str, max_length: int, allow_empty: bool = False) -> str:
    value = value.strip()
    if not value and not allow_empty:
        raise ValidationError(f"'{field}' must not be empty.", field=field)
    if len(value) > max_length:
        raise ValidationError(
            f"'{field}' is {len(value)} characters long; the limit is {max_length}.",
            suggestion=f"Shorten '{field}'; put long text in 'description'.",
            field=field,
        )
    return value


def require_aware(moment: datetime, *, field: str) -> datetime:
    """``moment`` in UTC (millisecond precision, as stored); it must carry a time zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationError(
            f"'{field}' has no time zone.",
            suggestion="Send an instant with an offset, e.g. 2026-11-26T09:00:00Z.",
            field=field,
        )
    return as_utc(moment)


def minutes(value: float, *, field: str) -> timedelta:
    """``value`` minutes as a duration, for the type that then checks its own range.

    A float beyond about 1.4e12 minutes is longer than any ``timedelta``: it would raise
    OverflowError before that check, which clients saw as INTERNAL (a fuzzing finding).
    """
    try:
        return timedelta(minutes=value)
    except OverflowError:
        raise ValidationError(
            f"'{field}' is {value:g} minutes, far beyond what it may be.",
            suggestion=f"Send '{field}' as a number of minutes within its documented range.",
            field=field,
        ) from None
