"""Responders come from the timeline alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain.incident.model import TimelineEntry, TimelineKind
from domain.postmortem.model import Responder
from domain.postmortem.responders import people_named, responders_of

T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def entry(
    minute: int, kind: TimelineKind, actor: str, details: dict[str, Any] | None = None
) -> TimelineEntry:
    return TimelineEntry(
        id=f"e{minute}",
        incident_id="i1",
        at=T0 + timedelta(minutes=minute),
        kind=kind,
        actor=actor,
        message="",
        details=details or {},
    )


TIMELINE = [
    entry(0, TimelineKind.OPENED, "system:ingest"),
    entry(1, TimelineKind.PAGED, "system:escalation", {"user_ids": ["u-ann", "u-bob"]}),
    entry(2, TimelineKind.STATUS_CHANGED, "user:ann", {"status": "acknowledged"}),
    entry(3, TimelineKind.ROLE_ASSIGNED, "user:ann", {"user_id": "u-cy", "role": "commander"}),
    entry(4, TimelineKind.RESPONDER_ADDED, "user:cy", {"user_id": "u-dee"}),
    entry(5, TimelineKind.NOTE_ADDED, "user:dee", {}),
    entry(6, TimelineKind.NOTE_ADDED, "integration_key:prometheus", {}),
    entry(7, TimelineKind.STATUS_CHANGED, "user:cy", {"status": "resolved"}),
    entry(8, TimelineKind.NOTE_ADDED, "user:gone", {}),
]
NAMES = {"u-ann": "ann", "u-bob": "bob", "u-cy": "cy", "u-dee": "dee"}


def test_people_named_lists_ids_and_names_to_look_up() -> None:
    ids, names = people_named(TIMELINE)
    assert ids == {"u-ann", "u-bob", "u-cy", "u-dee"}
    assert names == {"ann", "dee", "cy", "gone"}


def test_each_person_once_in_order_with_everything_they_did() -> None:
    responders = responders_of(
        reversed(TIMELINE), names_by_id=NAMES, ids_by_name={v: k for k, v in NAMES.items()}
    )
    assert responders == (
        Responder("u-ann", "ann", ("paged", "acknowledged")),
        Responder("u-bob", "bob", ("paged",)),
        Responder("u-cy", "cy", ("role: commander", "resolved")),
        Responder("u-dee", "dee", ("responder", "wrote a note")),
        Responder(None, "gone", ("wrote a note",)),
    )


def test_integration_keys_and_the_system_are_not_responders() -> None:
    only_machines = [TIMELINE[0], TIMELINE[6]]
    assert responders_of(only_machines, names_by_id={}, ids_by_name={}) == ()
