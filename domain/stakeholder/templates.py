"""Use cases for update templates: admins write them, anyone who reads may use them."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from domain.configured import ConfiguredDocuments
from domain.incident.model import Incident
from domain.placeholders import render
from domain.stakeholder.model import TemplateDraft, UpdateTemplate


def placeholder_values(incident: Incident, service_name: str) -> dict[str, str]:
    """What the names of domain/stakeholder/placeholders.py stand for."""
    return {
        "incident.id": incident.id,
        "incident.number": str(incident.number),
        "incident.title": incident.title,
        "incident.status": incident.status.value,
        "incident.severity": incident.severity.value,
        "service.name": service_name,
    }


class UpdateTemplates(ConfiguredDocuments[UpdateTemplate, TemplateDraft]):
    def _created(
        self, item_id: str, draft: TemplateDraft, actor: str, now: datetime
    ) -> UpdateTemplate:
        return UpdateTemplate(
            id=item_id,
            name=draft.name,
            body=draft.body,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )

    def _updated(
        self, current: UpdateTemplate, draft: TemplateDraft, now: datetime
    ) -> UpdateTemplate:
        return dataclasses.replace(current, name=draft.name, body=draft.body, updated_at=now)

    @staticmethod
    def render(template: UpdateTemplate, incident: Incident, service_name: str) -> str:
        return render(template.parts, placeholder_values(incident, service_name))
