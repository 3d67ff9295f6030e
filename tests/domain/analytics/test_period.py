"""A report's period: [from, until), at most 366 days, with a time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.analytics.model import ReportPeriod
from domain.errors import ErrorCode, ValidationError

START = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_period_is_kept_in_utc() -> None:
    berlin = timezone(timedelta(hours=1))
    period = ReportPeriod(datetime(2026, 1, 1, 1, tzinfo=berlin), datetime(2026, 2, 1, tzinfo=UTC))
    assert period.start == START
    assert period.start.tzinfo is UTC


def test_366_days_are_allowed() -> None:
    assert ReportPeriod(START, START + timedelta(days=366)).end == START + timedelta(days=366)


@pytest.mark.parametrize(
    ("start", "end", "field", "in_message"),
    [
        (START, START, "until", "earlier than 'until'"),
        (START, START - timedelta(seconds=1), "until", "earlier than 'until'"),
        (START, START + timedelta(days=366, seconds=1), "until", "at most 366"),
        (START.replace(tzinfo=None), START + timedelta(days=1), "from", "no time zone"),
        (START, (START + timedelta(days=1)).replace(tzinfo=None), "until", "no time zone"),
    ],
)
def test_bad_periods_are_refused_with_a_suggestion(
    start: datetime, end: datetime, field: str, in_message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        ReportPeriod(start, end)
    assert raised.value.code is ErrorCode.VALIDATION
    assert raised.value.field == field
    assert in_message in raised.value.message
    assert raised.value.suggestion != ValidationError.default_suggestion
