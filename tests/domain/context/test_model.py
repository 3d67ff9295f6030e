"""How much context a request may ask for, and the duration of a past incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.alert.model import Severity
from domain.context.model import ContextRequest, duration_of
from domain.errors import ValidationError
from domain.incident.model import Incident, IncidentStatus

AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_defaults_suit_a_responder_just_paged() -> None:
    request = ContextRequest()

    assert (request.change_window, request.similar, request.history) == (timedelta(hours=1), 5, 5)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"change_window": timedelta(seconds=30)}, "changeWindowMinutes"),
        ({"change_window": timedelta(days=8)}, "changeWindowMinutes"),
        ({"similar": -1}, "similar"),
        ({"similar": 21}, "similar"),
        ({"history": 51}, "history"),
    ],
)
def test_out_of_range_requests_name_their_argument(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        ContextRequest(**changes)  # type: ignore[arg-type]

    assert raised.value.field == field


def test_duration_runs_from_opened_to_resolved() -> None:
    incident = Incident(
        id="i",
        number=1,
        title="t",
        status=IncidentStatus.RESOLVED,
        severity=Severity.ERROR,
        service_id="s",
        created_at=AT,
        first_event_at=AT - timedelta(minutes=2),
        last_event_at=AT,
        alert_count=1,
        open_alert_count=0,
        resolved_at=AT + timedelta(minutes=42),
    )

    assert duration_of(incident) == timedelta(minutes=42)
