"""Noise controls in GraphQL: silences, maintenance windows, event rules."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.schema.access import context_of
from api.schema.enums import Severity
from api.schema.ingest import AlertInput
from api.schema.scalars import Labels
from domain import matching
from domain.maintenance import model as maintenance_model
from domain.rules import model as rule_model
from domain.rules.service import DryRun
from domain.silence import model as silence_model

strawberry.enum(matching.MatchOp, name="MatchOp")


@strawberry.type(
    description="name OP value, as in Alertmanager; regexes are anchored. Names are "
    "labels or the fields summary, description, source, service, severity."
)
class Matcher:
    name: str
    op: matching.MatchOp
    value: str


@strawberry.input
class MatcherInput:
    name: str
    op: matching.MatchOp
    value: str

    def to_domain(self) -> matching.Matcher:
        return matching.Matcher(self.name, self.op, self.value)


def _matchers(items: tuple[matching.Matcher, ...]) -> list[Matcher]:
    return [Matcher(name=m.name, op=m.op, value=m.value) for m in items]


def _matcher_inputs(items: list[MatcherInput] | None) -> tuple[matching.Matcher, ...]:
    return tuple(item.to_domain() for item in items or ())


@strawberry.type
class Silence:
    id: strawberry.ID
    matchers: list[Matcher]
    starts_at: datetime
    ends_at: datetime
    comment: str
    created_by: str
    created_at: datetime

    @classmethod
    def from_domain(cls, silence: silence_model.Silence) -> Silence:
        return cls(
            id=strawberry.ID(silence.id),
            matchers=_matchers(silence.matchers),
            starts_at=silence.starts_at,
            ends_at=silence.ends_at,
            comment=silence.comment,
            created_by=silence.created_by,
            created_at=silence.created_at,
        )


@strawberry.input
class SilenceInput:
    matchers: list[MatcherInput]
    starts_at: datetime | None = strawberry.field(default=None, description="Default: now.")
    ends_at: datetime
    comment: str


@strawberry.type
class MaintenanceWindow:
    id: strawberry.ID
    name: str
    starts_at: datetime
    ends_at: datetime
    service_ids: list[strawberry.ID]
    matchers: list[Matcher]
    recurrence: str | None = strawberry.field(
        description="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=SU; null for a one-off window."
    )
    created_by: str

    @classmethod
    def from_domain(cls, window: maintenance_model.MaintenanceWindow) -> MaintenanceWindow:
        return cls(
            id=strawberry.ID(window.id),
            name=window.name,
            starts_at=window.starts_at,
            ends_at=window.ends_at,
            service_ids=[strawberry.ID(s) for s in window.service_ids],
            matchers=_matchers(window.matchers),
            recurrence=window.recurrence,
            created_by=window.created_by,
        )


@strawberry.input
class MaintenanceWindowInput:
    name: str
    starts_at: datetime
    ends_at: datetime
    service_ids: list[strawberry.ID] | None = None
    matchers: list[MatcherInput] | None = None
    recurrence: str | None = None

    def to_draft(self) -> maintenance_model.MaintenanceDraft:
        return maintenance_model.MaintenanceDraft(
            name=self.name,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            service_ids=tuple(self.service_ids or ()),
            matchers=_matcher_inputs(self.matchers),
            recurrence=self.recurrence,
        )


@strawberry.type
class MaintenanceOccurrence:
    window: MaintenanceWindow
    starts_at: datetime
    ends_at: datetime


@strawberry.type
class RuleActions:
    route_to: str | None = strawberry.field(description="Service name to route to.")
    set_severity: Severity | None
    add_labels: Labels
    suppress: bool


@strawberry.input
class RuleActionsInput:
    route_to: str | None = None
    set_severity: Severity | None = None
    add_labels: Labels | None = None
    suppress: bool = False

    def to_domain(self) -> rule_model.RuleActions:
        return rule_model.RuleActions(
            route_to=self.route_to,
            set_severity=self.set_severity,
            add_labels=self.add_labels or {},
            suppress=self.suppress,
        )


@strawberry.type(description="Evaluated in order before correlation; the first match applies.")
class EventRule:
    id: strawberry.ID
    name: str
    position: int
    matchers: list[Matcher]
    actions: RuleActions
    created_by: str

    @classmethod
    def from_domain(cls, rule: rule_model.EventRule) -> EventRule:
        actions = rule.actions
        return cls(
            id=strawberry.ID(rule.id),
            name=rule.name,
            position=rule.position,
            matchers=_matchers(rule.matchers),
            created_by=rule.created_by,
            actions=RuleActions(
                route_to=actions.route_to,
                set_severity=actions.set_severity,
                add_labels=Labels(dict(actions.add_labels)),
                suppress=actions.suppress,
            ),
        )


@strawberry.input
class EventRuleInput:
    name: str
    matchers: list[MatcherInput]
    actions: RuleActionsInput
    position: int | None = strawberry.field(
        default=None, description="0 is first; default: last (or unchanged on update)."
    )

    def to_draft(self) -> rule_model.RuleDraft:
        return rule_model.RuleDraft(
            name=self.name,
            matchers=_matcher_inputs(self.matchers),
            actions=self.actions.to_domain(),
            position=self.position,
        )


@strawberry.type(description="What the event rules would do with a sample alert.")
class EventRuleDryRun:
    rule: EventRule | None
    service: str | None
    severity: Severity
    labels: Labels
    suppressed: bool

    @classmethod
    def from_domain(cls, run: DryRun) -> EventRuleDryRun:
        return cls(
            rule=EventRule.from_domain(run.rule) if run.rule else None,
            service=run.service,
            severity=run.alert.severity,
            labels=Labels(dict(run.alert.labels)),
            suppressed=run.suppressed,
        )


@strawberry.type
class NoiseQuery:
    @strawberry.field
    async def silences(self, info: strawberry.Info) -> list[Silence]:
        context = context_of(info)
        return [
            Silence.from_domain(s) for s in await context.container.silences.all(context.principal)
        ]

    @strawberry.field
    async def maintenance_windows(self, info: strawberry.Info) -> list[MaintenanceWindow]:
        context = context_of(info)
        return [
            MaintenanceWindow.from_domain(w)
            for w in await context.container.maintenance.all(context.principal)
        ]

    @strawberry.field(description="In evaluation order.")
    async def event_rules(self, info: strawberry.Info) -> list[EventRule]:
        context = context_of(info)
        return [
            EventRule.from_domain(r)
            for r in await context.container.rules.ordered(context.principal)
        ]


@strawberry.type
class NoiseMutation:
    @strawberry.mutation
    async def create_silence(self, info: strawberry.Info, input: SilenceInput) -> Silence:
        context = context_of(info)
        draft = silence_model.SilenceDraft(
            matchers=_matcher_inputs(input.matchers),
            starts_at=input.starts_at or context.container.clock.now(),
            ends_at=input.ends_at,
            comment=input.comment,
        )
        return Silence.from_domain(
            await context.container.silences.create(context.principal, draft)
        )

    @strawberry.mutation(description="End a silence now.")
    async def expire_silence(self, info: strawberry.Info, id: strawberry.ID) -> Silence:
        context = context_of(info)
        return Silence.from_domain(await context.container.silences.expire(context.principal, id))

    @strawberry.mutation
    async def create_maintenance_window(
        self, info: strawberry.Info, input: MaintenanceWindowInput
    ) -> MaintenanceWindow:
        context = context_of(info)
        window = await context.container.maintenance.create(context.principal, input.to_draft())
        return MaintenanceWindow.from_domain(window)

    @strawberry.mutation
    async def update_maintenance_window(
        self, info: strawberry.Info, id: strawberry.ID, input: MaintenanceWindowInput
    ) -> MaintenanceWindow:
        context = context_of(info)
        window = await context.container.maintenance.update(context.principal, id, input.to_draft())
        return MaintenanceWindow.from_domain(window)

    @strawberry.mutation
    async def delete_maintenance_window(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.maintenance.delete(context.principal, id)
        return True

    @strawberry.mutation
    async def create_event_rule(self, info: strawberry.Info, input: EventRuleInput) -> EventRule:
        context = context_of(info)
        rule = await context.container.rules.create(context.principal, input.to_draft())
        return EventRule.from_domain(rule)

    @strawberry.mutation
    async def update_event_rule(
        self, info: strawberry.Info, id: strawberry.ID, input: EventRuleInput
    ) -> EventRule:
        context = context_of(info)
        rule = await context.container.rules.update(context.principal, id, input.to_draft())
        return EventRule.from_domain(rule)

    @strawberry.mutation
    async def delete_event_rule(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.rules.delete(context.principal, id)
        return True

    @strawberry.mutation(description="Dry run: which rule a sample alert hits. Writes nothing.")
    async def test_event_rules(self, info: strawberry.Info, alert: AlertInput) -> EventRuleDryRun:
        context = context_of(info)
        run = await context.container.rules.dry_run(context.principal, alert.to_draft())
        return EventRuleDryRun.from_domain(run)
