"""Update templates name the incident and its service; a typo is refused when saved.
(The syntax itself: tests/domain/test_placeholders.py.)"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.alert.model import Severity
from domain.errors import ValidationError
from domain.incident.model import Incident, IncidentStatus
from domain.placeholders import render
from domain.stakeholder.model import TemplateDraft
from domain.stakeholder.placeholders import UPDATE_PLACEHOLDERS
from domain.stakeholder.templates import placeholder_values

T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
INCIDENT = Incident(
    id="65f0",
    number=42,
    title="Checkout p99 above 2s",
    status=IncidentStatus.ACKNOWLEDGED,
    severity=Severity.CRITICAL,
    service_id="s1",
    created_at=T0,
    first_event_at=T0,
    last_event_at=T0,
    alert_count=1,
    open_alert_count=1,
    acknowledged_at=T0,
)


def test_every_update_placeholder_has_a_value_of_the_incident() -> None:
    text = " ".join(f"{{{name}}}" for name in UPDATE_PLACEHOLDERS.names)
    rendered = render(UPDATE_PLACEHOLDERS.parse(text), placeholder_values(INCIDENT, "checkout"))
    assert rendered == "65f0 42 Checkout p99 above 2s acknowledged critical checkout"


def test_a_template_with_a_misspelt_placeholder_is_refused_when_saved() -> None:
    with pytest.raises(ValidationError) as raised:
        TemplateDraft(name="investigating", body="Still investigating {incident.titel}.")
    assert "Did you mean '{incident.title}'?" in raised.value.suggestion
    assert raised.value.field == "body"


def test_postmortem_facts_are_not_update_placeholders() -> None:
    with pytest.raises(ValidationError) as raised:
        TemplateDraft(name="done", body="Resolved after {time_to_resolve}.")
    assert "{service.name}" in raised.value.suggestion
