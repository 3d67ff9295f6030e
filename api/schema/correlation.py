"""The correlation engine's analyst surface: regrouping, models, settings, reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from api.schema.access import context_of
from api.schema.incident import Incident
from api.schema.scalars import JSONObject
from domain.correlation import insights, models, settings
from domain.correlation.settings import EngineKind

strawberry.enum(EngineKind, name="CorrelationEngine")

_PAIRS = (
    "Estimated from people's feedback on the period's incidents: the grouping as it stands now is "
    "taken as the truth; alert pairs people merged count as pairs the correlator missed, "
    "pairs they split apart as pairs it got wrong, every other pair now sharing an "
    "incident as one it got right. Unreviewed incidents count as right, so this is an "
    "upper bound that tightens as people review more."
)


@strawberry.input
class MergeIncidentsInput:
    target_id: strawberry.ID = strawberry.field(description="The incident that stays.")
    source_ids: list[strawberry.ID] = strawberry.field(
        description="Incidents whose alerts move into the target; they resolve, empty."
    )


@strawberry.input
class SplitIncidentInput:
    incident_id: strawberry.ID
    alert_ids: list[strawberry.ID] = strawberry.field(
        description="Alerts of the incident to move into a new one (not all of them)."
    )
    title: str | None = strawberry.field(
        default=None, description="The new incident's title; default: its first alert's summary."
    )


@strawberry.type
class SplitIncidentResult:
    origin: Incident
    created: Incident


@strawberry.input(name="CorrelationSettingsInput")
class SettingsInput:
    engine: EngineKind
    window_seconds: int = strawberry.field(
        default=300, description="The time window of the `WINDOW` engine, in seconds."
    )
    threshold: float | None = strawberry.field(
        default=None,
        description="The learned engine's decision threshold (0 to 1); null: the model's own.",
    )

    def to_domain(self) -> settings.CorrelationSettings:
        return settings.CorrelationSettings(self.engine, self.window_seconds, self.threshold)


@strawberry.type
class CorrelationSettings:
    engine: EngineKind
    window_seconds: int
    threshold: float | None

    @classmethod
    def from_domain(cls, value: settings.CorrelationSettings) -> CorrelationSettings:
        return cls(
            engine=value.engine, window_seconds=value.window_seconds, threshold=value.threshold
        )


@strawberry.type(description="One audited change of the correlation settings.")
class CorrelationSettingsChange:
    id: strawberry.ID
    actor: str
    at: datetime
    old: CorrelationSettings
    new: CorrelationSettings

    @classmethod
    def from_domain(cls, change: settings.SettingsChange) -> CorrelationSettingsChange:
        return cls(
            id=strawberry.ID(change.id),
            actor=change.actor,
            at=change.at,
            old=CorrelationSettings.from_domain(change.old),
            new=CorrelationSettings.from_domain(change.new),
        )


@strawberry.type(description="A stored correlation model.")
class CorrelationModel:
    version: int
    trained_at: datetime
    trained_by: str
    summary: JSONObject = strawberry.field(
        description="What it learned from: alerts, incidents, pairs, the F1 it reached on "
        "that history, and which model won (classifier or priors)."
    )

    @classmethod
    def from_domain(cls, stored: models.StoredModel) -> CorrelationModel:
        return cls(
            version=stored.version,
            trained_at=stored.trained_at,
            trained_by=stored.trained_by,
            summary=JSONObject(stored.summary),
        )


@strawberry.type
class PersonFeedback:
    actor: str
    merges: int
    splits: int


@strawberry.type
class CorrelationReport:
    from_: datetime = strawberry.field(name="from")
    to: datetime
    alerts: int = strawberry.field(description="Alerts in incidents with an event time in range.")
    incidents: int = strawberry.field(description="The incidents those alerts are in now.")
    noise_reduction: float = strawberry.field(description="1 - incidents / alerts.")
    merges: int = strawberry.field(description="Merges people made touching those incidents.")
    splits: int = strawberry.field(description="Splits people made touching those incidents.")
    by_person: list[PersonFeedback]
    estimated_precision: float = strawberry.field(description=_PAIRS)
    estimated_recall: float = strawberry.field(description=_PAIRS)
    pairs_together: int = strawberry.field(description="Alert pairs sharing an incident now.")
    merged_pairs: int = strawberry.field(description="Alert pairs people's merges put together.")
    split_pairs: int = strawberry.field(description="Alert pairs people's splits separated.")

    @classmethod
    def from_domain(cls, report: insights.CorrelationReport) -> CorrelationReport:
        return cls(
            from_=report.start,
            to=report.end,
            alerts=report.alerts,
            incidents=report.incidents,
            noise_reduction=report.noise_reduction,
            merges=report.merges,
            splits=report.splits,
            by_person=[
                PersonFeedback(actor=p.actor, merges=p.merges, splits=p.splits)
                for p in report.by_person
            ],
            estimated_precision=report.estimate.precision,
            estimated_recall=report.estimate.recall,
            pairs_together=report.estimate.pairs_together,
            merged_pairs=report.estimate.merged_pairs,
            split_pairs=report.estimate.split_pairs,
        )


@strawberry.type(description="One grouping of the backtest's alerts.")
class BacktestOutcome:
    settings: CorrelationSettings | None = strawberry.field(
        description="Null for the grouping as recorded live."
    )
    incidents: int
    noise_reduction: float
    precision: float = strawberry.field(
        description="Pairwise precision against the reviewed grouping (the stored incidents "
        "after people's merges and splits). For the recorded grouping: " + _PAIRS
    )
    recall: float = strawberry.field(
        description="Pairwise recall against the reviewed grouping, as for precision."
    )
    f1: float

    @classmethod
    def from_domain(cls, outcome: insights.Outcome) -> BacktestOutcome:
        return cls(
            settings=CorrelationSettings.from_domain(outcome.settings)
            if outcome.settings
            else None,
            incidents=outcome.incidents,
            noise_reduction=outcome.noise_reduction,
            precision=outcome.precision,
            recall=outcome.recall,
            f1=outcome.f1,
        )


@strawberry.type
class BacktestGroup:
    alert_id: strawberry.ID
    group: str = strawberry.field(description="Alerts with the same group share an incident.")


@strawberry.type(
    description="Stored alerts replayed in event-time order under other settings; nothing "
    "is written."
)
class CorrelationBacktest:
    from_: datetime = strawberry.field(name="from")
    to: datetime
    alerts: int
    truncated: bool = strawberry.field(description="True when only the first alerts were replayed.")
    recorded: BacktestOutcome
    current: BacktestOutcome = strawberry.field(description="Replayed under the current settings.")
    proposed: BacktestOutcome = strawberry.field(description="Replayed under the given settings.")
    groups: list[BacktestGroup] = strawberry.field(description="The proposed grouping.")

    @classmethod
    def from_domain(cls, backtest: insights.Backtest) -> CorrelationBacktest:
        return cls(
            from_=backtest.start,
            to=backtest.end,
            alerts=backtest.alerts,
            truncated=backtest.truncated,
            recorded=BacktestOutcome.from_domain(backtest.recorded),
            current=BacktestOutcome.from_domain(backtest.current),
            proposed=BacktestOutcome.from_domain(backtest.proposed),
            groups=[
                BacktestGroup(alert_id=strawberry.ID(a), group=g)
                for a, g in backtest.groups.items()
            ],
        )


@strawberry.type
class CorrelationQuery:
    @strawberry.field(description="Alerts, incidents, noise reduction and people's feedback.")
    async def correlation_report(
        self,
        info: strawberry.Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> CorrelationReport:
        context = context_of(info)
        report = await context.container.correlation.insights.report(context.principal, from_, to)
        return CorrelationReport.from_domain(report)

    @strawberry.field(description="What other settings would have grouped, before enabling them.")
    async def backtest_correlation(
        self,
        info: strawberry.Info,
        settings: SettingsInput,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> CorrelationBacktest:
        context = context_of(info)
        backtest = await context.container.correlation.insights.backtest(
            context.principal, settings.to_domain(), from_, to
        )
        return CorrelationBacktest.from_domain(backtest)

    @strawberry.field
    async def correlation_settings(self, info: strawberry.Info) -> CorrelationSettings:
        context = context_of(info)
        current = await context.container.correlation.tuning.current(context.principal)
        return CorrelationSettings.from_domain(current)

    @strawberry.field(description="Changes of the correlation settings, newest first.")
    async def correlation_settings_history(
        self, info: strawberry.Info, first: int = 50
    ) -> list[CorrelationSettingsChange]:
        context = context_of(info)
        changes = await context.container.correlation.tuning.history(context.principal, first)
        return [CorrelationSettingsChange.from_domain(c) for c in changes]

    @strawberry.field(description="The newest stored model; null until one was trained.")
    async def correlation_model(self, info: strawberry.Info) -> CorrelationModel | None:
        context = context_of(info)
        stored = await context.container.correlation.learning.current(context.principal)
        return CorrelationModel.from_domain(stored) if stored else None


@strawberry.type
class CorrelationMutation:
    @strawberry.mutation(description="Move every alert of the sources into the target.")
    async def merge_incidents(self, info: strawberry.Info, input: MergeIncidentsInput) -> Incident:
        context = context_of(info)
        merged = await context.container.correlation.regrouping.merge(
            context.principal, input.target_id, list(input.source_ids)
        )
        return Incident.from_domain(merged)

    @strawberry.mutation(description="Move some alerts of an incident into a new incident.")
    async def split_incident(
        self, info: strawberry.Info, input: SplitIncidentInput
    ) -> SplitIncidentResult:
        context = context_of(info)
        outcome = await context.container.correlation.regrouping.split(
            context.principal, input.incident_id, list(input.alert_ids), input.title
        )
        return SplitIncidentResult(
            origin=Incident.from_domain(outcome.origin),
            created=Incident.from_domain(outcome.created),
        )

    @strawberry.mutation(description="Learn a new model version from reviewed incidents now.")
    async def retrain_correlation_model(self, info: strawberry.Info) -> CorrelationModel:
        context = context_of(info)
        stored = await context.container.correlation.learning.retrain(context.principal)
        return CorrelationModel.from_domain(stored)

    @strawberry.mutation(description="Store new correlation settings; the change is audited.")
    async def update_correlation_settings(
        self, info: strawberry.Info, input: SettingsInput
    ) -> CorrelationSettingsChange:
        context = context_of(info)
        change = await context.container.correlation.tuning.update(
            context.principal, input.to_domain()
        )
        return CorrelationSettingsChange.from_domain(change)
