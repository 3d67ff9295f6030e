"""Use cases for contact methods and notification rules.

Users manage their own; admins (CONFIGURE) manage anyone's. The pager reads them
without a principal: it acts for the escalation engine, which has decided already.
"""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal, PrincipalKind
from domain.clock import Clock
from domain.contact.model import (
    ContactMethod,
    ContactMethodDraft,
    NotificationRule,
    NotificationRuleDraft,
)
from domain.contact.repository import ContactMethodRepository, NotificationRuleRepository
from domain.errors import NotFoundError, ValidationError
from domain.ids import new_id
from domain.user.repository import UserRepository

SIGNING_SECRET_PREFIX = "vws_"


@dataclass(frozen=True, slots=True)
class IssuedContactMethod:
    method: ContactMethod
    signing_secret: str | None
    """Webhooks only; shown once."""


@dataclass(frozen=True, slots=True)
class Notify:
    """One step of a user's plan: this method, this long after the page."""

    method: ContactMethod
    delay_minutes: int


class ContactBook:
    def __init__(
        self,
        *,
        methods: ContactMethodRepository,
        rules: NotificationRuleRepository,
        users: UserRepository,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._methods = methods
        self._audit = audit
        self._rules = rules
        self._users = users
        self._clock = clock

    async def methods_of(self, principal: Principal, user_id: str) -> list[ContactMethod]:
        _require_access(principal, user_id)
        return await self._methods.of_user(user_id)

    async def rules_of(self, principal: Principal, user_id: str) -> list[NotificationRule]:
        _require_access(principal, user_id)
        return await self._rules.of_user(user_id)

    async def method(self, principal: Principal, method_id: str) -> ContactMethod:
        # Checked before the lookup, so callers who may read nothing cannot probe ids.
        principal.require(Action.READ)
        method = await self._methods.get(method_id)
        _require_access(principal, method.user_id)
        return method

    async def create_method(
        self, principal: Principal, user_id: str, draft: ContactMethodDraft
    ) -> IssuedContactMethod:
        _require_access(principal, user_id)
        if await self._users.by_id(user_id) is None:
            raise NotFoundError(f"No user with id '{user_id}'.")
        secret = SIGNING_SECRET_PREFIX + secrets.token_urlsafe(32) if draft.kind.signed else None
        method = ContactMethod(
            id=new_id(),
            user_id=user_id,
            kind=draft.kind,
            address=draft.address,
            label=draft.label,
            signing_secret=secret,
            created_at=self._clock.now(),
        )
        await self._methods.insert(method)
        await self._audit.created(principal, AuditResource.CONTACT_METHOD, method)
        return IssuedContactMethod(method, secret)

    async def update_method(
        self, principal: Principal, method_id: str, *, address: str | None, label: str | None
    ) -> ContactMethod:
        """Change where a method sends, or its label; its kind and signing secret stay."""
        current = await self.method(principal, method_id)
        draft = ContactMethodDraft(
            kind=current.kind,
            address=current.address if address is None else address,
            label=current.label if label is None else label,
        )
        updated = dataclasses.replace(current, address=draft.address, label=draft.label)
        await self._methods.replace(updated)
        await self._audit.updated(principal, AuditResource.CONTACT_METHOD, current, updated)
        return updated

    async def delete_method(self, principal: Principal, method_id: str) -> None:
        """Delete a method and the rules that use it."""
        method = await self.method(principal, method_id)
        rules = await self._rules.where({"contact_method_id": method_id})
        await self._rules.delete_for_method(method_id)
        await self._methods.delete(method_id)
        for rule in rules:
            await self._audit.deleted(principal, AuditResource.NOTIFICATION_RULE, rule)
        await self._audit.deleted(principal, AuditResource.CONTACT_METHOD, method)

    async def create_rule(
        self, principal: Principal, draft: NotificationRuleDraft
    ) -> NotificationRule:
        method = await self._owned_method(principal, draft.contact_method_id)
        rule = NotificationRule(
            id=new_id(),
            user_id=method.user_id,
            contact_method_id=method.id,
            delay_minutes=draft.delay_minutes,
            created_at=self._clock.now(),
        )
        await self._rules.insert(rule)
        await self._audit.created(principal, AuditResource.NOTIFICATION_RULE, rule)
        return rule

    async def update_rule(
        self, principal: Principal, rule_id: str, draft: NotificationRuleDraft
    ) -> NotificationRule:
        principal.require(Action.READ)
        current = await self._rules.get(rule_id)
        _require_access(principal, current.user_id)
        method = await self._owned_method(principal, draft.contact_method_id)
        if method.user_id != current.user_id:
            raise _foreign_method(draft.contact_method_id)
        updated = dataclasses.replace(
            current, contact_method_id=method.id, delay_minutes=draft.delay_minutes
        )
        await self._rules.replace(updated)
        await self._audit.updated(principal, AuditResource.NOTIFICATION_RULE, current, updated)
        return updated

    async def delete_rule(self, principal: Principal, rule_id: str) -> None:
        principal.require(Action.READ)
        rule = await self._rules.get(rule_id)
        _require_access(principal, rule.user_id)
        await self._rules.delete(rule_id)
        await self._audit.deleted(principal, AuditResource.NOTIFICATION_RULE, rule)

    async def plan(self, user_id: str) -> list[Notify]:
        """How to notify a user of a page, earliest first.

        A user without rules is notified through every contact method at once, so a
        page never disappears because someone has not set up rules yet.
        """
        methods = {m.id: m for m in await self._methods.of_user(user_id)}
        rules = await self._rules.of_user(user_id)
        plan = [
            Notify(methods[r.contact_method_id], r.delay_minutes)
            for r in rules
            if r.contact_method_id in methods
        ]
        if not plan:
            plan = [Notify(method, 0) for method in methods.values()]
        return sorted(plan, key=lambda notify: notify.delay_minutes)

    async def find_method(self, method_id: str) -> ContactMethod | None:
        """For delivery: the method as it is now (None once deleted)."""
        found = await self._methods.where({"_id": method_id})
        return found[0] if found else None

    async def _owned_method(self, principal: Principal, method_id: str) -> ContactMethod:
        try:
            return await self.method(principal, method_id)
        except NotFoundError:
            raise _foreign_method(method_id) from None


def _require_access(principal: Principal, user_id: str) -> None:
    principal.require(Action.READ)
    if principal.kind is not PrincipalKind.USER or principal.id != user_id:
        principal.require(Action.CONFIGURE)


def _foreign_method(method_id: str) -> ValidationError:
    return ValidationError(
        f"No contact method '{method_id}' of this user.",
        suggestion="Create the contact method first, then a rule that names its id.",
        field="contactMethodId",
    )
