"""Postmortem templates: the first text of the standard sections, and extra sections.

A template's text may name facts of the incident as placeholders (the syntax of every
template, domain/placeholders.py), filled in when a postmortem is created from it:
``{incident.title}``, ``{incident.number}``, ``{incident.resolution_note}``,
``{impact.start}``, ``{impact.end}``, ``{impact.duration}``, ``{time_to_acknowledge}`` and
``{time_to_resolve}``; ``{{`` and ``}}`` are literal braces. An unknown placeholder is
refused when the template is saved, with the closest known one suggested.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from domain.errors import ValidationError
from domain.placeholders import Placeholders, render
from domain.postmortem.model import (
    MAX_SECTION_BODY,
    MAX_SECTION_TITLE,
    MAX_SECTIONS,
    STANDARD_SECTIONS,
    Section,
    require_section_key,
)
from domain.store.database import Document
from domain.store.timestamps import from_ms, to_ms
from domain.validation import require_text

_STANDARD_TITLES = dict(STANDARD_SECTIONS)
POSTMORTEM_PLACEHOLDERS = Placeholders(
    (
        "incident.title",
        "incident.number",
        "incident.resolution_note",
        "impact.start",
        "impact.end",
        "impact.duration",
        "time_to_acknowledge",
        "time_to_resolve",
    )
)
MAX_NAME = 100
MAX_DESCRIPTION = 1000


@dataclass(frozen=True, slots=True)
class PostmortemTemplate:
    id: str
    name: str
    description: str
    sections: tuple[Section, ...]
    """Standard keys give their first text; other keys are added after the standard ones."""
    created_at: datetime
    updated_at: datetime

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "description": self.description,
            "sections": [s.to_document() for s in self.sections],
            "created_ms": to_ms(self.created_at),
            "updated_ms": to_ms(self.updated_at),
        }

    @classmethod
    def from_document(cls, doc: Document) -> PostmortemTemplate:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            description=doc.get("description", ""),
            sections=tuple(Section.from_document(s) for s in doc["sections"]),
            created_at=from_ms(doc["created_ms"]),
            updated_at=from_ms(doc["updated_ms"]),
        )


@dataclass(frozen=True, slots=True)
class TemplateSectionDraft:
    key: str
    body: str
    title: str | None = None
    """Needed for a key that is not a standard section; a standard one keeps its title."""


@dataclass(frozen=True, slots=True)
class TemplateDraft:
    name: str
    description: str
    sections: tuple[Section, ...]

    @classmethod
    def of(
        cls, *, name: str, description: str, sections: list[TemplateSectionDraft]
    ) -> TemplateDraft:
        if len(sections) > MAX_SECTIONS:
            raise ValidationError(
                f"A template has at most {MAX_SECTIONS} sections.", field="sections"
            )
        checked: list[Section] = []
        for index, draft in enumerate(sections):
            where = f"sections[{index}]"
            key = require_section_key(draft.key, field=f"{where}.key")
            if any(s.key == key for s in checked):
                raise ValidationError(
                    f"{where}: section '{key}' appears twice.", field=f"{where}.key"
                )
            title = draft.title or _STANDARD_TITLES.get(key)
            if title is None:
                raise ValidationError(
                    f"{where}: '{key}' is not a standard section, so it needs a title.",
                    suggestion="Give the extra section a 'title'.",
                    field=f"{where}.title",
                )
            checked.append(
                Section(
                    key=key,
                    title=require_text(title, field=f"{where}.title", max_length=MAX_SECTION_TITLE),
                    body=_checked_body(draft.body, field=f"{where}.body"),
                )
            )
        return cls(
            name=require_text(name, field="name", max_length=MAX_NAME),
            description=require_text(
                description, field="description", max_length=MAX_DESCRIPTION, allow_empty=True
            ),
            sections=tuple(checked),
        )


def _checked_body(body: str, *, field: str) -> str:
    text = require_text(body, field=field, max_length=MAX_SECTION_BODY, allow_empty=True)
    POSTMORTEM_PLACEHOLDERS.parse(text, field=field)
    return text


def sections_from(template: PostmortemTemplate | None, facts: Mapping[str, str]) -> list[Section]:
    """The standard sections in their order, with the template's texts, then its extras.

    `facts` gives a value to each name of POSTMORTEM_PLACEHOLDERS the texts use."""
    given = {} if template is None else {s.key: s for s in template.sections}
    sections = [
        Section(key, given[key].title if key in given else title, "")
        for key, title in STANDARD_SECTIONS
    ]
    extras = [s for s in given.values() if s.key not in _STANDARD_TITLES]
    return [
        Section(
            s.key,
            s.title,
            render(POSTMORTEM_PLACEHOLDERS.parse(given[s.key].body), facts)
            if s.key in given
            else "",
        )
        for s in [*sections, *extras]
    ]
