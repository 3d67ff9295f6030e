from __future__ import annotations

from datetime import date, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from domain.schedule.model import ShiftLength
from domain.schedule.rotation import handoff_at, participant_at, rotation_shifts, turn_at
from tests.domain.schedule.builders import rotation, utc

BERLIN = ZoneInfo("Europe/Berlin")


def test_daily_handoff_stays_at_nine_across_spring_forward_in_berlin() -> None:
    rot = rotation(starts_on=date(2026, 3, 27))
    shifts = list(rotation_shifts(rot, utc(2026, 3, 27), utc(2026, 4, 1)))
    assert [s.start for s in shifts[:4]] == [
        utc(2026, 3, 27, 8),
        utc(2026, 3, 28, 8),
        utc(2026, 3, 29, 7),  # CEST from 29 March
        utc(2026, 3, 30, 7),
    ]
    assert [s.user_id for s in shifts[:4]] == ["ann", "bob", "ann", "bob"]
    assert shifts[1].end - shifts[1].start == timedelta(hours=23)
    assert all(s.start.astimezone(BERLIN).time() == time(9) for s in shifts)


def test_weekly_monday_handoff_across_fall_back_in_new_york() -> None:
    rot = rotation(
        participants=("ann", "bob", "cy"),
        length=ShiftLength.weeks(1),
        starts_on=date(2026, 10, 19),
        handoff=time(10),
        time_zone="America/New_York",
    )
    shifts = list(rotation_shifts(rot, utc(2026, 10, 19), utc(2026, 11, 16)))
    assert [s.start for s in shifts] == [
        utc(2026, 10, 19, 14),
        utc(2026, 10, 26, 14),
        utc(2026, 11, 2, 15),  # EST from 1 November
        utc(2026, 11, 9, 15),
    ]
    assert shifts[1].end - shifts[1].start == timedelta(hours=7 * 24 + 1)
    assert [s.user_id for s in shifts] == ["ann", "bob", "cy", "ann"]


def test_sydney_daily_handoff_across_both_changes() -> None:
    rot = rotation(starts_on=date(2026, 1, 1), handoff=time(7, 30), time_zone="Australia/Sydney")
    sydney = ZoneInfo("Australia/Sydney")
    for since in (utc(2026, 4, 1), utc(2026, 10, 1)):
        shifts = list(rotation_shifts(rot, since, since + timedelta(days=8)))
        assert all(s.start.astimezone(sydney).time() == time(7, 30) for s in shifts[1:])
        lengths = {s.end - s.start for s in shifts[1:-1]}
        assert len(lengths) == 2  # 24 hours, and the 23 or 25 hours of the change


def test_hourly_rotation_skips_the_turn_lost_in_a_gap() -> None:
    rot = rotation(("ann", "bob"), ShiftLength.hours(1), date(2026, 3, 29), time(0))
    shifts = list(rotation_shifts(rot, utc(2026, 3, 28, 23), utc(2026, 3, 29, 3)))
    # 00:00 CET, 01:00 CET, [02:00 does not exist], 03:00 CEST, 04:00, 05:00 CEST.
    assert [(s.start, s.user_id) for s in shifts] == [
        (utc(2026, 3, 28, 23), "ann"),
        (utc(2026, 3, 29, 0), "bob"),
        (utc(2026, 3, 29, 1), "bob"),
        (utc(2026, 3, 29, 2), "ann"),
    ]
    assert all(a.end == b.start for a, b in pairwise(shifts))


def test_twelve_hour_shifts_keep_their_wall_times_in_the_repeated_hour() -> None:
    rot = rotation(("ann", "bob"), ShiftLength.hours(12), date(2026, 10, 24), time(8))
    shifts = list(rotation_shifts(rot, utc(2026, 10, 24, 6), utc(2026, 10, 26, 6)))
    assert [s.start.astimezone(BERLIN).hour for s in shifts] == [8, 20, 8, 20]
    assert shifts[1].end - shifts[1].start == timedelta(hours=13)


def test_before_the_start_nobody_is_on_call() -> None:
    rot = rotation(starts_on=date(2026, 3, 23))
    assert turn_at(rot, utc(2026, 3, 23, 7, 59)) is None
    assert participant_at(rot, utc(2026, 3, 23, 8)) == "ann"
    assert list(rotation_shifts(rot, utc(2026, 3, 1), utc(2026, 3, 23, 8))) == []
    assert handoff_at(rot, 0) == rot.starts_at == utc(2026, 3, 23, 8)


def test_far_from_the_start_the_turn_is_found_directly() -> None:
    rot = rotation(("ann", "bob", "cy"), starts_on=date(2000, 1, 3))
    moment = utc(2026, 11, 26, 12)
    index = turn_at(rot, moment)
    assert index is not None
    assert handoff_at(rot, index) <= moment < handoff_at(rot, index + 1)
