"""The public view: effective statuses, and only public fields."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from domain.statuspage.model import (
    Component,
    ComponentGroup,
    ComponentStatus,
    Impact,
    PublicIncident,
    PublicIncidentState,
    PublicUpdate,
    ScheduledMaintenance,
    StatusPage,
    worst,
)
from domain.statuspage.public import build_public_page, effective_status

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
PAGE = StatusPage("p1", "acme", "Acme", "", NOW - timedelta(days=30))


def component(cid: str, status: ComponentStatus, group: str | None = None) -> Component:
    return Component(
        id=cid,
        page_id=PAGE.id,
        name=cid.upper(),
        description="",
        group_id=group,
        service_ids=("internal-service-id",),
        status=status,
        status_changed_at=NOW,
        created_at=NOW - timedelta(days=30),
    )


def maintenance(start: datetime, end: datetime, *ids: str) -> ScheduledMaintenance:
    return ScheduledMaintenance("m1", PAGE.id, "Upgrade", "", start, end, ids, NOW)


def test_worst_orders_statuses_by_how_bad_they_are() -> None:
    assert worst([]) is ComponentStatus.OPERATIONAL
    assert (
        worst([ComponentStatus.UNDER_MAINTENANCE, ComponentStatus.DEGRADED_PERFORMANCE])
        is ComponentStatus.DEGRADED_PERFORMANCE
    )
    assert worst(list(ComponentStatus)) is ComponentStatus.MAJOR_OUTAGE


def test_active_maintenance_shows_unless_something_worse_happens() -> None:
    window = maintenance(NOW - timedelta(hours=1), NOW + timedelta(hours=1), "a", "b")
    up, down = (
        component("a", ComponentStatus.OPERATIONAL),
        component("b", ComponentStatus.MAJOR_OUTAGE),
    )
    assert effective_status(up, [window], NOW) is ComponentStatus.UNDER_MAINTENANCE
    assert effective_status(down, [window], NOW) is ComponentStatus.MAJOR_OUTAGE
    assert effective_status(up, [window], NOW + timedelta(hours=1)) is ComponentStatus.OPERATIONAL
    other = component("c", ComponentStatus.OPERATIONAL)
    assert effective_status(other, [window], NOW) is ComponentStatus.OPERATIONAL


def test_the_view_groups_components_and_splits_incidents() -> None:
    group = ComponentGroup("g1", PAGE.id, "Core", NOW)
    components = [
        component("a", ComponentStatus.PARTIAL_OUTAGE, "g1"),
        component("b", ComponentStatus.OPERATIONAL),
    ]
    open_ = PublicIncident(
        "i1",
        PAGE.id,
        "Slow",
        Impact.MINOR,
        PublicIncidentState.MONITORING,
        ("a",),
        "internal-1",
        NOW,
        NOW,
    )
    closed = dataclasses.replace(
        open_, id="i2", resolved_at=NOW, state=PublicIncidentState.RESOLVED
    )
    update = PublicUpdate(
        "u1", "i1", PAGE.id, "Watching", PublicIncidentState.MONITORING, NOW, "user:x"
    )
    view = build_public_page(
        PAGE,
        groups=[group],
        components=components,
        changes=[],
        incidents=[open_, closed],
        updates={"i1": [update]},
        maintenance=[maintenance(NOW + timedelta(days=1), NOW + timedelta(days=2), "b")],
        now=NOW,
    )
    assert view.status is ComponentStatus.PARTIAL_OUTAGE
    assert view.summary == "Partial outage"
    assert [(g.name, g.status, [c.name for c in g.components]) for g in view.groups] == [
        ("Core", ComponentStatus.PARTIAL_OUTAGE, ["A"])
    ]
    assert [c.name for c in view.ungrouped] == ["B"]
    assert [i.id for i in view.incidents] == ["i1"]
    assert [i.id for i in view.past_incidents] == ["i2"]
    assert view.incidents[0].affected == ["A"]
    assert [u.body for u in view.incidents[0].updates] == ["Watching"]
    assert view.maintenance[0].active is False and view.maintenance[0].affected == ["B"]
    # Internal references are not part of the view's types at all.
    rendered = repr(view)
    assert "internal-1" not in rendered and "internal-service-id" not in rendered
    assert "user:x" not in rendered
