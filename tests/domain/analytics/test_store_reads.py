"""The reads behind a report, against the real embedded store: exact period edges
(the store compares dates to the second; the report must not), pages counted once,
and the permission check of the use case.

Each test runs in a database of its own on the session's store.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.alert.repository import AlertRepository
from domain.analytics.charts import Chart, ChartFormat
from domain.analytics.model import Grouping, ReportPeriod
from domain.analytics.service import Analytics
from domain.auth import Principal, PrincipalKind, Role, TeamRole
from domain.errors import ForbiddenError
from domain.escalation.page_log import PageLog
from domain.ids import new_id
from domain.incident.repository import IncidentRepository
from domain.service.repository import ServiceRepository
from domain.store.database import Database
from domain.team.ownership import ServiceOwners
from domain.user.repository import UserRepository
from tests.domain.analytics.builders import alert, incident, page, service, user, utc

MS = timedelta(milliseconds=1)
START = utc(11, 2, 0)
END = utc(11, 3, 0)
VIEWER = Principal(PrincipalKind.USER, "viewer", "viewer", role=Role.VIEWER)


def analytics_on(db: Database) -> Analytics:
    return Analytics(
        incidents=IncidentRepository(db),
        alerts=AlertRepository(db),
        pages=PageLog(db),
        services=ServiceRepository(db),
        owners=ServiceOwners(ServiceRepository(db)),
        users=UserRepository(db),
    )


async def test_incidents_are_read_by_creation_exactly_at_the_edges(db: Database) -> None:
    await IncidentRepository(db).insert_many(
        [
            incident("before", "s", START - MS),
            incident("first", "s", START),
            incident("last", "s", END - MS),
            incident("after", "s", END),
        ]
    )
    found = await IncidentRepository(db).created_between(START, END)
    assert sorted(i.id for i in found) == ["first", "last"]


async def test_alerts_are_read_by_receipt_exactly_at_the_edges_without_heavy_fields(
    db: Database,
) -> None:
    checkout = service("s", "checkout")
    await AlertRepository(db).insert_new(
        [
            alert("before", checkout, "api", START - MS),
            alert("first", checkout, "api", START, description="long", details={"k": "v"}),
            alert("last", checkout, "api", END - MS),
            alert("after", checkout, "api", END),
        ]
    )
    found = {a.id: a for a in await AlertRepository(db).received_between(START, END)}
    assert sorted(found) == ["first", "last"]
    assert (found["first"].description, found["first"].details) == ("", {})


async def test_pages_count_once_whatever_the_engine_asked(db: Database) -> None:
    log = PageLog(db)
    await log.page([page("k1", "u1", "i1", START), page("k2", "u1", "i1", END - MS)])
    # After a crash, the engine asks again under the same key.
    await log.page([page("k1", "u1", "i1", START)])
    await log.page([page("k3", "u1", "i1", END)])
    found = await log.requested_between(START, END)
    assert sorted((p.key, p.requested_at) for p in found) == [
        ("k1", START),
        ("k2", END - MS),
    ]


async def test_a_report_reads_services_teams_and_time_zones_from_the_store(
    db: Database,
) -> None:
    checkout = service(new_id(), "checkout", team="payments")
    await ServiceRepository(db).insert(checkout)
    await UserRepository(db).insert(user("u-ann", "ann", "Europe/Berlin"))
    await IncidentRepository(db).insert_many(
        [incident("i1", checkout.id, START, acked_after=timedelta(minutes=2))]
    )
    await AlertRepository(db).insert_new([alert("a1", checkout, "grafana", START)])
    # 22:30 UTC in November is 23:30 in Berlin.
    await PageLog(db).page([page("k1", "u-ann", "i1", utc(11, 2, 22, 30), checkout.id)])

    payments_viewer = Principal(
        PrincipalKind.USER,
        "pv",
        "pv",
        role=Role.VIEWER,
        team_roles=(("payments", TeamRole.VIEWER),),
    )
    analytics = analytics_on(db)
    report = await analytics.report(payments_viewer, ReportPeriod(START, END), Grouping.TEAM)
    # Outside the team, none of it counts: neither incidents, alerts nor pages.
    outside = await analytics.report(VIEWER, ReportPeriod(START, END), Grouping.TEAM)
    assert (outside.groups, outside.on_call) == ([], [])

    (group,) = report.groups
    assert (group.label, group.figures.incidents, group.figures.alerts) == ("payments", 1, 1)
    assert group.figures.mtta is not None and group.figures.mtta.mean_s == 120.0
    (ann,) = report.on_call
    assert (ann.name, ann.time_zone, ann.sleep_hours) == ("ann", "Europe/Berlin", 1)


async def test_integration_keys_may_not_read_reports(db: Database) -> None:
    key = Principal(PrincipalKind.INTEGRATION_KEY, "k", "prometheus")
    period = ReportPeriod(START, END)
    with pytest.raises(ForbiddenError):
        await analytics_on(db).report(key, period, Grouping.SERVICE)
    with pytest.raises(ForbiddenError):
        await analytics_on(db).chart(
            key, period, Grouping.SERVICE, Chart.INCIDENTS, ChartFormat.SVG
        )
