"""What a page says, before any channel shapes it."""

from __future__ import annotations

from notifications.outbox import PageContent
from notifications.templates import SMS_LIMIT, Message

ACK = "https://vigil.example.com/ack/" + "a" * 120


def message(title: str, *, incident_id: str | None = "i1") -> Message:
    content = PageContent(incident_id, 42, title, "critical", "checkout", 3)
    return Message(
        content=content,
        incident_url=None if incident_id is None else "https://vigil.example.com/warroom#incident=i1",
        ack_url=None if incident_id is None else ACK,
        notification_id="n1",
    )


def test_a_page_carries_number_severity_service_alerts_and_links() -> None:
    text = message("Checkout errors").text
    assert text.startswith("#42 [CRITICAL] Checkout errors\n")
    for line in ("Severity: critical", "Service: checkout", "Alerts: 3", f"Acknowledge: {ACK}"):
        assert line in text


def test_an_sms_cuts_the_headline_and_keeps_the_whole_ack_link() -> None:
    short = message("x" * 500).short
    head, link = short.split(" Ack: ")
    assert link == ACK
    assert head.endswith("…")
    assert len(head) <= SMS_LIMIT
    assert message("Checkout errors").short.startswith("#42 [CRITICAL] Checkout errors Ack: ")


def test_a_test_notification_links_nowhere() -> None:
    test = message("ignored", incident_id=None)
    assert test.headline == "Vigil test notification"
    assert test.links == []
    assert "Ack:" not in test.short
