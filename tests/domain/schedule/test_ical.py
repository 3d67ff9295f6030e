from __future__ import annotations

from datetime import date, datetime, time, timedelta

from icalendar import Calendar

from domain.oncall.query import upcoming_shifts
from domain.schedule.ical import schedule_feed, user_feed
from domain.schedule.model import Override, OverrideKind, RenderedShift
from domain.schedule.render import render
from tests.domain.schedule.builders import layer, rotation, schedule, utc

NOW = utc(2026, 11, 26, 12)


def _events(feed: bytes) -> list[tuple[datetime, datetime, str, str]]:
    calendar = Calendar.from_ical(feed)
    return [
        (e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"]), str(e["uid"]))
        for e in calendar.walk("VEVENT")
    ]


def test_schedule_feed_parses_back_to_the_rendered_shifts() -> None:
    sched = schedule(
        layer(rotation(("ann", "bob"), starts_on=date(2026, 11, 1), time_zone="America/New_York")),
        overrides=[Override(OverrideKind.ADD, utc(2026, 11, 27, 18), utc(2026, 11, 27, 20), "cy")],
    )
    shifts = render(sched, NOW, utc(2026, 12, 3))
    feed = schedule_feed(sched, shifts, generated_at=NOW, names={"ann": "Ann Example, SRE"})

    calendar = Calendar.from_ical(feed)
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]).startswith("-//Vigil//")
    assert str(calendar["x-wr-calname"]) == "On call: Primary"
    events = _events(feed)
    assert [(start, end) for start, end, _, _ in events] == [(s.start, s.end) for s in shifts]
    assert all(start.utcoffset() == timedelta(0) for start, *_ in events)
    summaries = [summary for _, _, summary, _ in events]
    assert "On call: Ann Example, SRE" in summaries  # the comma survives RFC 5545 escaping
    # Friday 27 November, 18:00 to 20:00 UTC: ann's turn, and cy added.
    assert "On call: Ann Example, SRE, cy" in summaries
    uids = [uid for *_, uid in events]
    assert len(set(uids)) == len(uids)
    for event in calendar.walk("VEVENT"):
        assert event.decoded("dtstamp") == NOW


def test_uids_are_stable_across_refreshes() -> None:
    sched = schedule(layer(rotation(("ann", "bob"), starts_on=date(2026, 11, 1))))
    shifts = render(sched, NOW, utc(2026, 12, 3))
    first = _events(schedule_feed(sched, shifts, generated_at=NOW))
    again = _events(schedule_feed(sched, shifts, generated_at=utc(2026, 11, 26, 13)))
    assert first == again


def test_user_feed_holds_only_that_users_shifts() -> None:
    primary = schedule(
        layer(
            rotation(("ann", "bob"), starts_on=date(2026, 11, 1), handoff=time(0), time_zone="UTC")
        )
    )
    secondary = type(primary)(
        id="s2",
        name="Secondary",
        layers=(
            layer(
                rotation(
                    ("bob", "ann"), starts_on=date(2026, 11, 1), handoff=time(0), time_zone="UTC"
                )
            ),
        ),
    )
    entries = upcoming_shifts([primary, secondary], "ann", NOW, horizon=timedelta(days=4))
    feed = user_feed("ann", entries, generated_at=NOW, names={"ann": "Ann"})
    calendar = Calendar.from_ical(feed)
    assert str(calendar["x-wr-calname"]) == "On call: Ann"
    events = _events(feed)
    assert [(start, end, summary) for start, end, summary, _ in events] == [
        (e.shift.start, e.shift.end, f"On call: {e.schedule_name}") for e in entries
    ]
    assert {summary for _, _, summary, _ in events} == {"On call: Primary", "On call: Secondary"}
    # Bob's entries never reach Ann's feed, even if passed in.
    bob_only = [e for e in upcoming_shifts([primary], "bob", NOW) if "ann" not in e.shift.users]
    assert _events(user_feed("ann", bob_only, generated_at=NOW)) == []


def test_an_empty_feed_is_still_a_valid_calendar() -> None:
    sched = schedule(layer(rotation()))
    shifts: list[RenderedShift] = []
    calendar = Calendar.from_ical(schedule_feed(sched, shifts, generated_at=NOW))
    assert calendar.walk("VEVENT") == []
