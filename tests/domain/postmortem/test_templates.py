"""Templates give the first texts of sections, with the incident's facts filled in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import ValidationError
from domain.postmortem.model import STANDARD_SECTIONS
from domain.postmortem.templates import (
    PostmortemTemplate,
    TemplateDraft,
    TemplateSectionDraft,
    fill_placeholders,
    sections_from,
)

T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def template(*sections: TemplateSectionDraft) -> PostmortemTemplate:
    draft = TemplateDraft.of(name="SEV1", description="", sections=list(sections))
    return PostmortemTemplate("t1", draft.name, draft.description, draft.sections, T0, T0)


def test_without_template_the_seven_standard_sections_are_empty() -> None:
    sections = sections_from(None, {})
    assert [(s.key, s.title, s.body) for s in sections] == [
        (key, title, "") for key, title in STANDARD_SECTIONS
    ]


def test_template_texts_fill_standard_sections_and_extras_come_last() -> None:
    chosen = template(
        TemplateSectionDraft("timeline_review", "Walk the timeline.", "Timeline review"),
        TemplateSectionDraft("summary", "{{incident.title}} lasted {{impact.duration}}."),
    )
    sections = sections_from(
        chosen, {"incident.title": "checkout down", "impact.duration": "12m 0s"}
    )
    assert sections[0].body == "checkout down lasted 12m 0s."
    assert sections[0].title == "Summary"
    assert (sections[-1].key, sections[-1].title, sections[-1].body) == (
        "timeline_review",
        "Timeline review",
        "Walk the timeline.",
    )
    assert len(sections) == len(STANDARD_SECTIONS) + 1


def test_unknown_placeholders_stay_as_written() -> None:
    assert fill_placeholders("{{nope}} {x} {{ incident.number }}", {"incident.number": "7"}) == (
        "{{nope}} {x} 7"
    )


def test_a_template_checks_its_sections() -> None:
    with pytest.raises(ValidationError) as raised:
        template(TemplateSectionDraft("extra", "text"))
    assert raised.value.field == "sections[0].title"
    with pytest.raises(ValidationError) as raised:
        template(TemplateSectionDraft("summary", "a"), TemplateSectionDraft("summary", "b"))
    assert raised.value.field == "sections[1].key"
    with pytest.raises(ValidationError):
        TemplateDraft.of(name=" ", description="", sections=[])
