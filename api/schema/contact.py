"""Contact methods, notification rules and notifications (with their delivery log)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.schema.access import context_of
from domain.contact import model
from domain.contact.service import IssuedContactMethod
from notifications import outbox

strawberry.enum(model.ContactKind, name="ContactKind")
strawberry.enum(outbox.NotificationStatus, name="NotificationStatus")
strawberry.enum(outbox.AttemptOutcome, name="DeliveryOutcome")


@strawberry.type
class ContactMethod:
    id: strawberry.ID
    user_id: strawberry.ID
    kind: model.ContactKind
    address: str = strawberry.field(
        description="E-mail address, E.164 phone number (SMS) or webhook URL."
    )
    label: str
    created_at: datetime

    @classmethod
    def from_domain(cls, method: model.ContactMethod) -> ContactMethod:
        return cls(
            id=strawberry.ID(method.id),
            user_id=strawberry.ID(method.user_id),
            kind=method.kind,
            address=method.address,
            label=method.label,
            created_at=method.created_at,
        )


@strawberry.type(description="A new contact method. `signingSecret` (webhooks) is shown once.")
class CreatedContactMethod:
    contact_method: ContactMethod
    signing_secret: str | None = strawberry.field(
        description="WEBHOOK only: the HMAC-SHA256 key of the Vigil-Signature header."
    )

    @classmethod
    def from_domain(cls, issued: IssuedContactMethod) -> CreatedContactMethod:
        return cls(
            contact_method=ContactMethod.from_domain(issued.method),
            signing_secret=issued.signing_secret,
        )


@strawberry.type(description="Notify through a contact method, some minutes after a page.")
class NotificationRule:
    id: strawberry.ID
    user_id: strawberry.ID
    contact_method_id: strawberry.ID
    delay_minutes: int
    created_at: datetime

    @classmethod
    def from_domain(cls, rule: model.NotificationRule) -> NotificationRule:
        return cls(
            id=strawberry.ID(rule.id),
            user_id=strawberry.ID(rule.user_id),
            contact_method_id=strawberry.ID(rule.contact_method_id),
            delay_minutes=rule.delay_minutes,
            created_at=rule.created_at,
        )


@strawberry.type
class DeliveryAttempt:
    at: datetime
    outcome: outbox.AttemptOutcome
    error: str | None
    status_code: int | None = strawberry.field(
        description="The receiver's HTTP status or SMTP reply code, when it answered."
    )


@strawberry.type(description="One notification to one contact method, and every attempt.")
class Notification:
    id: strawberry.ID
    incident_id: strawberry.ID | None = strawberry.field(description="None for a test.")
    user_id: strawberry.ID | None = strawberry.field(
        description="None for an outside stakeholder (an address, not a user)."
    )
    status_update_id: strawberry.ID | None = strawberry.field(
        description="Set when this notification carries a stakeholder update, not a page."
    )
    contact_method_id: strawberry.ID | None = strawberry.field(
        description="None when the user had no contact method to page."
    )
    channel: model.ContactKind | None
    status: outbox.NotificationStatus
    step: int
    cycle: int
    send_after: datetime
    created_at: datetime
    last_error: str | None
    attempts: list[DeliveryAttempt]

    @classmethod
    def from_domain(cls, entry: outbox.OutboxEntry) -> Notification:
        return cls(
            id=strawberry.ID(entry.id),
            incident_id=None if entry.incident_id is None else strawberry.ID(entry.incident_id),
            user_id=strawberry.ID(entry.user_id) if entry.user_id else None,
            status_update_id=None
            if entry.update is None
            else strawberry.ID(entry.update.status_update_id),
            contact_method_id=None
            if entry.contact_method_id is None
            else strawberry.ID(entry.contact_method_id),
            channel=entry.kind,
            status=entry.status,
            step=entry.step,
            cycle=entry.cycle,
            send_after=entry.send_after,
            created_at=entry.created_at,
            last_error=entry.last_error,
            attempts=[
                DeliveryAttempt(
                    at=a.at, outcome=a.outcome, error=a.error, status_code=a.status_code
                )
                for a in entry.attempts
            ],
        )


@strawberry.input
class ContactMethodInput:
    kind: model.ContactKind
    address: str
    label: str = ""
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose method; default: the caller. Admins may name anyone."
    )

    def to_draft(self) -> model.ContactMethodDraft:
        return model.ContactMethodDraft(kind=self.kind, address=self.address, label=self.label)


@strawberry.input(description="Fields left out stay as they are; the kind never changes.")
class UpdateContactMethodInput:
    address: str | None = None
    label: str | None = None


@strawberry.input
class NotificationRuleInput:
    contact_method_id: strawberry.ID
    delay_minutes: int = strawberry.field(description="Minutes after the page, 0 to 1440.")

    def to_draft(self) -> model.NotificationRuleDraft:
        return model.NotificationRuleDraft(
            contact_method_id=self.contact_method_id, delay_minutes=self.delay_minutes
        )


@strawberry.type
class ContactQuery:
    @strawberry.field(description="A user's contact methods; default: the caller's.")
    async def contact_methods(
        self, info: strawberry.Info, user_id: strawberry.ID | None = None
    ) -> list[ContactMethod]:
        context = context_of(info)
        principal = context.principal
        methods = await context.container.notifications.contacts.methods_of(
            principal, user_id or principal.id
        )
        return [ContactMethod.from_domain(m) for m in methods]

    @strawberry.field(description="A user's notification rules; default: the caller's.")
    async def notification_rules(
        self, info: strawberry.Info, user_id: strawberry.ID | None = None
    ) -> list[NotificationRule]:
        context = context_of(info)
        principal = context.principal
        rules = await context.container.notifications.contacts.rules_of(
            principal, user_id or principal.id
        )
        return [NotificationRule.from_domain(r) for r in rules]


@strawberry.type
class ContactMutation:
    @strawberry.mutation
    async def create_contact_method(
        self, info: strawberry.Info, input: ContactMethodInput
    ) -> CreatedContactMethod:
        context = context_of(info)
        principal = context.principal
        issued = await context.container.notifications.contacts.create_method(
            principal, input.user_id or principal.id, input.to_draft()
        )
        return CreatedContactMethod.from_domain(issued)

    @strawberry.mutation
    async def update_contact_method(
        self, info: strawberry.Info, id: strawberry.ID, input: UpdateContactMethodInput
    ) -> ContactMethod:
        context = context_of(info)
        method = await context.container.notifications.contacts.update_method(
            context.principal, id, address=input.address, label=input.label
        )
        return ContactMethod.from_domain(method)

    @strawberry.mutation(description="Deletes the method and the rules that use it.")
    async def delete_contact_method(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.notifications.contacts.delete_method(context.principal, id)
        return True

    @strawberry.mutation
    async def create_notification_rule(
        self, info: strawberry.Info, input: NotificationRuleInput
    ) -> NotificationRule:
        context = context_of(info)
        rule = await context.container.notifications.contacts.create_rule(
            context.principal, input.to_draft()
        )
        return NotificationRule.from_domain(rule)

    @strawberry.mutation
    async def update_notification_rule(
        self, info: strawberry.Info, id: strawberry.ID, input: NotificationRuleInput
    ) -> NotificationRule:
        context = context_of(info)
        rule = await context.container.notifications.contacts.update_rule(
            context.principal, id, input.to_draft()
        )
        return NotificationRule.from_domain(rule)

    @strawberry.mutation
    async def delete_notification_rule(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.notifications.contacts.delete_rule(context.principal, id)
        return True

    @strawberry.mutation(
        description="Send a test through a contact method now; the result has its first attempt."
    )
    async def send_test_notification(
        self, info: strawberry.Info, contact_method_id: strawberry.ID
    ) -> Notification:
        context = context_of(info)
        entry = await context.container.notifications.center.send_test(
            context.principal, contact_method_id
        )
        return Notification.from_domain(entry)
