"""Stakeholder updates, stakeholder subscriptions and update templates."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.schema.access import context_of
from domain.contact.model import ContactKind
from domain.stakeholder import model
from domain.stakeholder.service import PostedUpdate
from domain.stakeholder.subscriptions import IssuedSubscription

strawberry.enum(model.Audience, name="StatusUpdateAudience")
strawberry.enum(model.UpdateState, name="StatusUpdateState")


@strawberry.type(description="A written update on an incident, for an audience.")
class StatusUpdate:
    id: strawberry.ID
    incident_id: strawberry.ID
    audience: model.Audience
    body: str
    state: model.UpdateState | None = strawberry.field(
        description="Where the work stands, as status pages say it; null: not said."
    )
    template_id: strawberry.ID | None
    author_id: strawberry.ID
    author: str = strawberry.field(description="'user:<name>', as on the timeline.")
    posted_at: datetime

    @classmethod
    def from_domain(cls, update: model.StatusUpdate) -> StatusUpdate:
        return cls(
            id=strawberry.ID(update.id),
            incident_id=strawberry.ID(update.incident_id),
            audience=update.audience,
            body=update.body,
            state=update.state,
            template_id=None if update.template_id is None else strawberry.ID(update.template_id),
            author_id=strawberry.ID(update.author_id),
            author=update.author,
            posted_at=update.posted_at,
        )


@strawberry.type
class PostedStatusUpdate:
    status_update: StatusUpdate
    notified: int = strawberry.field(
        description="Notifications queued: one per subscriber (INTERNAL, PUBLIC) or per "
        "contact method of the people on the incident (RESPONDERS)."
    )
    public_incidents: int | None = strawberry.field(
        description="PUBLIC: public incidents that got the update; null when no status page "
        "is connected or it failed."
    )

    @classmethod
    def from_domain(cls, posted: PostedUpdate) -> PostedStatusUpdate:
        return cls(
            status_update=StatusUpdate.from_domain(posted.update),
            notified=posted.notified,
            public_incidents=posted.public_incidents,
        )


@strawberry.type(description="Who receives INTERNAL and PUBLIC updates of an incident or service.")
class StakeholderSubscription:
    id: strawberry.ID
    incident_id: strawberry.ID | None
    service_id: strawberry.ID | None = strawberry.field(
        description="Set for a subscription to every incident of a service."
    )
    user_id: strawberry.ID | None = strawberry.field(
        description="The subscribed user; null for an outside stakeholder."
    )
    contact_method_id: strawberry.ID | None
    kind: ContactKind
    address: str | None = strawberry.field(description="An outside stakeholder's address.")
    name: str
    created_by: str
    created_at: datetime

    @classmethod
    def from_domain(cls, s: model.StakeholderSubscription) -> StakeholderSubscription:
        return cls(
            id=strawberry.ID(s.id),
            incident_id=None if s.incident_id is None else strawberry.ID(s.incident_id),
            service_id=None if s.service_id is None else strawberry.ID(s.service_id),
            user_id=None if s.user_id is None else strawberry.ID(s.user_id),
            contact_method_id=None
            if s.contact_method_id is None
            else strawberry.ID(s.contact_method_id),
            kind=s.kind,
            address=s.address,
            name=s.name,
            created_by=s.created_by,
            created_at=s.created_at,
        )


@strawberry.type(
    description="A new subscription. `signingSecret` (outside webhooks) is shown once."
)
class CreatedStakeholderSubscription:
    subscription: StakeholderSubscription
    signing_secret: str | None = strawberry.field(
        description="Outside WEBHOOK only: the HMAC-SHA256 key of the Vigil-Signature header."
    )

    @classmethod
    def from_domain(cls, issued: IssuedSubscription) -> CreatedStakeholderSubscription:
        return cls(
            subscription=StakeholderSubscription.from_domain(issued.subscription),
            signing_secret=issued.signing_secret,
        )


@strawberry.type
class StatusUpdateTemplate:
    id: strawberry.ID
    name: str
    body: str = strawberry.field(
        description="Text with placeholders: {incident.id}, {incident.number}, {incident.title}, "
        "{incident.status}, {incident.severity}, {service.name}; '{{' and '}}' are literal braces."
    )
    created_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(cls, template: model.UpdateTemplate) -> StatusUpdateTemplate:
        return cls(
            id=strawberry.ID(template.id),
            name=template.name,
            body=template.body,
            created_by=template.created_by,
            created_at=template.created_at,
            updated_at=template.updated_at,
        )


@strawberry.input
class PostStatusUpdateInput:
    incident_id: strawberry.ID
    audience: model.Audience
    body: str | None = strawberry.field(
        default=None, description="The text; leave it out to use templateId's."
    )
    template_id: strawberry.ID | None = strawberry.field(
        default=None, description="A template rendered for the incident, instead of body."
    )
    state: model.UpdateState | None = None

    def to_draft(self) -> model.StatusUpdateDraft:
        return model.StatusUpdateDraft(
            incident_id=self.incident_id,
            audience=self.audience,
            body=self.body,
            template_id=self.template_id,
            state=self.state,
        )


@strawberry.input(
    description="One of incidentId or serviceId; one of contactMethodId (a user's own) or "
    "kind with address (an outside stakeholder)."
)
class StakeholderSubscriptionInput:
    incident_id: strawberry.ID | None = None
    service_id: strawberry.ID | None = None
    contact_method_id: strawberry.ID | None = None
    kind: ContactKind | None = None
    address: str | None = None
    name: str = ""

    def to_draft(self) -> model.SubscriptionDraft:
        return model.SubscriptionDraft(
            incident_id=self.incident_id,
            service_id=self.service_id,
            contact_method_id=self.contact_method_id,
            kind=self.kind,
            address=self.address,
            name=self.name,
        )


@strawberry.input
class StatusUpdateTemplateInput:
    name: str
    body: str

    def to_draft(self) -> model.TemplateDraft:
        return model.TemplateDraft(name=self.name, body=self.body)


async def status_updates_of(info: strawberry.Info, incident_id: str) -> list[StatusUpdate]:
    updates = await context_of(info).loaders.status_updates.load(incident_id)
    return [StatusUpdate.from_domain(u) for u in updates]


@strawberry.type
class StakeholderQuery:
    @strawberry.field
    async def status_update_templates(self, info: strawberry.Info) -> list[StatusUpdateTemplate]:
        context = context_of(info)
        templates = await context.container.stakeholders.templates.all(context.principal)
        return [StatusUpdateTemplate.from_domain(t) for t in templates]

    @strawberry.field(description="A template rendered for an incident, as it would be posted.")
    async def render_status_update_template(
        self, info: strawberry.Info, id: strawberry.ID, incident_id: strawberry.ID
    ) -> str:
        context = context_of(info)
        return await context.container.stakeholders.updates.preview(
            context.principal, id, incident_id
        )

    @strawberry.field(
        description="Subscriptions to an incident, or to a service; neither given: all."
    )
    async def stakeholder_subscriptions(
        self,
        info: strawberry.Info,
        incident_id: strawberry.ID | None = None,
        service_id: strawberry.ID | None = None,
    ) -> list[StakeholderSubscription]:
        context = context_of(info)
        found = await context.container.stakeholders.subscriptions.listed(
            context.principal, incident_id=incident_id, service_id=service_id
        )
        return [StakeholderSubscription.from_domain(s) for s in found]


@strawberry.type
class StakeholderMutation:
    @strawberry.mutation(
        description="Post an update: stored, on the timeline, and sent to its audience."
    )
    async def post_status_update(
        self, info: strawberry.Info, input: PostStatusUpdateInput
    ) -> PostedStatusUpdate:
        context = context_of(info)
        posted = await context.container.stakeholders.updates.post(
            context.principal, input.to_draft()
        )
        return PostedStatusUpdate.from_domain(posted)

    @strawberry.mutation
    async def subscribe_stakeholder(
        self, info: strawberry.Info, input: StakeholderSubscriptionInput
    ) -> CreatedStakeholderSubscription:
        context = context_of(info)
        issued = await context.container.stakeholders.subscriptions.subscribe(
            context.principal, input.to_draft()
        )
        return CreatedStakeholderSubscription.from_domain(issued)

    @strawberry.mutation
    async def unsubscribe_stakeholder(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.stakeholders.subscriptions.unsubscribe(context.principal, id)
        return True

    @strawberry.mutation
    async def create_status_update_template(
        self, info: strawberry.Info, input: StatusUpdateTemplateInput
    ) -> StatusUpdateTemplate:
        context = context_of(info)
        template = await context.container.stakeholders.templates.create(
            context.principal, input.to_draft()
        )
        return StatusUpdateTemplate.from_domain(template)

    @strawberry.mutation
    async def update_status_update_template(
        self, info: strawberry.Info, id: strawberry.ID, input: StatusUpdateTemplateInput
    ) -> StatusUpdateTemplate:
        context = context_of(info)
        template = await context.container.stakeholders.templates.update(
            context.principal, id, input.to_draft()
        )
        return StatusUpdateTemplate.from_domain(template)

    @strawberry.mutation
    async def delete_status_update_template(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.stakeholders.templates.delete(context.principal, id)
        return True
