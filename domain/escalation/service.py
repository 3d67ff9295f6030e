"""Use cases for escalation: configuring policies, and responders steering a running escalation.

A policy owned by a team is configured by that team's managers and read by its members;
moving it to another team needs the manager role in both. A policy owned by no team
follows the global roles. A service may only point at a policy its editor may read.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.errors import ConflictError, InvalidTransitionError, NotFoundError, ValidationError
from domain.escalation.engine import EscalationEngine
from domain.escalation.model import (
    EscalationPolicy,
    Plan,
    PolicyDraft,
    Position,
    Step,
    Target,
    TargetKind,
)
from domain.escalation.repository import PolicyRepository, RunRepository
from domain.escalation.run import EscalationRun, RunState
from domain.escalation.targets import TargetResolver
from domain.events import IncidentEventKind
from domain.ids import new_id
from domain.incident.model import Incident, IncidentStatus, TimelineEntry, TimelineKind
from domain.incident.repository import IncidentRepository
from domain.schedule.repository import ScheduleRepository
from domain.service.repository import ServiceRepository
from domain.store.scope import within_teams
from domain.store.timestamps import to_ms
from domain.team.ownership import ServiceOwners
from domain.team.service import TeamDirectory
from domain.user.model import User
from domain.user.repository import UserRepository

MAX_REASSIGN_USERS = 20
_REASSIGNED_STEP_TIME = timedelta(minutes=30)
"""A reassignment to people is one step without repeats: its time is never waited out."""


class EscalationPolicies:
    def __init__(
        self,
        *,
        policies: PolicyRepository,
        services: ServiceRepository,
        users: UserRepository,
        schedules: ScheduleRepository,
        teams: TeamDirectory,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._policies = policies
        self._audit = audit
        self._services = services
        self._users = users
        self._schedules = schedules
        self._teams = teams
        self._clock = clock

    async def create(self, principal: Principal, draft: PolicyDraft) -> EscalationPolicy:
        await self._teams.require_configure_in(principal, draft.team)
        await self._require_targets(draft.plan)
        policy = EscalationPolicy(
            id=new_id(),
            name=draft.name,
            description=draft.description,
            plan=draft.plan,
            created_at=self._clock.now(),
            team=draft.team,
        )
        await self._policies.insert(policy)
        await self._audit.created(principal, AuditResource.ESCALATION_POLICY, policy)
        return policy

    async def update(
        self, principal: Principal, policy_id: str, draft: PolicyDraft
    ) -> EscalationPolicy:
        """Replace a policy's steps; runs already under way keep the steps they started with."""
        current = await self.get(principal, policy_id)
        team = draft.new_team(current.team)
        await self._teams.require_handover(principal, current.team, team)
        await self._require_targets(draft.plan)
        updated = dataclasses.replace(
            current, name=draft.name, description=draft.description, plan=draft.plan, team=team
        )
        await self._policies.replace(updated)
        await self._audit.updated(principal, AuditResource.ESCALATION_POLICY, current, updated)
        return updated

    async def delete(self, principal: Principal, policy_id: str) -> None:
        current = await self.get(principal, policy_id)
        principal.require(Action.CONFIGURE, current.team)
        using = [s.name for s in await self._services.all() if s.escalation_policy_id == policy_id]
        if using:
            raise ConflictError(
                f"Escalation policy '{policy_id}' is used by {', '.join(using)}.",
                suggestion="Point those services at another policy (updateService) first.",
            )
        await self._policies.delete(policy_id)
        await self._audit.deleted(principal, AuditResource.ESCALATION_POLICY, current)

    async def get(self, principal: Principal, policy_id: str) -> EscalationPolicy:
        principal.require(Action.READ)
        policy = await self._policies.get(policy_id)
        principal.require(Action.READ, policy.team)
        return policy

    async def all(self, principal: Principal) -> list[EscalationPolicy]:
        principal.require(Action.READ)
        return await self._policies.where(within_teams({}, principal))

    async def require_exists(self, principal: Principal, policy_id: str, *, field: str) -> None:
        """For services pointing at a policy: the id must name one the caller may read, so
        nobody routes their incidents to another team's people unseen."""
        principal.require(Action.READ)
        try:
            policy = await self._policies.get(policy_id)
        except NotFoundError:
            raise ValidationError(
                f"No escalation policy with id '{policy_id}'.",
                suggestion="List them with 'escalationPolicies', or create one first.",
                field=field,
            ) from None
        principal.require(Action.READ, policy.team)

    async def _require_targets(self, plan: Plan) -> None:
        for s, step in enumerate(plan.steps):
            for t, target in enumerate(step.targets):
                if target.kind is TargetKind.USER:
                    found = await self._users.by_id(target.id) is not None
                else:
                    found = bool(await self._schedules.where({"_id": target.id}))
                if not found:
                    raise ValidationError(
                        f"No {target.kind.value} with id '{target.id}'.",
                        suggestion=f"Check the id; list the {target.kind.value}s to find it.",
                        field=f"steps[{s}].targets[{t}].id",
                    )


class Escalations:
    """Responders' view of, and hand on, the escalation of their incidents: the incident's
    service's team decides, as for any response."""

    def __init__(
        self,
        *,
        engine: EscalationEngine,
        owners: ServiceOwners,
        runs: RunRepository,
        policies: PolicyRepository,
        incidents: IncidentRepository,
        services: ServiceRepository,
        users: UserRepository,
        targets: TargetResolver,
        clock: Clock,
    ) -> None:
        self._engine = engine
        self._owners = owners
        self._runs = runs
        self._policies = policies
        self._incidents = incidents
        self._services = services
        self._users = users
        self._targets = targets
        self._clock = clock

    async def current(
        self, principal: Principal, incident_ids: list[str]
    ) -> dict[str, EscalationRun]:
        """Each incident's latest run; incidents that never escalated are absent."""
        principal.require(Action.READ)
        return await self._runs.latest(incident_ids)

    async def escalate(self, principal: Principal, incident_id: str) -> Incident:
        """Fire the run's next step now instead of when its time is up."""
        principal.require(Action.READ)
        incident = await self._triggered(principal, incident_id, "escalated")
        run, target = await self._hurry(incident_id)
        await self._record(
            incident,
            principal.actor,
            TimelineKind.ESCALATED,
            f"Escalated by hand to step {target.step} (cycle {target.cycle}).",
            {"run_id": run.id, "cycle": target.cycle, "step": target.step},
        )
        await self._engine.publish(IncidentEventKind.ESCALATED, incident)
        return incident

    async def _hurry(self, incident_id: str) -> tuple[EscalationRun, Position]:
        """Make the run's next step due now; the run and that step.

        A worker may be firing the pending step this very moment (the run is leased):
        then the step after it is the one to hurry, or the worker would move the run
        on with the usual delay and the escalation would be lost.
        """
        for _ in range(3):
            run = (await self._runs.latest([incident_id])).get(incident_id)
            if run is None or run.state is not RunState.ACTIVE:
                raise InvalidTransitionError(
                    f"Incident '{incident_id}' has no escalation under way"
                    + (f" ({run.stopped_reason})." if run and run.stopped_reason else "."),
                    suggestion="Reassign it (reassignIncident) to page someone.",
                )
            now_ms = to_ms(self._clock.now())
            if await self._runs.hurry(run, now_ms):
                return run, run.position
            following = run.plan.after(run.position)
            if following is None:
                raise InvalidTransitionError(
                    f"Incident '{incident_id}' is at the last step of its escalation.",
                    suggestion="Reassign it (reassignIncident) to page someone else.",
                )
            if await self._runs.jump(run, following, now_ms):
                return run, following
        raise ConflictError(
            f"The escalation of incident '{incident_id}' kept moving on meanwhile.",
            suggestion="Fetch the incident's escalation again and retry if still needed.",
        )

    async def reassign(
        self,
        principal: Principal,
        incident_id: str,
        *,
        user_ids: list[str] | None = None,
        policy_id: str | None = None,
    ) -> Incident:
        """Stop the current escalation and start again with these people or this policy."""
        # RESPOND is checked in the incident's team (`_triggered`), after finding it.
        principal.require(Action.READ)
        incident = await self._triggered(principal, incident_id, "reassigned")
        if (user_ids is None) == (policy_id is None):
            raise ValidationError(
                "Reassign to either 'userIds' or 'policyId', not both or neither.",
                field="userIds" if user_ids is not None else "policyId",
            )
        if policy_id is not None:
            try:
                policy = await self._policies.get(policy_id)
            except NotFoundError:
                raise ValidationError(
                    f"No escalation policy with id '{policy_id}'.", field="policyId"
                ) from None
            principal.require(Action.READ, policy.team)
            plan, described = policy.plan, f"policy {policy.name}"
        else:
            assert user_ids is not None
            plan = await self._plan_for_users(user_ids)
            described = ", ".join(await self._engine.user_names(user_ids))
        run = await self._engine.restart(incident, policy_id, plan)
        await self._record(
            incident,
            principal.actor,
            TimelineKind.REASSIGNED,
            f"Reassigned to {described}.",
            {"run_id": run.id, "generation": run.generation, "policy_id": policy_id},
        )
        await self._engine.publish(IncidentEventKind.REASSIGNED, incident)
        return incident

    async def who_is_on_call(self, principal: Principal, service_id: str) -> list[User]:
        """Who the service's policy would page now: the first step with anyone."""
        principal.require(Action.READ)
        service = (await self._services.by_ids([service_id])).get(service_id)
        if service is None:
            raise NotFoundError(f"No service with id '{service_id}'.")
        principal.require(Action.READ, service.team)
        if service.escalation_policy_id is None:
            return []
        policy = (await self._policies.by_ids([service.escalation_policy_id])).get(
            service.escalation_policy_id
        )
        if policy is None:
            return []
        user_ids = await self._targets.first_with_someone(policy.plan.steps, self._clock.now())
        users = [await self._users.by_id(u) for u in user_ids]
        return [u for u in users if u is not None]

    async def _plan_for_users(self, user_ids: list[str]) -> Plan:
        if not 1 <= len(user_ids) <= MAX_REASSIGN_USERS:
            raise ValidationError(
                f"Reassign to between 1 and {MAX_REASSIGN_USERS} users.", field="userIds"
            )
        for index, user_id in enumerate(user_ids):
            if await self._users.by_id(user_id) is None:
                raise ValidationError(f"No user with id '{user_id}'.", field=f"userIds[{index}]")
        targets = tuple(Target(TargetKind.USER, u) for u in user_ids)
        return Plan(steps=(Step(targets=targets, escalate_after=_REASSIGNED_STEP_TIME),))

    async def _triggered(self, principal: Principal, incident_id: str, verb: str) -> Incident:
        incident = (await self._incidents.by_ids([incident_id])).get(incident_id)
        if incident is None:
            raise NotFoundError(f"No incident with id '{incident_id}'.")
        await self._owners.require(principal, Action.RESPOND, incident.service_id)
        if incident.status is not IncidentStatus.TRIGGERED:
            raise InvalidTransitionError(
                f"Incident '{incident_id}' is {incident.status.value}; only triggered "
                f"incidents can be {verb}.",
            )
        return incident

    async def _record(
        self,
        incident: Incident,
        actor: str,
        kind: TimelineKind,
        message: str,
        details: dict[str, object],
    ) -> None:
        await self._incidents.add_timeline(
            [
                TimelineEntry(
                    id=new_id(),
                    incident_id=incident.id,
                    at=self._clock.now(),
                    kind=kind,
                    actor=actor,
                    message=message,
                    details=details,
                )
            ]
        )
