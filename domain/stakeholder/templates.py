"""Use cases for update templates: admins write them, anyone who reads may use them."""

from __future__ import annotations

import dataclasses

from domain.auth import Action, Principal
from domain.clock import Clock
from domain.ids import new_id
from domain.incident.model import Incident
from domain.stakeholder.model import TemplateDraft, UpdateTemplate
from domain.stakeholder.placeholders import render
from domain.stakeholder.repository import TemplateRepository


def placeholder_values(incident: Incident, service_name: str) -> dict[str, str]:
    return {
        "incident.id": incident.id,
        "incident.number": str(incident.number),
        "incident.title": incident.title,
        "incident.status": incident.status.value,
        "incident.severity": incident.severity.value,
        "service.name": service_name,
    }


class UpdateTemplates:
    def __init__(self, *, repository: TemplateRepository, clock: Clock) -> None:
        self._repository = repository
        self._clock = clock

    async def all(self, principal: Principal) -> list[UpdateTemplate]:
        principal.require(Action.READ)
        return await self._repository.all()

    async def get(self, principal: Principal, template_id: str) -> UpdateTemplate:
        principal.require(Action.READ)
        return await self._repository.get(template_id)

    async def create(self, principal: Principal, draft: TemplateDraft) -> UpdateTemplate:
        principal.require(Action.CONFIGURE)
        now = self._clock.now()
        template = UpdateTemplate(
            id=new_id(),
            name=draft.name,
            body=draft.body,
            created_by=principal.actor,
            created_at=now,
            updated_at=now,
        )
        await self._repository.add(template)
        return template

    async def update(
        self, principal: Principal, template_id: str, draft: TemplateDraft
    ) -> UpdateTemplate:
        principal.require(Action.CONFIGURE)
        current = await self._repository.get(template_id)
        changed = dataclasses.replace(
            current, name=draft.name, body=draft.body, updated_at=self._clock.now()
        )
        await self._repository.change(changed)
        return changed

    async def delete(self, principal: Principal, template_id: str) -> None:
        principal.require(Action.CONFIGURE)
        await self._repository.delete(template_id)

    @staticmethod
    def render(template: UpdateTemplate, incident: Incident, service_name: str) -> str:
        return render(template.parts, placeholder_values(incident, service_name))
