"""What subscribers are told: every message carries its unsubscribe link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.statuspage import messages
from domain.statuspage.model import (
    Impact,
    PublicIncident,
    PublicIncidentState,
    PublicUpdate,
    ScheduledMaintenance,
    StatusPage,
)

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
PAGE = StatusPage("p1", "acme", "Acme", "", NOW)
URL = messages.page_url("https://status.example.com/", PAGE)
LEAVE = "https://status.example.com/status/acme/unsubscribe/t"


def test_the_page_url_is_built_on_the_public_url() -> None:
    assert URL == "https://status.example.com/status/acme"


def test_an_update_names_its_state_body_and_affected_components() -> None:
    incident = PublicIncident(
        "i1",
        PAGE.id,
        "Login errors",
        Impact.MAJOR,
        PublicIncidentState.IDENTIFIED,
        (),
        "internal",
        NOW,
        NOW,
    )
    update = PublicUpdate(
        "u1", "i1", PAGE.id, "Fix rolling out", PublicIncidentState.IDENTIFIED, NOW, "user:a"
    )
    message = messages.incident_update(PAGE, URL, incident, update, ["API"], LEAVE)
    assert message.subject == "[Acme] Login errors: Identified"
    assert "Identified: Fix rolling out" in message.text
    assert "Affected: API" in message.text
    assert f"Unsubscribe: {LEAVE}" in message.text
    assert message.data["links"]["unsubscribe"] == LEAVE
    assert "internal" not in str(message) and "user:a" not in str(message)


def test_confirmation_and_maintenance_carry_the_unsubscribe_link_too() -> None:
    confirm = messages.confirmation(PAGE, URL, "https://c", LEAVE)
    assert "Confirm the subscription: https://c" in confirm.text
    window = ScheduledMaintenance(
        "m1", PAGE.id, "Upgrade", "", NOW, NOW + timedelta(hours=2), (), NOW
    )
    planned = messages.maintenance_scheduled(PAGE, URL, window, [], LEAVE)
    assert "2026-11-26 09:30 to 2026-11-26 11:30 UTC" in planned.text
    for message in (confirm, planned):
        assert f"Unsubscribe: {LEAVE}" in message.text
