"""Postmortems, their action items and templates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.schema.access import context_of
from api.schema.enums import Severity, TimelineKind
from api.schema.pagination import Connection, connection
from domain.alert.model import Severity as DomainSeverity
from domain.postmortem import action_items as items_model
from domain.postmortem import model
from domain.postmortem.templates import PostmortemTemplate as DomainTemplate
from domain.postmortem.templates import TemplateDraft, TemplateSectionDraft
from domain.store.pagination import DEFAULT_PAGE_SIZE, PageRequest

if TYPE_CHECKING:
    from api.schema.incident import Incident

strawberry.enum(model.PostmortemState, name="PostmortemState")
strawberry.enum(items_model.ActionItemStatus, name="ActionItemStatus")


@strawberry.type
class PostmortemSection:
    key: str = strawberry.field(description="Stable key, e.g. 'root_cause'.")
    title: str
    body: str = strawberry.field(description="Markdown.")


@strawberry.type(description="A copy of an incident timeline entry, taken at creation.")
class PostmortemTimelineEntry:
    at: datetime
    kind: TimelineKind
    actor: str
    message: str


@strawberry.type
class PostmortemAlert:
    id: strawberry.ID
    summary: str
    service: str
    severity: Severity
    occurred_at: datetime
    resolved_at: datetime | None
    count: int


@strawberry.type(description="Someone the incident's timeline names as taking part.")
class PostmortemResponder:
    user_id: strawberry.ID | None
    name: str
    involvement: list[str] = strawberry.field(
        description="What they did: acknowledged, resolved, wrote a note, paged, "
        "responder, 'role: <role>'."
    )


@strawberry.type
class PostmortemMetrics:
    opened_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime
    time_to_acknowledge_seconds: int | None = strawberry.field(
        description="From opening to acknowledgement; null if never acknowledged."
    )
    time_to_resolve_seconds: int = strawberry.field(description="From opening to resolution.")
    impact_start: datetime = strawberry.field(description="Event time of the first alert.")
    impact_end: datetime = strawberry.field(description="Resolution.")
    impact_seconds: int


@strawberry.type
class ActionItem:
    id: strawberry.ID
    postmortem_id: strawberry.ID
    incident_id: strawberry.ID = strawberry.field(description="The postmortem's incident.")
    linked_incident_ids: list[strawberry.ID] = strawberry.field(
        description="Other incidents the same work addresses."
    )
    title: str
    owner_id: strawberry.ID
    due_date: date | None
    status: items_model.ActionItemStatus
    overdue: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(cls, item: items_model.ActionItem, today: date) -> ActionItem:
        return cls(
            id=strawberry.ID(item.id),
            postmortem_id=strawberry.ID(item.postmortem_id),
            incident_id=strawberry.ID(item.incident_id),
            linked_incident_ids=[strawberry.ID(i) for i in item.linked_incident_ids],
            title=item.title,
            owner_id=strawberry.ID(item.owner_id),
            due_date=item.due_on,
            status=item.status,
            overdue=item.overdue(today),
            created_at=item.created_at,
            updated_at=item.updated_at,
        )


def _seconds(span: timedelta) -> int:
    return int(span.total_seconds())


@strawberry.type
class Postmortem:
    id: strawberry.ID
    incident_id: strawberry.ID
    incident_number: int
    title: str
    state: model.PostmortemState
    template_id: strawberry.ID | None
    sections: list[PostmortemSection]
    timeline: list[PostmortemTimelineEntry]
    alerts: list[PostmortemAlert]
    responders: list[PostmortemResponder]
    metrics: PostmortemMetrics
    created_at: datetime
    created_by: str
    updated_at: datetime
    published_at: datetime | None

    @strawberry.field
    async def incident(
        self, info: strawberry.Info
    ) -> Annotated[Incident, strawberry.lazy("api.schema.incident")] | None:
        from api.schema.incident import Incident

        found = await context_of(info).loaders.incident.load(self.incident_id)
        return None if found is None else Incident.from_domain(found)

    @strawberry.field
    async def action_items(self, info: strawberry.Info) -> list[ActionItem]:
        context = context_of(info)
        found = await context.loaders.action_items.load(self.id)
        today = context.container.postmortems.action_items.today()
        return [ActionItem.from_domain(i, today) for i in found]

    @strawberry.field(
        description="The whole postmortem as Markdown (also GET /postmortems/<id>.md)."
    )
    async def markdown(self, info: strawberry.Info) -> str:
        context = context_of(info)
        return await context.container.postmortems.desk.markdown(context.principal, self.id)

    @classmethod
    def from_domain(cls, postmortem: model.Postmortem) -> Postmortem:
        metrics = postmortem.metrics
        tta = metrics.time_to_acknowledge
        return cls(
            id=strawberry.ID(postmortem.id),
            incident_id=strawberry.ID(postmortem.incident_id),
            incident_number=postmortem.incident_number,
            title=postmortem.title,
            state=postmortem.state,
            template_id=None
            if postmortem.template_id is None
            else strawberry.ID(postmortem.template_id),
            sections=[
                PostmortemSection(key=s.key, title=s.title, body=s.body)
                for s in postmortem.sections
            ],
            timeline=[
                PostmortemTimelineEntry(at=t.at, kind=t.kind, actor=t.actor, message=t.message)
                for t in postmortem.timeline
            ],
            alerts=[
                PostmortemAlert(
                    id=strawberry.ID(a.id),
                    summary=a.summary,
                    service=a.service,
                    severity=DomainSeverity(a.severity),
                    occurred_at=a.occurred_at,
                    resolved_at=a.resolved_at,
                    count=a.count,
                )
                for a in postmortem.alerts
            ],
            responders=[
                PostmortemResponder(
                    user_id=None if r.user_id is None else strawberry.ID(r.user_id),
                    name=r.name,
                    involvement=list(r.involvement),
                )
                for r in postmortem.responders
            ],
            metrics=PostmortemMetrics(
                opened_at=metrics.opened_at,
                acknowledged_at=metrics.acknowledged_at,
                resolved_at=metrics.resolved_at,
                time_to_acknowledge_seconds=None if tta is None else _seconds(tta),
                time_to_resolve_seconds=_seconds(metrics.time_to_resolve),
                impact_start=metrics.impact_start,
                impact_end=metrics.impact_end,
                impact_seconds=_seconds(metrics.impact_duration),
            ),
            created_at=postmortem.created_at,
            created_by=postmortem.created_by,
            updated_at=postmortem.updated_at,
            published_at=postmortem.published_at,
        )


@strawberry.type
class PostmortemTemplate:
    id: strawberry.ID
    name: str
    description: str
    sections: list[PostmortemSection]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(cls, template: DomainTemplate) -> PostmortemTemplate:
        return cls(
            id=strawberry.ID(template.id),
            name=template.name,
            description=template.description,
            sections=[
                PostmortemSection(key=s.key, title=s.title, body=s.body) for s in template.sections
            ],
            created_at=template.created_at,
            updated_at=template.updated_at,
        )


@strawberry.input(description="New text for one section; a new key adds a section.")
class PostmortemSectionInput:
    key: str
    body: str
    title: str | None = strawberry.field(
        default=None, description="Needed for a new, non-standard section; renames otherwise."
    )


@strawberry.input(description="Fields left out stay as they are.")
class UpdatePostmortemInput:
    title: str | None = None
    sections: list[PostmortemSectionInput] | None = None

    def to_domain(self) -> model.PostmortemEdit:
        return model.PostmortemEdit(
            title=self.title,
            sections=tuple(
                model.SectionEdit(key=s.key, body=s.body, title=s.title)
                for s in self.sections or ()
            ),
        )


@strawberry.input
class ActionItemInput:
    title: str
    owner_id: strawberry.ID
    due_date: date | None = None
    status: items_model.ActionItemStatus = items_model.ActionItemStatus.OPEN
    linked_incident_ids: list[strawberry.ID] | None = None

    def to_domain(self) -> items_model.ActionItemDraft:
        return items_model.ActionItemDraft(
            title=self.title,
            owner_id=self.owner_id,
            due_on=self.due_date,
            status=self.status,
            linked_incident_ids=tuple(self.linked_incident_ids or ()),
        )


@strawberry.input(description="Fields left out stay as they are.")
class UpdateActionItemInput:
    title: str | None = None
    owner_id: strawberry.ID | None = None
    due_date: date | None = None
    clear_due_date: bool = False
    status: items_model.ActionItemStatus | None = None
    linked_incident_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Replaces the linked incidents."
    )

    def to_domain(self) -> items_model.ActionItemChange:
        return items_model.ActionItemChange(
            title=self.title,
            owner_id=self.owner_id,
            due_on=self.due_date,
            clear_due=self.clear_due_date,
            status=self.status,
            linked_incident_ids=None
            if self.linked_incident_ids is None
            else tuple(self.linked_incident_ids),
        )


@strawberry.input
class ActionItemFilter:
    owner_id: strawberry.ID | None = None
    status: list[items_model.ActionItemStatus] | None = None
    overdue: bool | None = strawberry.field(
        default=None,
        description="true: open or in progress with a due date before today (UTC); "
        "false: the others.",
    )
    incident_id: strawberry.ID | None = strawberry.field(
        default=None, description="Items of this incident's postmortem or linked to it."
    )
    postmortem_id: strawberry.ID | None = None

    def to_domain(self) -> items_model.ActionItemFilter:
        return items_model.ActionItemFilter(
            owner_id=self.owner_id,
            statuses=tuple(self.status or ()),
            overdue=self.overdue,
            incident_id=self.incident_id,
            postmortem_id=self.postmortem_id,
        )


@strawberry.input
class PostmortemTemplateSectionInput:
    key: str
    body: str = ""
    title: str | None = strawberry.field(
        default=None, description="Needed for a section that is not one of the standard seven."
    )


@strawberry.input
class PostmortemTemplateInput:
    name: str
    description: str = ""
    sections: list[PostmortemTemplateSectionInput] = strawberry.field(default_factory=list)

    def to_domain(self) -> TemplateDraft:
        return TemplateDraft.of(
            name=self.name,
            description=self.description,
            sections=[
                TemplateSectionDraft(key=s.key, body=s.body, title=s.title) for s in self.sections
            ],
        )


@strawberry.type
class PostmortemQuery:
    @strawberry.field
    async def postmortem(self, info: strawberry.Info, id: strawberry.ID) -> Postmortem:
        context = context_of(info)
        return Postmortem.from_domain(
            await context.container.postmortems.desk.get(context.principal, id)
        )

    @strawberry.field(description="Newest first.")
    async def postmortems(
        self,
        info: strawberry.Info,
        state: model.PostmortemState | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Postmortem]:
        context = context_of(info)
        page = await context.container.postmortems.desk.page(
            context.principal, state, PageRequest(first=first, after=after)
        )
        return connection(page, Postmortem.from_domain)

    @strawberry.field(description="Action items across every postmortem, newest first.")
    async def action_items(
        self,
        info: strawberry.Info,
        filter: ActionItemFilter | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[ActionItem]:
        context = context_of(info)
        items = context.container.postmortems.action_items
        page = await items.page(
            context.principal,
            (filter or ActionItemFilter()).to_domain(),
            PageRequest(first=first, after=after),
        )
        today = items.today()
        return connection(page, lambda item: ActionItem.from_domain(item, today))

    @strawberry.field
    async def postmortem_templates(self, info: strawberry.Info) -> list[PostmortemTemplate]:
        context = context_of(info)
        found = await context.container.postmortems.templates.all(context.principal)
        return [PostmortemTemplate.from_domain(t) for t in found]


@strawberry.type
class PostmortemMutation:
    @strawberry.mutation(
        description="A draft postmortem for a resolved incident, prefilled from it "
        "(timeline, alerts, responders, times) and from the template, if one is named."
    )
    async def create_postmortem(
        self,
        info: strawberry.Info,
        incident_id: strawberry.ID,
        template_id: strawberry.ID | None = None,
    ) -> Postmortem:
        context = context_of(info)
        created = await context.container.postmortems.desk.create(
            context.principal, incident_id, template_id
        )
        return Postmortem.from_domain(created)

    @strawberry.mutation(description="Edit a draft or a postmortem in review.")
    async def update_postmortem(
        self, info: strawberry.Info, id: strawberry.ID, input: UpdatePostmortemInput
    ) -> Postmortem:
        context = context_of(info)
        updated = await context.container.postmortems.desk.update(
            context.principal, id, input.to_domain()
        )
        return Postmortem.from_domain(updated)

    @strawberry.mutation(
        description="DRAFT -> IN_REVIEW -> PUBLISHED, or IN_REVIEW -> DRAFT. Publishing adds "
        "an entry to the incident's timeline."
    )
    async def change_postmortem_state(
        self, info: strawberry.Info, id: strawberry.ID, state: model.PostmortemState
    ) -> Postmortem:
        context = context_of(info)
        changed = await context.container.postmortems.desk.change_state(
            context.principal, id, state
        )
        return Postmortem.from_domain(changed)

    @strawberry.mutation
    async def create_action_item(
        self, info: strawberry.Info, postmortem_id: strawberry.ID, input: ActionItemInput
    ) -> ActionItem:
        context = context_of(info)
        items = context.container.postmortems.action_items
        item = await items.create(context.principal, postmortem_id, input.to_domain())
        return ActionItem.from_domain(item, items.today())

    @strawberry.mutation
    async def update_action_item(
        self, info: strawberry.Info, id: strawberry.ID, input: UpdateActionItemInput
    ) -> ActionItem:
        context = context_of(info)
        items = context.container.postmortems.action_items
        item = await items.update(context.principal, id, input.to_domain())
        return ActionItem.from_domain(item, items.today())

    @strawberry.mutation
    async def delete_action_item(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.postmortems.action_items.delete(context.principal, id)
        return True

    @strawberry.mutation(description="Admins only.")
    async def create_postmortem_template(
        self, info: strawberry.Info, input: PostmortemTemplateInput
    ) -> PostmortemTemplate:
        context = context_of(info)
        template = await context.container.postmortems.templates.create(
            context.principal, input.to_domain()
        )
        return PostmortemTemplate.from_domain(template)

    @strawberry.mutation(description="Admins only. Replaces the template whole.")
    async def update_postmortem_template(
        self, info: strawberry.Info, id: strawberry.ID, input: PostmortemTemplateInput
    ) -> PostmortemTemplate:
        context = context_of(info)
        template = await context.container.postmortems.templates.update(
            context.principal, id, input.to_domain()
        )
        return PostmortemTemplate.from_domain(template)

    @strawberry.mutation(description="Admins only.")
    async def delete_postmortem_template(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        context = context_of(info)
        await context.container.postmortems.templates.delete(context.principal, id)
        return True


async def postmortem_of(info: strawberry.Info, incident_id: str) -> Postmortem | None:
    """For the Incident type's `postmortem` field."""
    found = await context_of(info).loaders.postmortem.load(incident_id)
    return None if found is None else Postmortem.from_domain(found)
