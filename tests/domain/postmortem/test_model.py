"""Review states and section edits of postmortems."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidTransitionError, ValidationError
from domain.incident.model import TimelineKind
from domain.postmortem.model import (
    STANDARD_SECTIONS,
    AlertItem,
    Metrics,
    Postmortem,
    PostmortemState,
    Responder,
    SectionEdit,
    TimelineItem,
    apply_edits,
    check_state_change,
    standard_sections,
    state_sources,
)

T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def test_review_goes_forward_and_back_but_published_is_final() -> None:
    allowed = {
        (PostmortemState.DRAFT, PostmortemState.IN_REVIEW),
        (PostmortemState.IN_REVIEW, PostmortemState.DRAFT),
        (PostmortemState.IN_REVIEW, PostmortemState.PUBLISHED),
    }
    for current in PostmortemState:
        for target in PostmortemState:
            if (current, target) in allowed:
                check_state_change("p", current, target)
            else:
                with pytest.raises(InvalidTransitionError) as raised:
                    check_state_change("p", current, target)
                assert raised.value.suggestion
    assert state_sources(PostmortemState.PUBLISHED) == ["in_review"]
    assert state_sources(PostmortemState.DRAFT) == ["in_review"]


def test_edits_rewrite_known_sections_and_append_new_ones() -> None:
    sections = apply_edits(
        standard_sections(),
        [
            SectionEdit(key="root_cause", body="  a full disk  "),
            SectionEdit(key="customer_comms", body="Status page at 10:05", title="Customer comms"),
        ],
    )
    keys = [s.key for s in sections]
    assert keys == [key for key, _ in STANDARD_SECTIONS] + ["customer_comms"]
    root = next(s for s in sections if s.key == "root_cause")
    assert (root.title, root.body) == ("Root cause", "a full disk")
    assert sections[-1].title == "Customer comms"


def test_a_new_section_needs_a_title_and_keys_are_checked() -> None:
    with pytest.raises(ValidationError) as raised:
        apply_edits(standard_sections(), [SectionEdit(key="extra", body="x")])
    assert raised.value.field == "sections[0].title"
    with pytest.raises(ValidationError):
        SectionEdit(key="Root Cause", body="x")


def test_a_postmortem_round_trips_through_its_document() -> None:
    postmortem = Postmortem(
        id="p1",
        incident_id="i1",
        incident_number=7,
        incident_title="checkout down",
        title="Postmortem: #7 checkout down",
        state=PostmortemState.IN_REVIEW,
        template_id=None,
        sections=tuple(standard_sections()),
        timeline=(TimelineItem(T0, TimelineKind.OPENED, "system:ingest", "Opened."),),
        alerts=(AlertItem("a1", "5xx", "checkout", "critical", T0, None, 3),),
        responders=(Responder("u1", "ann", ("acknowledged",)),),
        metrics=Metrics(
            opened_at=T0 + timedelta(seconds=5),
            acknowledged_at=T0 + timedelta(minutes=2),
            resolved_at=T0 + timedelta(minutes=30),
            impact_start=T0,
        ),
        created_at=T0 + timedelta(hours=1),
        created_by="user:ann",
        updated_at=T0 + timedelta(hours=1),
    )
    assert Postmortem.from_document(postmortem.to_document()) == postmortem


def test_metrics_measure_from_opening_and_impact_from_the_first_alert() -> None:
    metrics = Metrics(
        opened_at=T0 + timedelta(seconds=30),
        acknowledged_at=T0 + timedelta(minutes=3),
        resolved_at=T0 + timedelta(minutes=45),
        impact_start=T0,
    )
    assert metrics.time_to_acknowledge == timedelta(minutes=2, seconds=30)
    assert metrics.time_to_resolve == timedelta(minutes=44, seconds=30)
    assert metrics.impact_duration == timedelta(minutes=45)
    never_acked = Metrics(T0, None, T0 + timedelta(minutes=1), T0 + timedelta(minutes=2))
    assert never_acked.time_to_acknowledge is None
    assert never_acked.impact_duration == timedelta(0)
