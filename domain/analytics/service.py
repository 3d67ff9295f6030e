"""Use cases: a report over a period, and a chart of one."""

from __future__ import annotations

import asyncio

from domain.alert.repository import AlertRepository
from domain.analytics.charts import Chart, ChartFormat, render
from domain.analytics.compute import build_report
from domain.analytics.model import Grouping, Report, ReportPeriod
from domain.auth import Action, Principal
from domain.escalation.page_log import PageLog
from domain.incident.repository import IncidentRepository
from domain.service.repository import ServiceRepository
from domain.team.ownership import ServiceOwners
from domain.user.repository import UserRepository


class Analytics:
    """Figures count only the services the caller may read (all of them for admins)."""

    def __init__(
        self,
        *,
        incidents: IncidentRepository,
        alerts: AlertRepository,
        pages: PageLog,
        services: ServiceRepository,
        owners: ServiceOwners,
        users: UserRepository,
    ) -> None:
        self._incidents = incidents
        self._alerts = alerts
        self._pages = pages
        self._services = services
        self._owners = owners
        self._users = users

    async def report(
        self, principal: Principal, period: ReportPeriod, grouping: Grouping
    ) -> Report:
        principal.require(Action.READ)
        readable = await self._owners.readable(principal)
        incidents, alerts, pages = await asyncio.gather(
            self._incidents.created_between(period.start, period.end, readable),
            self._alerts.received_between(period.start, period.end, readable),
            self._pages.requested_between(period.start, period.end),
        )
        if readable is not None:
            pages = [page for page in pages if page.service_id in readable]
        services, users = await asyncio.gather(
            self._services.by_ids(
                {i.service_id for i in incidents} | {a.service_id for a in alerts}
            ),
            self._users.by_ids({page.user_id for page in pages}),
        )
        return build_report(
            period,
            grouping,
            incidents=incidents,
            alerts=alerts,
            pages=pages,
            services=services,
            users=users,
        )

    async def chart(
        self,
        principal: Principal,
        period: ReportPeriod,
        grouping: Grouping,
        chart: Chart,
        image_format: ChartFormat,
    ) -> bytes:
        report = await self.report(principal, period, grouping)
        # Drawing is CPU-bound: keep it off the event loop.
        return await asyncio.to_thread(render, report, chart, image_format)
