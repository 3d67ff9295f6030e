"""Daily uptime bars computed from a status history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain.ids import new_id
from domain.statuspage.model import ComponentStatus, StatusChange
from domain.statuspage.uptime import DAYS, daily_bars

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TODAY = datetime(2026, 11, 26, tzinfo=UTC)


def change(at: datetime, status: ComponentStatus) -> StatusChange:
    return StatusChange(new_id(), "page", "component", status, at, "test")


def test_one_bar_per_day_oldest_first_ending_today() -> None:
    bars = daily_bars([], created_at=NOW - timedelta(days=200), now=NOW)
    assert len(bars) == DAYS
    assert bars[0].day == date(2026, 8, 29)
    assert bars[-1].day == date(2026, 11, 26)
    assert all(b.worst is ComponentStatus.OPERATIONAL for b in bars)
    assert all(b.operational_percent == 100.0 for b in bars)


def test_days_before_the_component_existed_have_no_data() -> None:
    bars = daily_bars([], created_at=TODAY - timedelta(hours=12), now=NOW)
    assert [(b.worst, b.operational_percent) for b in bars[-2:]] == [
        (ComponentStatus.OPERATIONAL, 100.0),
        (ComponentStatus.OPERATIONAL, 100.0),
    ]
    assert all(b.worst is None and b.operational_percent is None for b in bars[:-2])


def test_each_day_shows_its_worst_status_and_share_of_time_up() -> None:
    yesterday = TODAY - timedelta(days=1)
    history = [
        # Out of order on purpose: history is sorted by time.
        change(yesterday + timedelta(hours=18), ComponentStatus.OPERATIONAL),
        change(yesterday + timedelta(hours=6), ComponentStatus.PARTIAL_OUTAGE),
        change(yesterday + timedelta(hours=12), ComponentStatus.DEGRADED_PERFORMANCE),
    ]
    bars = daily_bars(history, created_at=TODAY - timedelta(days=10), now=NOW)
    assert bars[-2].worst is ComponentStatus.PARTIAL_OUTAGE
    assert bars[-2].operational_percent == 50.0
    assert bars[-1].worst is ComponentStatus.OPERATIONAL


def test_a_status_carries_over_midnight_and_today_counts_until_now() -> None:
    history = [change(TODAY - timedelta(hours=6), ComponentStatus.MAJOR_OUTAGE)]
    bars = daily_bars(history, created_at=TODAY - timedelta(days=3), now=NOW)
    assert (bars[-2].worst, bars[-2].operational_percent) == (ComponentStatus.MAJOR_OUTAGE, 75.0)
    # Today: down since midnight, 12 hours so far.
    assert (bars[-1].worst, bars[-1].operational_percent) == (ComponentStatus.MAJOR_OUTAGE, 0.0)


def test_maintenance_is_not_downtime_but_is_shown() -> None:
    history = [
        change(TODAY + timedelta(hours=2), ComponentStatus.UNDER_MAINTENANCE),
        change(TODAY + timedelta(hours=4), ComponentStatus.OPERATIONAL),
    ]
    bar = daily_bars(history, created_at=TODAY - timedelta(days=1), now=NOW)[-1]
    assert (bar.worst, bar.operational_percent) == (ComponentStatus.UNDER_MAINTENANCE, 100.0)


def test_a_change_exactly_at_midnight_belongs_to_the_new_day() -> None:
    history = [
        change(TODAY - timedelta(days=1), ComponentStatus.MAJOR_OUTAGE),
        change(TODAY, ComponentStatus.OPERATIONAL),
    ]
    bars = daily_bars(history, created_at=TODAY - timedelta(days=5), now=NOW)
    assert (bars[-2].worst, bars[-2].operational_percent) == (ComponentStatus.MAJOR_OUTAGE, 0.0)
    assert (bars[-1].worst, bars[-1].operational_percent) == (ComponentStatus.OPERATIONAL, 100.0)
