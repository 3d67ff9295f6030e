"""The DateTime scalar's parsing: a fast path for the common form, Strawberry's parser for
the rest, the same answers and errors either way."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from dateutil.parser import isoparse
from strawberry.exceptions import StrawberryInputCoercionError

from api.schema.scalars import SCALARS


def parse(value: object) -> object:
    parse_value = SCALARS[datetime].parse_value
    assert parse_value is not None
    return parse_value(value)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-26T10:00:00Z",
        "2026-11-26T10:00:00+02:00",
        "2026-11-26T10:00:00-05:30",
        "2026-11-26T10:00:00.123456+00:00",
        "2026-11-26T10:00:00.5Z",
        "2026-11-26T10:00Z",
        "2026-11-26T10:00:00.1234567Z",  # more digits than fromisoformat takes
        "2026-11-26 10:00:00Z",  # not the "T" form: Strawberry's parser
        "20261126T100000Z",  # ISO 8601 basic format
        "2026-11-26T10:00:00",  # no time zone: parsed; the domain refuses it
    ],
)
def test_every_form_means_the_instant_strawberry_reads(text: str) -> None:
    parsed = parse(text)
    assert isinstance(parsed, datetime)
    assert parsed == isoparse(text)
    assert parsed.utcoffset() == isoparse(text).utcoffset()


def test_the_common_form_keeps_its_offset() -> None:
    assert parse("2026-11-26T10:00:00+02:00") == datetime(
        2026, 11, 26, 10, tzinfo=timezone(timedelta(hours=2))
    )
    assert parse("2026-11-26T10:00:00Z") == datetime(2026, 11, 26, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-11-26T25:00:00Z", "hour must be in 0..23"),
        ("2026-13-26T10:00:00Z", "month must be in 1..12"),
        ("nonsense-date", "Value cannot represent a DateTime"),
        (5, "Expected a string"),
        ("", "Value cannot represent a DateTime"),
    ],
)
def test_bad_values_get_strawberrys_error(value: object, message: str) -> None:
    with pytest.raises(StrawberryInputCoercionError, match=message):
        parse(value)
