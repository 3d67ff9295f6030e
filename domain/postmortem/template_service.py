"""Use cases for postmortem templates: admins manage them, everyone may read them."""

from __future__ import annotations

from domain.auth import Action, Principal
from domain.clock import Clock
from domain.ids import new_id
from domain.postmortem.templates import PostmortemTemplate, TemplateDraft
from domain.store.documents import DocumentRepository


class PostmortemTemplates:
    def __init__(self, *, repository: DocumentRepository[PostmortemTemplate], clock: Clock) -> None:
        self._repository = repository
        self._clock = clock

    async def all(self, principal: Principal) -> list[PostmortemTemplate]:
        principal.require(Action.READ)
        return await self._repository.all()

    async def get(self, principal: Principal, template_id: str) -> PostmortemTemplate:
        principal.require(Action.READ)
        return await self._repository.get(template_id)

    async def create(self, principal: Principal, draft: TemplateDraft) -> PostmortemTemplate:
        principal.require(Action.CONFIGURE)
        now = self._clock.now()
        template = PostmortemTemplate(
            id=new_id(),
            name=draft.name,
            description=draft.description,
            sections=draft.sections,
            created_at=now,
            updated_at=now,
        )
        await self._repository.insert(template)
        return template

    async def update(
        self, principal: Principal, template_id: str, draft: TemplateDraft
    ) -> PostmortemTemplate:
        """Replace the template whole; postmortems already created from it keep their text."""
        principal.require(Action.CONFIGURE)
        current = await self._repository.get(template_id)
        template = PostmortemTemplate(
            id=current.id,
            name=draft.name,
            description=draft.description,
            sections=draft.sections,
            created_at=current.created_at,
            updated_at=self._clock.now(),
        )
        await self._repository.replace(template)
        return template

    async def delete(self, principal: Principal, template_id: str) -> None:
        principal.require(Action.CONFIGURE)
        await self._repository.delete(template_id)
