from __future__ import annotations

from datetime import date, time

from domain.oncall.query import who_is_on_call
from domain.schedule.model import Override, OverrideKind, RenderedShift, ShiftLength, Weekday
from domain.schedule.render import render
from tests.domain.schedule.builders import layer, rotation, schedule, utc, window

WEEKEND = [Weekday.SATURDAY, Weekday.SUNDAY]
WEEKDAYS = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY]


def test_a_single_participant_renders_as_one_merged_shift() -> None:
    sched = schedule(layer(rotation(("ann",), starts_on=date(2026, 11, 1))))
    assert render(sched, utc(2026, 11, 10), utc(2026, 11, 20)) == [
        RenderedShift(utc(2026, 11, 10), utc(2026, 11, 20), ("ann",))
    ]


def test_a_higher_layer_wins_only_where_it_has_someone() -> None:
    base = layer(rotation(("ann", "bob"), starts_on=date(2026, 11, 2), handoff=time(0)))
    weekend = layer(
        rotation(("cy",), starts_on=date(2026, 11, 2)), window(WEEKEND, time(0), time(0))
    )
    sched = schedule(base, weekend)
    # Monday 2026-11-23 to Monday 2026-11-30, Berlin (UTC+1).
    shifts = render(sched, utc(2026, 11, 22, 23), utc(2026, 11, 29, 23))
    assert [(s.start, s.users) for s in shifts] == [
        (utc(2026, 11, 22, 23), ("bob",)),  # turn 21 since Monday 2 November
        (utc(2026, 11, 23, 23), ("ann",)),
        (utc(2026, 11, 24, 23), ("bob",)),
        (utc(2026, 11, 25, 23), ("ann",)),
        (utc(2026, 11, 26, 23), ("bob",)),
        (utc(2026, 11, 27, 23), ("cy",)),  # Saturday and Sunday, merged
    ]
    assert shifts[-1].end == utc(2026, 11, 29, 23)


def test_overnight_restriction_leaves_the_day_uncovered() -> None:
    nights = layer(
        rotation(("ann",), starts_on=date(2026, 11, 1), time_zone="UTC"),
        window(WEEKDAYS, time(18), time(8)),
    )
    shifts = render(schedule(nights), utc(2026, 11, 23), utc(2026, 11, 25))
    # Monday 23 November: Sunday is not listed, so its night does not spill into Monday.
    assert [(s.start, s.end) for s in shifts] == [
        (utc(2026, 11, 23, 18), utc(2026, 11, 24, 8)),
        (utc(2026, 11, 24, 18), utc(2026, 11, 25)),
    ]


def test_overrides_replace_add_and_remove_within_their_range() -> None:
    base = layer(rotation(("ann",), starts_on=date(2026, 11, 1), time_zone="UTC"))
    sched = schedule(
        base,
        overrides=[
            Override(
                OverrideKind.REPLACE, utc(2026, 11, 2, 10), utc(2026, 11, 2, 12), "bob", "ann"
            ),
            Override(OverrideKind.ADD, utc(2026, 11, 2, 11), utc(2026, 11, 2, 14), "cy"),
            Override(OverrideKind.REMOVE, utc(2026, 11, 2, 13), utc(2026, 11, 2, 15), "ann"),
            Override(
                OverrideKind.REPLACE, utc(2026, 11, 2, 16), utc(2026, 11, 2, 17), "eve", "dee"
            ),
        ],
    )
    shifts = render(sched, utc(2026, 11, 2), utc(2026, 11, 3))
    assert [(s.start.hour, s.end.hour, s.users) for s in shifts] == [
        (0, 10, ("ann",)),
        (10, 11, ("bob",)),
        (11, 12, ("bob", "cy")),
        (12, 13, ("ann", "cy")),
        (13, 14, ("cy",)),
        (15, 0, ("ann",)),  # nobody from 14 to 15; replacing dee (not on call) changes nothing
    ]
    assert who_is_on_call(sched, utc(2026, 11, 2, 14, 30)) == ()
    assert who_is_on_call(sched, utc(2026, 11, 2, 11, 30)) == ("bob", "cy")


def test_an_override_on_an_empty_schedule_adds_someone() -> None:
    nights = layer(rotation(("ann",), time_zone="UTC"), window(WEEKDAYS, time(18), time(20)))
    add = Override(OverrideKind.ADD, utc(2026, 11, 25, 12), utc(2026, 11, 25, 19), "bob")
    shifts = render(schedule(nights, overrides=[add]), utc(2026, 11, 25), utc(2026, 11, 26))
    assert [(s.start.hour, s.end.hour, s.users) for s in shifts] == [
        (12, 18, ("bob",)),
        (18, 19, ("ann", "bob")),
        (19, 20, ("ann",)),
    ]


def test_hours_shifts_with_a_layer_starting_mid_range() -> None:
    base = layer(rotation(("ann", "bob"), ShiftLength.hours(6), date(2026, 11, 1), time(0), "UTC"))
    late = layer(rotation(("cy",), starts_on=date(2026, 11, 2), handoff=time(15), time_zone="UTC"))
    shifts = render(schedule(base, late), utc(2026, 11, 2), utc(2026, 11, 2, 20))
    assert [(s.start.hour, s.users) for s in shifts] == [
        (0, ("ann",)),
        (6, ("bob",)),
        (12, ("ann",)),
        (15, ("cy",)),
    ]
