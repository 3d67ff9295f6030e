"""The public view of a status page: the one place that decides what anyone may see.

The HTML page, the JSON feed and the public GraphQL fields all render this value, so
nothing internal (services, internal incident ids, who wrote what) can reach one of
them by accident: it is simply not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.statuspage.model import (
    Component,
    ComponentGroup,
    ComponentStatus,
    Impact,
    PublicIncident,
    PublicIncidentState,
    PublicUpdate,
    ScheduledMaintenance,
    StatusChange,
    StatusPage,
    worst,
)
from domain.statuspage.uptime import DayBar, daily_bars

PAST_INCIDENT_DAYS = 14
"""Resolved public incidents stay on the page this long."""

_SUMMARY = {
    ComponentStatus.OPERATIONAL: "All systems operational",
    ComponentStatus.UNDER_MAINTENANCE: "Maintenance in progress",
    ComponentStatus.DEGRADED_PERFORMANCE: "Degraded performance",
    ComponentStatus.PARTIAL_OUTAGE: "Partial outage",
    ComponentStatus.MAJOR_OUTAGE: "Major outage",
}


@dataclass(frozen=True, slots=True)
class PublicComponentView:
    id: str
    name: str
    description: str
    status: ComponentStatus
    uptime: list[DayBar]

    @property
    def uptime_percent(self) -> float | None:
        """Over the days the component existed."""
        days = [
            bar.operational_percent for bar in self.uptime if bar.operational_percent is not None
        ]
        return round(sum(days) / len(days), 2) if days else None


@dataclass(frozen=True, slots=True)
class PublicGroupView:
    id: str
    name: str
    status: ComponentStatus
    components: list[PublicComponentView]


@dataclass(frozen=True, slots=True)
class PublicUpdateView:
    id: str
    body: str
    state: PublicIncidentState
    at: datetime


@dataclass(frozen=True, slots=True)
class PublicIncidentView:
    id: str
    title: str
    impact: Impact
    state: PublicIncidentState
    affected: list[str]
    """Names of the components it affects."""
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    updates: list[PublicUpdateView]
    """Newest first."""


@dataclass(frozen=True, slots=True)
class PublicMaintenanceView:
    id: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    active: bool
    affected: list[str]


@dataclass(frozen=True, slots=True)
class PublicStatusPage:
    slug: str
    title: str
    description: str
    status: ComponentStatus
    groups: list[PublicGroupView]
    ungrouped: list[PublicComponentView]
    incidents: list[PublicIncidentView]
    """Unresolved, newest first."""
    past_incidents: list[PublicIncidentView]
    """Resolved recently, newest first."""
    maintenance: list[PublicMaintenanceView]
    """Active and upcoming, soonest first."""
    generated_at: datetime

    @property
    def summary(self) -> str:
        return _SUMMARY[self.status]

    @property
    def components(self) -> list[PublicComponentView]:
        return [c for g in self.groups for c in g.components] + self.ungrouped


def shown_since(now: datetime) -> datetime:
    """Public incidents resolved before this are no longer shown."""
    return now - timedelta(days=PAST_INCIDENT_DAYS)


def effective_status(
    component: Component, maintenance: list[ScheduledMaintenance], now: datetime
) -> ComponentStatus:
    """Active maintenance shows as such, unless something worse is going on."""
    if any(m.active_at(now) and component.id in m.component_ids for m in maintenance):
        return worst([component.status, ComponentStatus.UNDER_MAINTENANCE])
    return component.status


def build_public_page(
    page: StatusPage,
    *,
    groups: list[ComponentGroup],
    components: list[Component],
    changes: list[StatusChange],
    incidents: list[PublicIncident],
    updates: dict[str, list[PublicUpdate]],
    maintenance: list[ScheduledMaintenance],
    now: datetime,
) -> PublicStatusPage:
    names = {c.id: c.name for c in components}
    views = {
        c.id: PublicComponentView(
            id=c.id,
            name=c.name,
            description=c.description,
            status=effective_status(c, maintenance, now),
            uptime=daily_bars(
                [ch for ch in changes if ch.component_id == c.id], created_at=c.created_at, now=now
            ),
        )
        for c in components
    }
    group_views = []
    for group in groups:
        members = [views[c.id] for c in components if c.group_id == group.id]
        group_views.append(
            PublicGroupView(group.id, group.name, worst([m.status for m in members]), members)
        )
    grouped = {g.id for g in groups}
    incident_views = [_incident_view(i, updates.get(i.id, []), names) for i in incidents]
    return PublicStatusPage(
        slug=page.slug,
        title=page.title,
        description=page.description,
        status=worst([v.status for v in views.values()]),
        groups=group_views,
        ungrouped=[views[c.id] for c in components if c.group_id not in grouped],
        incidents=[i for i in incident_views if i.resolved_at is None],
        past_incidents=[i for i in incident_views if i.resolved_at is not None],
        maintenance=[
            PublicMaintenanceView(
                id=m.id,
                title=m.title,
                description=m.description,
                starts_at=m.starts_at,
                ends_at=m.ends_at,
                active=m.active_at(now),
                affected=[names[c] for c in m.component_ids if c in names],
            )
            for m in sorted(maintenance, key=lambda m: m.starts_at)
            if m.ends_at > now
        ],
        generated_at=now,
    )


def _incident_view(
    incident: PublicIncident, updates: list[PublicUpdate], names: dict[str, str]
) -> PublicIncidentView:
    return PublicIncidentView(
        id=incident.id,
        title=incident.title,
        impact=incident.impact,
        state=incident.state,
        affected=[names[c] for c in incident.component_ids if c in names],
        created_at=incident.created_at,
        updated_at=incident.updated_at,
        resolved_at=incident.resolved_at,
        updates=[PublicUpdateView(u.id, u.body, u.state, u.at) for u in updates],
    )
