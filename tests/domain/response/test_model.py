"""Validation of roles, types, custom fields and the response state of an incident."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from domain.errors import ValidationError
from domain.incident.model import IncidentFilter, TimelineKind
from domain.response.model import (
    FieldDefinition,
    FieldDraft,
    FieldKind,
    FieldValueInput,
    IncidentResponse,
    NamedDraft,
    Priority,
    RoleHolder,
    name_key,
)
from domain.response.timeline import TimelineFilter

AT = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
REGION = FieldDefinition(
    id="f1", name="Region", kind=FieldKind.CHOICE, choices=("EU", "US"), description=""
)
CUSTOMERS = FieldDefinition(
    id="f2", name="Customers", kind=FieldKind.NUMBER, choices=(), description=""
)
SUMMARY = FieldDefinition(id="f3", name="Summary", kind=FieldKind.TEXT, choices=(), description="")


def fails(field: str) -> pytest.RaisesExc[ValidationError]:
    return pytest.raises(ValidationError, check=lambda e: e.field == field)


def test_names_are_trimmed_and_required() -> None:
    assert NamedDraft("  Security  ").name == "Security"
    with fails("name"):
        NamedDraft("   ")
    with fails("name"):
        NamedDraft("x" * 101)
    with fails("description"):
        NamedDraft("ok", "d" * 1001)


def test_name_keys_ignore_case_and_spacing() -> None:
    assert name_key("Incident  Commander") == name_key("incident commander")


def test_choice_fields_need_distinct_choices_and_others_none() -> None:
    assert FieldDraft("Region", FieldKind.CHOICE, (" EU", "US")).choices == ("EU", "US")
    with fails("choices"):
        FieldDraft("Region", FieldKind.CHOICE)
    with fails("choices"):
        FieldDraft("Region", FieldKind.CHOICE, ("EU", "EU"))
    with fails("choices"):
        FieldDraft("Region", FieldKind.CHOICE, tuple(str(i) for i in range(51)))
    with fails("choices"):
        FieldDraft("Customers", FieldKind.NUMBER, ("1",))
    with fails("choices[1]"):
        FieldDraft("Region", FieldKind.CHOICE, ("EU", " "))


def test_values_are_checked_against_their_definition() -> None:
    assert REGION.check(FieldValueInput(choice="EU")) == "EU"
    assert CUSTOMERS.check(FieldValueInput(number=12)) == 12.0
    assert SUMMARY.check(FieldValueInput(text="  db down ")) == "db down"
    with pytest.raises(ValidationError, match="not a choice") as caught:
        REGION.check(FieldValueInput(choice="Mars"))
    assert caught.value.field == "value.choice"
    assert caught.value.suggestion == "Send one of: EU, US."
    with fails("value.number"):
        CUSTOMERS.check(FieldValueInput(number=math.inf))
    with fails("value.number"):
        CUSTOMERS.check(FieldValueInput(text="12"))
    with fails("value.text"):
        SUMMARY.check(FieldValueInput())
    with fails("value.text"):
        SUMMARY.check(FieldValueInput(text="x", number=1))
    with fails("value.text"):
        SUMMARY.check(FieldValueInput(text="x" * 2001))


def test_a_role_holder_becomes_a_responder_once() -> None:
    alice = RoleHolder(user_id="alice", assigned_at=AT, assigned_by="user:admin")
    bob = RoleHolder(user_id="bob", assigned_at=AT, assigned_by="user:admin")
    response = IncidentResponse().with_responder("alice").with_holder("scribe", alice)
    assert response.responders == ("alice",)
    replaced = response.with_holder("scribe", bob).with_holder("incident_commander", bob)
    assert replaced.roles == {"scribe": bob, "incident_commander": bob}
    assert replaced.responders == ("alice", "bob")
    assert replaced.roles_of("bob") == ["scribe", "incident_commander"]


def test_a_leaving_responder_gives_up_their_roles() -> None:
    alice = RoleHolder(user_id="alice", assigned_at=AT, assigned_by="user:admin")
    bob = RoleHolder(user_id="bob", assigned_at=AT, assigned_by="user:admin")
    response = IncidentResponse().with_holder("scribe", alice).with_holder("lead", bob)
    left = response.without_responder("alice")
    assert left.responders == ("bob",)
    assert left.roles == {"lead": bob}
    assert response.without_role("lead").roles == {"scribe": alice}


def test_response_state_round_trips_through_its_document() -> None:
    holder = RoleHolder(user_id="alice", assigned_at=AT, assigned_by="user:admin")
    response = IncidentResponse(
        priority=Priority.P2,
        type_id="t1",
        roles={"scribe": holder},
        responders=("alice",),
        custom_fields={"f1": "EU", "f2": 3.0},
    )
    assert IncidentResponse.from_document(response.to_document()) == response
    # Incidents stored before responses existed read as an empty response.
    assert IncidentResponse.from_document({}) == IncidentResponse()


def test_filters_become_store_queries() -> None:
    where = TimelineFilter(kinds=("note_added",), pinned_only=True)  # type: ignore[arg-type]
    assert where.kinds == (TimelineKind.NOTE_ADDED,)
    assert where.to_query() == {"kind": {"$in": ["note_added"]}, "pinned": "yes"}
    assert TimelineFilter().to_query() == {}
    incidents = IncidentFilter(priorities=("P1",))  # type: ignore[arg-type]
    assert incidents.to_query() == {"priority": {"$in": ["P1"]}}
