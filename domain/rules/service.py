"""Use cases for event rules, including a dry run."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from domain.alert.model import AlertDraft
from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.ids import new_id
from domain.noise.controls import NoiseControls, reshape
from domain.rules.model import EventRule, RuleDraft
from domain.store.documents import DocumentRepository


@dataclass(frozen=True, slots=True)
class DryRun:
    rule: EventRule | None
    alert: AlertDraft
    """The alert as the rule leaves it."""
    service: str | None
    suppressed: bool


class EventRules:
    def __init__(
        self,
        *,
        repository: DocumentRepository[EventRule],
        noise: NoiseControls,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._audit = audit
        self._noise = noise
        self._clock = clock

    async def ordered(self, principal: Principal) -> list[EventRule]:
        principal.require(Action.READ)
        return sorted(await self._repository.all(), key=lambda r: (r.position, r.id))

    async def create(self, principal: Principal, draft: RuleDraft) -> EventRule:
        principal.require(Action.CONFIGURE)
        rule = await self._place(principal, new_id(), draft, self._clock.now())
        await self._audit.created(principal, AuditResource.EVENT_RULE, rule)
        return rule

    async def update(self, principal: Principal, rule_id: str, draft: RuleDraft) -> EventRule:
        principal.require(Action.CONFIGURE)
        existing = await self._repository.get(rule_id)
        if draft.position is None:
            draft = dataclasses.replace(draft, position=existing.position)
        await self._repository.delete(rule_id)
        rule = await self._place(principal, rule_id, draft, existing.created_at)
        await self._audit.updated(principal, AuditResource.EVENT_RULE, existing, rule)
        return rule

    async def delete(self, principal: Principal, rule_id: str) -> None:
        principal.require(Action.CONFIGURE)
        existing = await self._repository.get(rule_id)
        await self._repository.delete(rule_id)
        await self._renumber(await self.ordered(principal))
        # Other rules moving up a position follow from this entry; they get none of their own.
        await self._audit.deleted(principal, AuditResource.EVENT_RULE, existing)

    async def dry_run(self, principal: Principal, draft: AlertDraft) -> DryRun:
        """Which rule a sample alert would hit, and what it would become. Writes nothing."""
        principal.require(Action.READ)
        config = await self._noise.config()
        rule = config.first_rule(draft, draft.service)
        route = rule.actions.route_to if rule else None
        return DryRun(
            rule=rule,
            alert=reshape(draft, rule),
            service=route or draft.service,
            suppressed=bool(rule and rule.actions.suppress),
        )

    async def _place(
        self, principal: Principal, rule_id: str, draft: RuleDraft, created_at: datetime
    ) -> EventRule:
        rules = await self.ordered(principal)
        position = len(rules) if draft.position is None else min(draft.position, len(rules))
        rule = EventRule(
            id=rule_id,
            name=draft.name,
            position=position,
            matchers=draft.matchers,
            actions=draft.actions,
            created_by=principal.actor,
            created_at=created_at,
        )
        rules.insert(position, rule)
        await self._repository.insert(rule)
        await self._renumber(rules)
        return rule

    async def _renumber(self, rules: list[EventRule]) -> None:
        """Positions stay 0..n-1 in order."""
        for position, rule in enumerate(rules):
            if rule.position != position:
                await self._repository.replace(
                    EventRule(
                        id=rule.id,
                        name=rule.name,
                        position=position,
                        matchers=rule.matchers,
                        actions=rule.actions,
                        created_by=rule.created_by,
                        created_at=rule.created_at,
                    )
                )
        self._noise.invalidate()
