"""The `analytics` query: incident, alert and on-call figures over a period, with chart links."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from api.analytics import chart_url
from api.schema.access import context_of
from domain.analytics import model
from domain.analytics.charts import Chart, ChartFormat
from domain.analytics.model import Grouping

strawberry.enum(
    Grouping,
    name="AnalyticsGrouping",
    description="SERVICE and TEAM group by what incidents are about; DAY, WEEK (ISO, from "
    "Monday) and MONTH by UTC calendar buckets.",
)
strawberry.enum(ChartFormat, name="ChartFormat")


@strawberry.type(description="Durations over the incidents where the step happened, in seconds.")
class DurationStats:
    count: int
    mean_seconds: float
    median_seconds: float
    p90_seconds: float = strawberry.field(
        description="Nearest rank: 90% of the samples took at most this long."
    )

    @classmethod
    def from_domain(cls, stats: model.DurationStats | None) -> DurationStats | None:
        if stats is None:
            return None
        return cls(
            count=stats.count,
            mean_seconds=stats.mean_s,
            median_seconds=stats.median_s,
            p90_seconds=stats.p90_s,
        )


@strawberry.type(
    description="Incidents created and alerts received in the period. MTTA and MTTR are "
    "measured as of now, over acknowledged (resp. resolved) incidents only; the others "
    "are counted in `unacknowledged` and `unresolved`."
)
class AnalyticsFigures:
    incidents: int
    alerts: int
    acknowledged: int
    unacknowledged: int = strawberry.field(
        description="Never acknowledged: still triggered, or resolved without it."
    )
    resolved: int
    unresolved: int
    mtta: DurationStats | None = strawberry.field(
        description="Creation to acknowledgement; null when none was acknowledged."
    )
    mttr: DurationStats | None = strawberry.field(
        description="Creation to resolution; null when none was resolved."
    )
    noise_reduction: float | None = strawberry.field(
        description="1 - incidents/alerts; null without alerts."
    )

    @classmethod
    def from_domain(cls, figures: model.Figures) -> AnalyticsFigures:
        return cls(
            incidents=figures.incidents,
            alerts=figures.alerts,
            acknowledged=figures.acknowledged,
            unacknowledged=figures.unacknowledged,
            resolved=figures.resolved,
            unresolved=figures.unresolved,
            mtta=DurationStats.from_domain(figures.mtta),
            mttr=DurationStats.from_domain(figures.mttr),
            noise_reduction=figures.noise_reduction,
        )


@strawberry.type
class AnalyticsGroup:
    key: str | None = strawberry.field(
        description="Service id, team slug (null: services without a team) or bucket start."
    )
    label: str
    starts_at: datetime | None = strawberry.field(
        description="Time buckets: the bucket's start, cut to the period."
    )
    ends_at: datetime | None
    figures: AnalyticsFigures

    @classmethod
    def from_domain(cls, group: model.GroupFigures) -> AnalyticsGroup:
        return cls(
            key=group.key,
            label=group.label,
            starts_at=group.starts_at,
            ends_at=group.ends_at,
            figures=AnalyticsFigures.from_domain(group.figures),
        )


@strawberry.type(description="Alerts from one source or service and their share of all alerts.")
class AlertShare:
    name: str
    alerts: int
    share: float

    @classmethod
    def from_domain(cls, share: model.SourceShare) -> AlertShare:
        return cls(name=share.name, alerts=share.alerts, share=share.share)


@strawberry.type(description="Pages one person got, counted in their own time zone.")
class OnCallLoad:
    user_id: strawberry.ID
    name: str
    time_zone: str
    pages: int
    incidents: int = strawberry.field(description="Distinct incidents the pages were about.")
    outside_working_hours: int = strawberry.field(
        description="Not Monday to Friday 09:00-18:00 local time."
    )
    sleep_hours: int = strawberry.field(description="Between 22:00 and 07:00 local time.")

    @classmethod
    def from_domain(cls, load: model.PersonLoad) -> OnCallLoad:
        return cls(
            user_id=strawberry.ID(load.user_id),
            name=load.name,
            time_zone=load.time_zone,
            pages=load.pages,
            incidents=load.incidents,
            outside_working_hours=load.outside_working_hours,
            sleep_hours=load.sleep_hours,
        )


@strawberry.type(
    description="Links to chart images of this report; fetch them with the same bearer token."
)
class AnalyticsCharts:
    public_url: strawberry.Private[str]
    period: strawberry.Private[model.ReportPeriod]
    grouping: strawberry.Private[Grouping]

    @strawberry.field(description="Mean MTTA and MTTR per group.")
    def mtta_mttr(self, format: ChartFormat = ChartFormat.SVG) -> str:
        return self._url(Chart.MTTA_MTTR, format)

    @strawberry.field(description="Incidents (bars) and alerts (line) per time bucket.")
    def incidents_over_time(self, format: ChartFormat = ChartFormat.SVG) -> str:
        return self._url(Chart.INCIDENTS, format)

    @strawberry.field(description="Pages per person: working hours, evenings and sleep hours.")
    def on_call_load(self, format: ChartFormat = ChartFormat.SVG) -> str:
        return self._url(Chart.ON_CALL_LOAD, format)

    def _url(self, chart: Chart, image_format: ChartFormat) -> str:
        # Like `analytics`, `format` can arrive as the enum's value.
        return chart_url(
            self.public_url, chart, ChartFormat(image_format), self.period, self.grouping
        )


@strawberry.type
class Analytics:
    from_: datetime = strawberry.field(name="from")
    until: datetime
    group_by: Grouping
    totals: AnalyticsFigures
    groups: list[AnalyticsGroup]
    over_time: list[AnalyticsGroup] = strawberry.field(
        description="Per time bucket: the grouping's own, else days (period up to 31 days), "
        "weeks (up to 183) or months."
    )
    over_time_grouping: Grouping
    noisy_sources: list[AlertShare] = strawberry.field(
        description="The 10 alert sources that sent the most alerts."
    )
    noisy_services: list[AlertShare] = strawberry.field(
        description="The 10 services with the most alerts."
    )
    on_call_load: list[OnCallLoad] = strawberry.field(
        description="Pages per person from the escalation page log, most paged first."
    )
    charts: AnalyticsCharts

    @classmethod
    def from_domain(cls, report: model.Report, public_url: str) -> Analytics:
        return cls(
            from_=report.period.start,
            until=report.period.end,
            group_by=report.grouping,
            totals=AnalyticsFigures.from_domain(report.totals),
            groups=[AnalyticsGroup.from_domain(g) for g in report.groups],
            over_time=[AnalyticsGroup.from_domain(g) for g in report.over_time],
            over_time_grouping=report.over_time_grouping,
            noisy_sources=[AlertShare.from_domain(s) for s in report.noisy_sources],
            noisy_services=[AlertShare.from_domain(s) for s in report.noisy_services],
            on_call_load=[OnCallLoad.from_domain(p) for p in report.on_call],
            charts=AnalyticsCharts(
                public_url=public_url, period=report.period, grouping=report.grouping
            ),
        )


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(
        description="Incident, alert and on-call figures over [from, until), at most 366 days."
    )
    async def analytics(
        self,
        info: strawberry.Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        until: datetime,
        group_by: Grouping = Grouping.SERVICE,
    ) -> Analytics:
        context = context_of(info)
        # Enum arguments can arrive as their values here (as elsewhere in this schema).
        report = await context.container.analytics.report(
            context.principal, model.ReportPeriod(from_, until), Grouping(group_by)
        )
        return Analytics.from_domain(report, context.container.public_url)
