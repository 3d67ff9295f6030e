"""Working and sleep hours, in the person's own time zone, across summer time."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.analytics.hours import in_sleep_hours, in_working_hours, local_time
from tests.domain.analytics.builders import utc


def hours(moment: datetime, time_zone: str) -> tuple[bool, bool]:
    """(outside working hours, sleep hours) of a page at `moment`."""
    local = local_time(moment, time_zone)
    return not in_working_hours(local), in_sleep_hours(local)


@pytest.mark.parametrize(
    ("moment", "time_zone", "expected", "why"),
    [
        # Berlin in winter is UTC+1: 22:30 UTC is 23:30 local.
        (utc(1, 14, 22, 30), "Europe/Berlin", (True, True), "Wed 23:30 CET"),
        # The same instant in UTC is 22:30: also asleep; at 20:30 UTC Berlin is 21:30.
        (utc(1, 14, 20, 30), "Europe/Berlin", (True, False), "Wed 21:30 CET"),
        (utc(1, 14, 20, 30), "UTC", (True, False), "Wed 20:30 UTC"),
        # Berlin in summer is UTC+2: 20:30 UTC is 22:30 local, a sleep hour.
        (utc(7, 1, 20, 30), "Europe/Berlin", (True, True), "Wed 22:30 CEST"),
        # Boundaries: 09:00 and 07:00 included, 18:00 and 22:00 as written.
        (utc(1, 14, 8, 0), "Europe/Berlin", (False, False), "Wed 09:00 CET"),
        (utc(1, 14, 7, 59), "Europe/Berlin", (True, False), "Wed 08:59 CET"),
        (utc(1, 14, 17, 0), "Europe/Berlin", (True, False), "Wed 18:00 CET"),
        (utc(1, 14, 16, 59), "Europe/Berlin", (False, False), "Wed 17:59 CET"),
        (utc(1, 14, 21, 0), "Europe/Berlin", (True, True), "Wed 22:00 CET"),
        (utc(1, 14, 5, 59), "Europe/Berlin", (True, True), "Wed 06:59 CET"),
        (utc(1, 14, 6, 0), "Europe/Berlin", (True, False), "Wed 07:00 CET"),
        # A weekday in UTC can be the weekend locally: Friday 23:00 UTC is Saturday in Tokyo.
        (utc(1, 16, 23, 0), "Asia/Tokyo", (True, False), "Sat 08:00 JST"),
        (utc(1, 17, 2, 0), "Asia/Tokyo", (True, False), "Sat 11:00 JST"),
        (utc(1, 19, 2, 0), "Asia/Tokyo", (False, False), "Mon 11:00 JST"),
        # Half-hour offset: India is UTC+5:30, so 16:30 UTC is 22:00 local.
        (utc(1, 14, 16, 30), "Asia/Kolkata", (True, True), "Wed 22:00 IST"),
        # New York just after summer time ended (1 Nov 2026): 03:00 UTC is 22:00 EST.
        (utc(11, 4, 3, 0), "America/New_York", (True, True), "Tue 22:00 EST"),
        # ...and before it ended, 03:00 UTC was 23:00 EDT.
        (utc(10, 28, 3, 0), "America/New_York", (True, True), "Tue 23:00 EDT"),
        (utc(10, 28, 13, 0), "America/New_York", (False, False), "Wed 09:00 EDT"),
    ],
)
def test_a_page_is_placed_in_local_time(
    moment: datetime, time_zone: str, expected: tuple[bool, bool], why: str
) -> None:
    assert hours(moment, time_zone) == expected, why
