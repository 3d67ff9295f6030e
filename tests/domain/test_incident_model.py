"""Incident lifecycle, filters and notes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import ErrorCode, InvalidTransitionError, ValidationError
from domain.incident.model import (
    OPEN_STATUSES,
    IncidentFilter,
    IncidentStatus,
    NoteDraft,
    check_transition,
    sources_of,
)

TRIGGERED = IncidentStatus.TRIGGERED
ACKNOWLEDGED = IncidentStatus.ACKNOWLEDGED
RESOLVED = IncidentStatus.RESOLVED

ALLOWED = {(TRIGGERED, ACKNOWLEDGED), (TRIGGERED, RESOLVED), (ACKNOWLEDGED, RESOLVED)}
ILLEGAL = {(a, b) for a in IncidentStatus for b in IncidentStatus} - ALLOWED


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_transitions_pass(current: IncidentStatus, target: IncidentStatus) -> None:
    check_transition("inc-1", current, target)


@pytest.mark.parametrize(("current", "target"), sorted(ILLEGAL))
def test_illegal_transitions_raise_invalid_transition(
    current: IncidentStatus, target: IncidentStatus
) -> None:
    with pytest.raises(InvalidTransitionError) as caught:
        check_transition("inc-42", current, target)
    error = caught.value
    assert error.code is ErrorCode.INVALID_TRANSITION
    assert error.extensions["code"] == "INVALID_TRANSITION"
    assert "inc-42" in error.message
    assert current.value in error.message and target.value in error.message
    assert error.suggestion


def test_illegal_transitions_include_reopening_and_self_transitions() -> None:
    assert (RESOLVED, TRIGGERED) in ILLEGAL
    assert (ACKNOWLEDGED, TRIGGERED) in ILLEGAL
    assert (TRIGGERED, TRIGGERED) in ILLEGAL
    assert len(ILLEGAL) == 6


def test_sources_of_each_status() -> None:
    assert sources_of(ACKNOWLEDGED) == ["triggered"]
    assert sorted(sources_of(RESOLVED)) == ["acknowledged", "triggered"]
    assert sources_of(TRIGGERED) == []


@pytest.mark.parametrize("target", list(IncidentStatus))
def test_sources_of_agrees_with_check_transition(target: IncidentStatus) -> None:
    for current in IncidentStatus:
        allowed = current.value in sources_of(target)
        if allowed:
            check_transition("inc-1", current, target)
        else:
            with pytest.raises(InvalidTransitionError):
                check_transition("inc-1", current, target)


def test_open_statuses_are_the_non_resolved_ones() -> None:
    assert [s.value for s in IncidentStatus if s.is_open] == OPEN_STATUSES
    assert not RESOLVED.is_open
    assert TRIGGERED.is_open and ACKNOWLEDGED.is_open


def test_empty_filter_matches_everything() -> None:
    assert IncidentFilter().to_query() == {}


def test_filter_by_statuses() -> None:
    query = IncidentFilter(statuses=(TRIGGERED, ACKNOWLEDGED)).to_query()
    assert query == {"status": {"$in": ["triggered", "acknowledged"]}}


def test_filter_by_service_ids() -> None:
    query = IncidentFilter(service_ids=("s1", "s2")).to_query()
    assert query == {"service_id": {"$in": ["s1", "s2"]}}
    assert isinstance(query["service_id"]["$in"], list)


def test_filter_since() -> None:
    since = datetime(2026, 11, 26, tzinfo=UTC)
    assert IncidentFilter(since=since).to_query() == {"created_at": {"$gte": since}}


def test_filter_combines_all_conditions() -> None:
    since = datetime(2026, 11, 26, tzinfo=UTC)
    query = IncidentFilter(statuses=(RESOLVED,), service_ids=("s1",), since=since).to_query()
    assert query == {
        "status": "resolved",  # one status: an equality, which the embedded store indexes
        "service_id": {"$in": ["s1"]},
        "created_at": {"$gte": since},
    }


def test_note_body_is_trimmed() -> None:
    assert NoteDraft("  rolled back deploy 41  \n").body == "rolled back deploy 41"


@pytest.mark.parametrize("body", ["", "   ", "\n"])
def test_empty_note_is_rejected(body: str) -> None:
    with pytest.raises(ValidationError) as caught:
        NoteDraft(body)
    assert caught.value.code is ErrorCode.VALIDATION
    assert caught.value.field == "body"


def test_note_of_10000_characters_is_accepted_and_one_more_is_rejected() -> None:
    assert len(NoteDraft("n" * 10000).body) == 10000
    with pytest.raises(ValidationError) as caught:
        NoteDraft("n" * 10001)
    assert caught.value.field == "body"
    assert "10000" in caught.value.message
