"""Use cases for postmortem templates: admins manage them, everyone may read them."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from domain.configured import ConfiguredDocuments
from domain.postmortem.templates import PostmortemTemplate, TemplateDraft


class PostmortemTemplates(ConfiguredDocuments[PostmortemTemplate, TemplateDraft]):
    """An update replaces the template whole; postmortems already created from it keep
    their text."""

    def _created(
        self, item_id: str, draft: TemplateDraft, actor: str, now: datetime
    ) -> PostmortemTemplate:
        return PostmortemTemplate(
            id=item_id,
            name=draft.name,
            description=draft.description,
            sections=draft.sections,
            created_at=now,
            updated_at=now,
        )

    def _updated(
        self, current: PostmortemTemplate, draft: TemplateDraft, now: datetime
    ) -> PostmortemTemplate:
        return dataclasses.replace(
            current,
            name=draft.name,
            description=draft.description,
            sections=draft.sections,
            updated_at=now,
        )
