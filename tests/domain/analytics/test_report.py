"""Every figure of a report, against values worked out by hand on a small fixture.

The fixture is one week, Monday 2026-11-02 00:00 UTC to Monday 2026-11-09 00:00 UTC:

    service   team      incident  created (UTC)    acknowledged   resolved
    checkout  payments  i1        Mon 02 10:00     +2 min         +30 min
    checkout  payments  i2        Tue 03 14:00     +4 min         +60 min
    payments  payments  i3        Tue 03 23:00     +9 min         +20 min
    search    (none)    i4        Thu 05 08:00     never          +10 min (auto-resolved)
    search    (none)    i5        Sat 07 12:00     never          never (still triggered)
    search    (none)    i6        Sun 08 20:00     +15 min        never

    alerts: checkout 5 (prometheus 4, grafana 1), payments 2 (prometheus 1, pagerduty 1),
            search 5 (grafana 4, prometheus 1): 12 in all.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.analytics.compute import build_report
from domain.analytics.model import Figures, Grouping, Report, ReportPeriod
from tests.domain.analytics.builders import alert, incident, page, service, user, utc

MIN = timedelta(minutes=1)
PERIOD = ReportPeriod(utc(11, 2, 0), utc(11, 9, 0))

CHECKOUT = service("s-checkout", "checkout", team="payments")
PAYMENTS = service("s-payments", "payments", team="payments")
SEARCH = service("s-search", "search")
SERVICES = {s.id: s for s in (CHECKOUT, PAYMENTS, SEARCH)}

INCIDENTS = [
    incident("i1", CHECKOUT.id, utc(11, 2, 10), acked_after=2 * MIN, resolved_after=30 * MIN),
    incident("i2", CHECKOUT.id, utc(11, 3, 14), acked_after=4 * MIN, resolved_after=60 * MIN),
    incident("i3", PAYMENTS.id, utc(11, 3, 23), acked_after=9 * MIN, resolved_after=20 * MIN),
    incident("i4", SEARCH.id, utc(11, 5, 8), resolved_after=10 * MIN),
    incident("i5", SEARCH.id, utc(11, 7, 12)),
    incident("i6", SEARCH.id, utc(11, 8, 20), acked_after=15 * MIN),
]

ALERTS = [
    # checkout: 3 on Monday (i1), 2 on Tuesday (i2).
    alert("a1", CHECKOUT, "prometheus", utc(11, 2, 10)),
    alert("a2", CHECKOUT, "prometheus", utc(11, 2, 10, 1)),
    alert("a3", CHECKOUT, "grafana", utc(11, 2, 10, 2)),
    alert("a4", CHECKOUT, "prometheus", utc(11, 3, 14)),
    alert("a5", CHECKOUT, "prometheus", utc(11, 3, 14, 1)),
    # payments: 2 on Tuesday night (i3).
    alert("a6", PAYMENTS, "prometheus", utc(11, 3, 23)),
    alert("a7", PAYMENTS, "pagerduty", utc(11, 3, 23, 1)),
    # search: 1 on Thursday (i4), 1 on Saturday (i5), 3 on Sunday (i6).
    alert("a8", SEARCH, "grafana", utc(11, 5, 8)),
    alert("a9", SEARCH, "grafana", utc(11, 7, 12)),
    alert("a10", SEARCH, "grafana", utc(11, 8, 20)),
    alert("a11", SEARCH, "grafana", utc(11, 8, 20, 1)),
    alert("a12", SEARCH, "prometheus", utc(11, 8, 20, 2)),
]

# November: Berlin is on CET (UTC+1, summer time ended 25 October), New York on EST
# (UTC-5, summer time ended 1 November).
USERS = {
    u.id: u
    for u in (
        user("u-ann", "ann", "Europe/Berlin"),
        user("u-bob", "bob", "America/New_York"),
    )
}
PAGES = [
    # ann, Berlin:
    page("p1", "u-ann", "i1", utc(11, 2, 22, 30)),  # Mon 23:30 CET: sleep, outside
    page("p2", "u-ann", "i1", utc(11, 3, 10)),  # Tue 11:00: working hours
    page("p3", "u-ann", "i2", utc(11, 3, 17, 30)),  # Tue 18:30: outside, awake
    page("p4", "u-ann", "i5", utc(11, 7, 10)),  # Sat 11:00: weekend, outside
    page("p5", "u-ann", "i4", utc(11, 5, 5, 59)),  # Thu 06:59: sleep, outside
    page("p6", "u-ann", "i4", utc(11, 5, 6)),  # Thu 07:00: awake, outside (before 09)
    # bob, New York:
    page("p7", "u-bob", "i3", utc(11, 3, 23, 30)),  # Tue 18:30 EST: outside, awake
    page("p8", "u-bob", "i3", utc(11, 4, 3)),  # Tue 22:00 EST: sleep, outside
    page("p9", "u-bob", "i3", utc(11, 4, 14)),  # Wed 09:00 EST: working hours
    # A user since deleted: reported by id, in UTC.
    page("p10", "u-gone", "i1", utc(11, 2, 12)),  # Mon 12:00 UTC: working hours
]


def report(grouping: Grouping) -> Report:
    return build_report(
        PERIOD,
        grouping,
        incidents=INCIDENTS,
        alerts=ALERTS,
        pages=PAGES,
        services=SERVICES,
        users=USERS,
    )


def test_totals_count_incidents_alerts_and_the_incidents_left_out_of_the_means() -> None:
    totals = report(Grouping.SERVICE).totals
    assert (totals.incidents, totals.alerts) == (6, 12)
    # Acknowledged: i1, i2, i3, i6; never: i4 (resolved without), i5 (still triggered).
    assert (totals.acknowledged, totals.unacknowledged) == (4, 2)
    # Resolved: i1, i2, i3, i4; not yet: i5, i6.
    assert (totals.resolved, totals.unresolved) == (4, 2)
    # 1 - 6 incidents / 12 alerts
    assert totals.noise_reduction == 0.5


def test_totals_mtta_over_acknowledged_incidents_only() -> None:
    mtta = report(Grouping.SERVICE).totals.mtta
    assert mtta is not None
    # Acknowledged after 2, 4, 9 and 15 minutes:
    assert mtta.count == 4
    assert mtta.mean_s == 450.0  # (2 + 4 + 9 + 15) / 4 = 7.5 min
    assert mtta.median_s == 390.0  # (4 + 9) / 2 = 6.5 min
    assert mtta.p90_s == 900.0  # nearest rank ceil(0.9 * 4) = 4th: 15 min


def test_totals_mttr_over_resolved_incidents_only() -> None:
    mttr = report(Grouping.SERVICE).totals.mttr
    assert mttr is not None
    # Resolved after 30, 60, 20 and 10 minutes (sorted: 10, 20, 30, 60):
    assert mttr.count == 4
    assert mttr.mean_s == 1800.0  # 120 / 4 = 30 min
    assert mttr.median_s == 1500.0  # (20 + 30) / 2 = 25 min
    assert mttr.p90_s == 3600.0  # 4th of 4: 60 min


def by_label(found: Report) -> dict[str, Figures]:
    return {group.label: group.figures for group in found.groups}


def test_by_service() -> None:
    found = report(Grouping.SERVICE)
    # Most incidents first: search 3, then checkout 2 (5 alerts), payments 1.
    assert [g.label for g in found.groups] == ["search", "checkout", "payments"]
    assert [g.key for g in found.groups] == [SEARCH.id, CHECKOUT.id, PAYMENTS.id]
    groups = by_label(found)

    checkout = groups["checkout"]
    assert (checkout.incidents, checkout.alerts) == (2, 5)
    assert checkout.noise_reduction == pytest.approx(0.6)  # 1 - 2/5
    assert checkout.mtta is not None and checkout.mttr is not None
    assert (checkout.mtta.mean_s, checkout.mtta.median_s, checkout.mtta.p90_s) == (
        180.0,  # (2 + 4) / 2 = 3 min
        180.0,
        240.0,  # ceil(0.9 * 2) = 2nd: 4 min
    )
    assert (checkout.mttr.mean_s, checkout.mttr.p90_s) == (2700.0, 3600.0)  # 45 min, 60 min

    payments = groups["payments"]
    assert (payments.incidents, payments.alerts, payments.noise_reduction) == (1, 2, 0.5)
    assert payments.mtta is not None and payments.mtta.mean_s == 540.0  # 9 min
    assert payments.mttr is not None and payments.mttr.mean_s == 1200.0  # 20 min

    search = groups["search"]
    assert (search.incidents, search.alerts) == (3, 5)
    assert search.noise_reduction == pytest.approx(0.4)  # 1 - 3/5
    assert (search.acknowledged, search.unacknowledged) == (1, 2)  # i6 only
    assert (search.resolved, search.unresolved) == (1, 2)  # i4 only
    assert search.mtta is not None and search.mtta.mean_s == 900.0  # i6: 15 min
    assert search.mttr is not None and search.mttr.mean_s == 600.0  # i4: 10 min


def test_by_team_puts_services_without_a_team_together() -> None:
    found = report(Grouping.TEAM)
    assert [(g.key, g.label) for g in found.groups] == [("payments", "payments"), (None, "no team")]
    payments = by_label(found)["payments"]
    # checkout and payments: i1, i2, i3, acknowledged after 2, 4 and 9 minutes.
    assert (payments.incidents, payments.alerts) == (3, 7)
    assert payments.noise_reduction == pytest.approx(4 / 7)  # 1 - 3/7
    assert payments.mtta is not None
    assert payments.mtta.mean_s == 300.0  # (2 + 4 + 9) / 3 = 5 min
    assert payments.mtta.median_s == 240.0  # 4 min
    assert payments.mtta.p90_s == 540.0  # ceil(0.9 * 3) = 3rd: 9 min
    assert payments.mttr is not None
    assert payments.mttr.mean_s == pytest.approx(2200.0)  # (30 + 60 + 20) / 3 = 36 2/3 min
    assert payments.mttr.median_s == 1800.0  # 30 min
    no_team = by_label(found)["no team"]
    assert (no_team.incidents, no_team.alerts) == (3, 5)


def test_by_day_lists_every_day_even_empty_ones() -> None:
    found = report(Grouping.DAY)
    assert [g.label for g in found.groups] == [
        "2026-11-02",
        "2026-11-03",
        "2026-11-04",
        "2026-11-05",
        "2026-11-06",
        "2026-11-07",
        "2026-11-08",
    ]
    counts = [(g.figures.incidents, g.figures.alerts) for g in found.groups]
    # Mon i1 + 3 alerts; Tue i2, i3 + 4 alerts; Thu i4; Sat i5; Sun i6 + 3 alerts.
    assert counts == [(1, 3), (2, 4), (0, 0), (1, 1), (0, 0), (1, 1), (1, 3)]
    tuesday = found.groups[1]
    assert (tuesday.starts_at, tuesday.ends_at) == (utc(11, 3, 0), utc(11, 4, 0))
    assert tuesday.figures.mtta is not None
    assert tuesday.figures.mtta.mean_s == 390.0  # i2 4 min, i3 9 min: 6.5 min
    assert found.groups[2].figures.mtta is None
    assert found.groups[2].figures.noise_reduction is None


def test_weeks_and_months_are_cut_to_the_period() -> None:
    (week,) = report(Grouping.WEEK).groups
    assert week.label == "2026-W45"  # ISO week of Monday 2 November 2026
    assert (week.figures.incidents, week.figures.alerts) == (6, 12)
    (month,) = report(Grouping.MONTH).groups
    assert month.label == "2026-11"
    assert (month.starts_at, month.ends_at) == (utc(11, 2, 0), utc(11, 9, 0))


def test_incidents_over_time_follow_the_period_length_when_grouped_by_service() -> None:
    found = report(Grouping.SERVICE)
    assert found.over_time_grouping is Grouping.DAY  # 7 days: days
    assert [g.figures.incidents for g in found.over_time] == [1, 2, 0, 1, 0, 1, 1]
    long = ReportPeriod(utc(1, 1, 0), utc(12, 31, 0))
    yearly = build_report(
        long, Grouping.TEAM, incidents=[], alerts=[], pages=[], services={}, users={}
    )
    assert yearly.over_time_grouping is Grouping.MONTH
    assert len(yearly.over_time) == 12


def test_noisy_sources_and_services_with_their_share() -> None:
    found = report(Grouping.SERVICE)
    # prometheus 4 + 1 + 1 = 6 of 12, grafana 1 + 4 = 5, pagerduty 1.
    assert [(s.name, s.alerts) for s in found.noisy_sources] == [
        ("prometheus", 6),
        ("grafana", 5),
        ("pagerduty", 1),
    ]
    assert [s.share for s in found.noisy_sources] == pytest.approx([0.5, 5 / 12, 1 / 12])
    # checkout 5 and search 5 (a tie, by name), payments 2.
    assert [(s.name, s.alerts) for s in found.noisy_services] == [
        ("checkout", 5),
        ("search", 5),
        ("payments", 2),
    ]
    assert [s.share for s in found.noisy_services] == pytest.approx([5 / 12, 5 / 12, 1 / 6])


def test_on_call_load_in_each_persons_time_zone() -> None:
    loads = {load.name: load for load in report(Grouping.SERVICE).on_call}
    assert list(loads) == ["ann", "bob", "u-gone"]  # most pages first

    ann = loads["ann"]
    assert (ann.user_id, ann.time_zone) == ("u-ann", "Europe/Berlin")
    assert ann.pages == 6
    assert ann.incidents == 4  # i1, i2, i4, i5
    assert ann.outside_working_hours == 5  # all but Tuesday 11:00
    assert ann.sleep_hours == 2  # Monday 23:30 and Thursday 06:59

    bob = loads["bob"]
    assert (bob.pages, bob.incidents) == (3, 1)
    # 23:30 UTC would be a sleep hour in UTC; in New York it is 18:30.
    assert bob.outside_working_hours == 2
    assert bob.sleep_hours == 1  # 22:00 EST

    gone = loads["u-gone"]
    assert (gone.time_zone, gone.pages, gone.outside_working_hours, gone.sleep_hours) == (
        "UTC",
        1,
        0,
        0,
    )


def test_an_empty_period_has_no_means_and_no_noise_reduction() -> None:
    empty = build_report(
        PERIOD, Grouping.SERVICE, incidents=[], alerts=[], pages=[], services={}, users={}
    )
    assert empty.totals.incidents == 0
    assert empty.totals.mtta is None and empty.totals.mttr is None
    assert empty.totals.noise_reduction is None
    assert empty.groups == [] and empty.noisy_sources == [] and empty.on_call == []
