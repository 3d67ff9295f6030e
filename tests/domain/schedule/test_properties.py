"""Property tests for the rotation arithmetic and the rendering built on it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.oncall.query import who_is_on_call
from domain.schedule.model import (
    Layer,
    Override,
    OverrideKind,
    RenderedShift,
    Restriction,
    Rotation,
    Schedule,
    ShiftLength,
    ShiftUnit,
    Weekday,
    local_to_utc,
)
from domain.schedule.render import render
from domain.schedule.rotation import rotation_shifts

# No example database: the suite leaves no files behind; failures print their inputs.
FAST = settings(max_examples=100, deadline=None, database=None)
DST_ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney"]
ZONES = [*DST_ZONES, "UTC", "Asia/Kolkata", "Australia/Lord_Howe", "America/Santiago"]
USERS = ["ann", "bob", "cy", "dee", "eve"]

users = st.sampled_from(USERS)
wall_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
lengths = st.one_of(
    st.builds(ShiftLength, st.integers(1, 36), st.just(ShiftUnit.HOURS)),
    st.builds(ShiftLength, st.integers(1, 4), st.just(ShiftUnit.DAYS)),
    st.builds(ShiftLength, st.integers(1, 2), st.just(ShiftUnit.WEEKS)),
)
# Ranges that cross DST changes in both hemispheres (March/April and October/November).
range_starts = st.builds(
    lambda year, day, minute: (
        datetime(year, 1, 1, tzinfo=UTC) + timedelta(days=day, minutes=minute)
    ),
    st.integers(2025, 2027),
    st.sampled_from([60, 70, 80, 85, 90, 270, 275, 280, 290, 300, 305]),
    st.integers(0, 24 * 60 - 1),
)
range_lengths = st.integers(1, 14 * 24 * 60).map(lambda m: timedelta(minutes=m))


@st.composite
def rotations(draw: st.DrawFn, near: datetime, zones: list[str] = ZONES) -> Rotation:
    return Rotation(
        participants=tuple(draw(st.lists(users, min_size=1, max_size=4))),
        shift_length=draw(lengths),
        starts_on=near.date() + timedelta(days=draw(st.integers(-40, 5))),
        handoff=draw(wall_times),
        time_zone=draw(st.sampled_from(zones)),
    )


@st.composite
def valid_restrictions(draw: st.DrawFn) -> Restriction:
    start = draw(st.builds(time, st.integers(0, 23), st.sampled_from([0, 30])))
    end = draw(st.builds(time, st.integers(0, 23), st.sampled_from([0, 30])))
    if start == end:
        end = time(0)
    days = draw(st.frozensets(st.sampled_from(list(Weekday)), min_size=1))
    return Restriction(weekdays=days, start=start, end=end)


@st.composite
def overrides(draw: st.DrawFn, since: datetime, until: datetime) -> Override:
    span = int((until - since).total_seconds() // 60)
    start = since + timedelta(minutes=draw(st.integers(-120, span + 60)))
    end = start + timedelta(minutes=draw(st.integers(1, 3 * 24 * 60)))
    kind = draw(st.sampled_from(list(OverrideKind)))
    user = draw(users)
    replaces = draw(users.filter(lambda u: u != user)) if kind is OverrideKind.REPLACE else None
    return Override(kind, start, end, user, replaces)


@st.composite
def schedules_in_range(draw: st.DrawFn) -> tuple[Schedule, datetime, datetime]:
    since = draw(range_starts)
    until = since + draw(range_lengths)
    layers = tuple(
        Layer(
            name=f"layer {i}",
            rotation=draw(rotations(since)),
            restrictions=tuple(draw(st.lists(valid_restrictions(), max_size=2))),
        )
        for i in range(draw(st.integers(1, 3)))
    )
    extra = tuple(draw(st.lists(overrides(since, until), max_size=4)))
    return Schedule(id="s", name="S", layers=layers, overrides=extra), since, until


def _at(shifts: list[RenderedShift], moment: datetime) -> tuple[str, ...]:
    hits = [s for s in shifts if s.covers(moment)]
    assert len(hits) <= 1
    return hits[0].users if hits else ()


def _is_well_formed(shifts: list[RenderedShift], since: datetime, until: datetime) -> None:
    for shift in shifts:
        assert since <= shift.start < shift.end <= until
        assert shift.users and len(set(shift.users)) == len(shift.users)
    for before, after in pairwise(shifts):
        assert before.end <= after.start, "overlap"
        assert before.end < after.start or before.users != after.users, "unmerged neighbours"


@FAST
@given(data=st.data(), since=range_starts, span=range_lengths)
def test_a_rotation_has_no_gaps_and_no_overlaps(
    data: st.DataObject, since: datetime, span: timedelta
) -> None:
    rotation = data.draw(rotations(since))
    until = since + span
    shifts = list(rotation_shifts(rotation, since, until))
    covered_from = max(since, rotation.starts_at)
    if covered_from >= until:
        assert shifts == []
        return
    assert shifts[0].start == covered_from
    assert shifts[-1].end == until
    for before, after in pairwise(shifts):
        assert before.end == after.start
        assert after.index > before.index
    for shift in shifts:
        assert shift.start < shift.end
        n = len(rotation.participants)
        assert shift.user_id == rotation.participants[shift.index % n]

    # Rendered as a schedule of its own: the same coverage, merged where people repeat.
    rendered = render(Schedule(id="s", name="S", layers=(Layer("l", rotation),)), since, until)
    _is_well_formed(rendered, since, until)
    assert rendered[0].start == covered_from
    assert rendered[-1].end == until
    assert all(a.end == b.start for a, b in pairwise(rendered))


@FAST
@given(
    zone=st.sampled_from(DST_ZONES),
    year=st.integers(2024, 2030),
    handoff=wall_times,
    length=st.one_of(
        st.builds(ShiftLength, st.integers(1, 3), st.just(ShiftUnit.DAYS)),
        st.builds(ShiftLength, st.integers(1, 2), st.just(ShiftUnit.WEEKS)),
    ),
    offset=st.integers(0, 6),
)
def test_day_and_week_handoffs_keep_their_local_wall_time_across_dst(
    zone: str, year: int, handoff: time, length: ShiftLength, offset: int
) -> None:
    starts_on = date(year, 1, 1) + timedelta(days=offset)
    rotation = Rotation(("ann", "bob", "cy"), length, starts_on, handoff, zone)
    tz = ZoneInfo(zone)
    since, until = rotation.starts_at, datetime(year + 1, 1, 1, tzinfo=UTC)
    shifts = list(rotation_shifts(rotation, since, until))
    days = length.step.days
    offsets = set()
    for shift in shifts:
        expected_day = starts_on + timedelta(days=shift.index * days)
        wall = datetime.combine(expected_day, handoff)
        local = shift.start.astimezone(tz)
        offsets.add(local.utcoffset())
        if local_to_utc(wall, tz).astimezone(tz).replace(tzinfo=None) == wall:
            assert local.replace(tzinfo=None) == wall
        else:  # the wall time does not exist that day: the handoff is just after the gap
            assert local.date() == expected_day
            assert local.time() > handoff
            assert shift.start - local_to_utc(wall - timedelta(hours=3), tz) <= timedelta(hours=4)
        # A whole turn lasts its wall-clock length, give or take the one change it may cross.
        if shift.end < until:
            assert abs(shift.end - shift.start - length.step) <= timedelta(hours=1)
    assert len(offsets) == 2, "the year crosses both DST changes"


@FAST
@given(
    zone=st.sampled_from(DST_ZONES),
    year=st.integers(2024, 2030),
    hours=st.sampled_from([4, 6, 8, 12]),
)
def test_hour_shifts_that_divide_the_day_keep_their_wall_times(
    zone: str, year: int, hours: int
) -> None:
    rotation = Rotation(("ann", "bob"), ShiftLength.hours(hours), date(year, 1, 1), time(5), zone)
    tz = ZoneInfo(zone)
    expected = {(5 + k * hours) % 24 for k in range(24 // hours)}
    shifts = list(
        rotation_shifts(rotation, rotation.starts_at, datetime(year + 1, 1, 1, tzinfo=UTC))
    )
    assert {s.start.astimezone(tz).hour for s in shifts} == expected
    assert all(s.start.astimezone(tz).minute == 0 for s in shifts)


@FAST
@given(case=schedules_in_range(), data=st.data())
def test_who_is_on_call_agrees_with_render(
    case: tuple[Schedule, datetime, datetime], data: st.DataObject
) -> None:
    schedule, since, until = case
    shifts = render(schedule, since, until)
    _is_well_formed(shifts, since, until)
    span = int((until - since).total_seconds())
    moments = [
        since + timedelta(seconds=s)
        for s in data.draw(st.lists(st.integers(0, span - 1), max_size=20))
    ]
    for shift in shifts:  # every boundary, and just before it
        moments += [shift.start, shift.end - timedelta(milliseconds=1)]
        if shift.end < until:
            moments.append(shift.end)
    for moment in moments:
        assert who_is_on_call(schedule, moment) == _at(shifts, moment), moment


@FAST
@given(case=schedules_in_range(), data=st.data())
def test_an_override_applies_exactly_within_its_range(
    case: tuple[Schedule, datetime, datetime], data: st.DataObject
) -> None:
    schedule, since, until = case
    override = data.draw(overrides(since, until))
    changed = Schedule(
        id=schedule.id,
        name=schedule.name,
        layers=schedule.layers,
        overrides=(*schedule.overrides, override),
    )
    before, after = render(schedule, since, until), render(changed, since, until)
    _is_well_formed(after, since, until)
    span = int((until - since).total_seconds())
    moments = [
        since + timedelta(seconds=s)
        for s in data.draw(st.lists(st.integers(0, span - 1), max_size=20))
    ]
    for edge in (override.starts_at, override.ends_at):
        moments += [edge - timedelta(milliseconds=1), edge]
    for shift in before:
        moments += [shift.start, shift.end - timedelta(milliseconds=1)]
    for moment in (m for m in moments if since <= m < until):
        expected = _at(before, moment)
        if override.covers(moment):
            expected = override.apply(expected)
        assert _at(after, moment) == expected, moment
        if override.covers(moment) and override.kind is OverrideKind.ADD:
            assert override.user_id in _at(after, moment)
        if override.covers(moment) and override.kind is OverrideKind.REMOVE:
            assert override.user_id not in _at(after, moment)


@FAST
@given(case=schedules_in_range(), data=st.data())
def test_rendering_does_not_depend_on_where_the_range_is_cut(
    case: tuple[Schedule, datetime, datetime], data: st.DataObject
) -> None:
    schedule, since, until = case
    span = int((until - since).total_seconds() // 60)
    if span < 2:
        return
    cut = since + timedelta(minutes=data.draw(st.integers(1, span - 1)))
    joined = render(schedule, since, cut)
    for shift in render(schedule, cut, until):
        last = joined[-1] if joined else None
        if last is not None and last.end == shift.start and last.users == shift.users:
            joined[-1] = RenderedShift(last.start, shift.end, shift.users)
        else:
            joined.append(shift)
    assert joined == render(schedule, since, until)
