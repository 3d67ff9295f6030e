"""Templates give the first texts of sections, with the incident's facts filled in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import ValidationError
from domain.postmortem.model import STANDARD_SECTIONS
from domain.postmortem.templates import (
    POSTMORTEM_PLACEHOLDERS,
    PostmortemTemplate,
    TemplateDraft,
    TemplateSectionDraft,
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
        TemplateSectionDraft("summary", "{incident.title} lasted { impact.duration }."),
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


def test_every_placeholder_is_filled_and_doubled_braces_are_literal() -> None:
    text = " ".join(f"{{{name}}}" for name in POSTMORTEM_PLACEHOLDERS.names)
    facts = {name: name.upper() for name in POSTMORTEM_PLACEHOLDERS.names}
    chosen = template(TemplateSectionDraft("impact", f"{text} {{{{incident.title}}}}"))
    impact = sections_from(chosen, facts)[1]
    assert impact.key == "impact"
    assert impact.body == " ".join(facts.values()) + " {incident.title}"


def test_a_misspelt_placeholder_is_refused_when_saved_with_the_closest_one_suggested() -> None:
    with pytest.raises(ValidationError) as raised:
        template(
            TemplateSectionDraft("summary", "{incident.title}"),
            TemplateSectionDraft("impact", "Lasted {impact.durration}."),
        )
    assert "{impact.durration}" in raised.value.message
    assert "Did you mean '{impact.duration}'?" in raised.value.suggestion
    assert raised.value.field == "sections[1].body"


def test_update_placeholders_and_stray_braces_are_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        template(TemplateSectionDraft("summary", "On {service.name}."))
    assert "{time_to_resolve}" in raised.value.suggestion
    with pytest.raises(ValidationError, match="unmatched"):
        template(TemplateSectionDraft("summary", "a { b"))


def test_a_template_checks_its_sections() -> None:
    with pytest.raises(ValidationError) as raised:
        template(TemplateSectionDraft("extra", "text"))
    assert raised.value.field == "sections[0].title"
    with pytest.raises(ValidationError) as raised:
        template(TemplateSectionDraft("summary", "a"), TemplateSectionDraft("summary", "b"))
    assert raised.value.field == "sections[1].key"
    with pytest.raises(ValidationError):
        TemplateDraft.of(name=" ", description="", sections=[])
