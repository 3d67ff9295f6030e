"""Escalation policies, and responders steering an incident's escalation, in GraphQL."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.schema.access import context_of
from api.schema.incident import Incident
from api.schema.user import User
from domain.errors import ValidationError
from domain.escalation import model
from domain.escalation.run import EscalationRun, RunState
from domain.validation import minutes

strawberry.enum(model.TargetKind, name="EscalationTargetKind")
strawberry.enum(RunState, name="EscalationState")


@strawberry.type
class EscalationTarget:
    kind: model.TargetKind
    id: strawberry.ID


@strawberry.type
class EscalationStep:
    targets: list[EscalationTarget]
    escalate_after_minutes: float = strawberry.field(
        description="How long this step is given before the next step (or, after the last "
        "step, the next repeat) fires."
    )


@strawberry.type(
    description="Who is paged, in order. Step 1 fires when an incident triggers; each "
    "following step after the previous one's `escalateAfterMinutes`."
)
class EscalationPolicy:
    id: strawberry.ID
    name: str
    description: str
    steps: list[EscalationStep]
    repeats: int = strawberry.field(description="How many times the steps run again: 0 = once.")
    created_at: datetime
    team: str | None = strawberry.field(
        description="The slug of the owning team: its managers configure the policy, its "
        "members read it. No team: governed by global roles."
    )

    @classmethod
    def from_domain(cls, policy: model.EscalationPolicy) -> EscalationPolicy:
        return cls(
            id=strawberry.ID(policy.id),
            name=policy.name,
            description=policy.description,
            steps=[
                EscalationStep(
                    targets=[
                        EscalationTarget(kind=t.kind, id=strawberry.ID(t.id)) for t in s.targets
                    ],
                    escalate_after_minutes=s.escalate_after.total_seconds() / 60,
                )
                for s in policy.plan.steps
            ],
            repeats=policy.plan.repeats,
            created_at=policy.created_at,
            team=policy.team,
        )


@strawberry.input
class EscalationTargetInput:
    kind: model.TargetKind
    id: strawberry.ID


@strawberry.input
class EscalationStepInput:
    targets: list[EscalationTargetInput]
    escalate_after_minutes: float = strawberry.field(
        description="Fractions allowed; between 1 second and 7 days."
    )

    def to_domain(self) -> model.Step:
        return model.Step(
            targets=tuple(model.Target(t.kind, t.id) for t in self.targets),
            escalate_after=minutes(self.escalate_after_minutes, field="escalateAfterMinutes"),
        )


@strawberry.input
class EscalationPolicyInput:
    name: str
    description: str = ""
    steps: list[EscalationStepInput]
    repeats: int = 0
    team: str | None = strawberry.field(
        default=None,
        description="On create: the owning team. On update: the team to move the policy to "
        "(left out: it stays). Needs the manager role in each team concerned.",
    )
    clear_team: bool = strawberry.field(
        default=False,
        description="On update: give the policy to no team (global roles then govern it).",
    )

    def to_draft(self) -> model.PolicyDraft:
        steps = []
        for index, step in enumerate(self.steps):
            try:
                steps.append(step.to_domain())
            except ValidationError as exc:
                raise exc.located(f"steps[{index}]") from None
        return model.PolicyDraft(
            name=self.name,
            description=self.description,
            plan=model.Plan(steps=tuple(steps), repeats=self.repeats),
            team=self.team,
            clear_team=self.clear_team,
        )


@strawberry.input(description="Either `userIds` (one step paging them) or `policyId`.")
class ReassignInput:
    user_ids: list[strawberry.ID] | None = None
    policy_id: strawberry.ID | None = None


@strawberry.type(description="Where an incident's escalation stands.")
class Escalation:
    state: RunState
    policy_id: strawberry.ID | None = strawberry.field(
        description="Null when reassigned to people directly."
    )
    cycle: int = strawberry.field(description="1 for the first pass through the steps.")
    step: int = strawberry.field(
        description="While ACTIVE, the next step to fire; otherwise the last one reached."
    )
    next_step_at: datetime | None = strawberry.field(description="Set while ACTIVE.")
    generation: int = strawberry.field(description="1, plus one per reassignment.")
    started_at: datetime
    stopped_reason: str | None

    @classmethod
    def from_domain(cls, run: EscalationRun) -> Escalation:
        return cls(
            state=run.state,
            policy_id=strawberry.ID(run.policy_id) if run.policy_id else None,
            cycle=run.position.cycle,
            step=run.position.step,
            next_step_at=run.due_at if run.state is RunState.ACTIVE else None,
            generation=run.generation,
            started_at=run.started_at,
            stopped_reason=run.stopped_reason,
        )


async def escalation_of(info: strawberry.Info, incident_id: str) -> Escalation | None:
    """For `Incident.escalation`."""
    run = await context_of(info).loaders.escalation.load(incident_id)
    return Escalation.from_domain(run) if run else None


@strawberry.type
class EscalationQuery:
    @strawberry.field
    async def escalation_policies(self, info: strawberry.Info) -> list[EscalationPolicy]:
        context = context_of(info)
        policies = await context.container.escalation.policies.all(context.principal)
        return [EscalationPolicy.from_domain(p) for p in policies]

    @strawberry.field
    async def escalation_policy(self, info: strawberry.Info, id: strawberry.ID) -> EscalationPolicy:
        context = context_of(info)
        policy = await context.container.escalation.policies.get(context.principal, id)
        return EscalationPolicy.from_domain(policy)

    @strawberry.field(
        description="Who the service's escalation policy would page now: the users of its "
        "first step with anyone on call. Empty without a policy."
    )
    async def who_is_on_call(self, info: strawberry.Info, service_id: strawberry.ID) -> list[User]:
        context = context_of(info)
        users = await context.container.escalation.escalations.who_is_on_call(
            context.principal, service_id
        )
        return [User.from_domain(u) for u in users]


@strawberry.type
class EscalationMutation:
    @strawberry.mutation
    async def create_escalation_policy(
        self, info: strawberry.Info, input: EscalationPolicyInput
    ) -> EscalationPolicy:
        context = context_of(info)
        policy = await context.container.escalation.policies.create(
            context.principal, input.to_draft()
        )
        return EscalationPolicy.from_domain(policy)

    @strawberry.mutation(description="Runs under way keep the steps they started with.")
    async def update_escalation_policy(
        self, info: strawberry.Info, id: strawberry.ID, input: EscalationPolicyInput
    ) -> EscalationPolicy:
        context = context_of(info)
        policy = await context.container.escalation.policies.update(
            context.principal, id, input.to_draft()
        )
        return EscalationPolicy.from_domain(policy)

    @strawberry.mutation(description="Refused (CONFLICT) while a service points to it.")
    async def delete_escalation_policy(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.escalation.policies.delete(context.principal, id)
        return True

    @strawberry.mutation(
        description="Fire the next escalation step now instead of when its time is up."
    )
    async def escalate_incident(self, info: strawberry.Info, id: strawberry.ID) -> Incident:
        context = context_of(info)
        incident = await context.container.escalation.escalations.escalate(context.principal, id)
        return Incident.from_domain(incident)

    @strawberry.mutation(
        description="Stop the incident's escalation and start again with these people "
        "or this policy, from its first step, now."
    )
    async def reassign_incident(
        self, info: strawberry.Info, id: strawberry.ID, input: ReassignInput
    ) -> Incident:
        context = context_of(info)
        incident = await context.container.escalation.escalations.reassign(
            context.principal,
            id,
            user_ids=[str(u) for u in input.user_ids] if input.user_ids is not None else None,
            policy_id=input.policy_id,
        )
        return Incident.from_domain(incident)
