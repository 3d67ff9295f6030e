"""Status page types validate themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.contact.model import ContactKind
from domain.errors import ValidationError
from domain.statuspage.model import (
    ScheduledMaintenance,
    StatusPage,
    Subscriber,
    SubscriberKind,
    SubscriberState,
    require_subscriber_address,
)

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def test_pages_need_a_slug_and_a_title() -> None:
    with pytest.raises(ValidationError) as bad_slug:
        StatusPage("p", "Not a slug", "Acme", "", NOW)
    assert bad_slug.value.field == "slug"
    with pytest.raises(ValidationError) as no_title:
        StatusPage("p", "acme", "  ", "", NOW)
    assert no_title.value.field == "title"


def test_maintenance_ends_after_it_starts() -> None:
    with pytest.raises(ValidationError) as caught:
        ScheduledMaintenance("m", "p", "Upgrade", "", NOW, NOW, (), NOW)
    assert caught.value.field == "endsAt"
    window = ScheduledMaintenance("m", "p", "Upgrade", "", NOW, NOW + timedelta(hours=1), (), NOW)
    assert window.active_at(NOW) and not window.active_at(NOW + timedelta(hours=1))


def test_subscriber_addresses_are_checked_by_kind() -> None:
    assert (
        require_subscriber_address(SubscriberKind.EMAIL, " Ann@Example.COM ") == "ann@example.com"
    )
    with pytest.raises(ValidationError):
        require_subscriber_address(SubscriberKind.EMAIL, "not-an-address")
    hook = "https://hooks.example.com/status"
    assert require_subscriber_address(SubscriberKind.WEBHOOK, hook) == hook
    with pytest.raises(ValidationError):
        require_subscriber_address(SubscriberKind.WEBHOOK, "ftp://example.com")


def test_a_subscriber_is_sent_to_like_a_contact_method() -> None:
    subscriber = Subscriber(
        "s",
        "p",
        SubscriberKind.WEBHOOK,
        "https://h.example.com/x",
        SubscriberState.PENDING,
        "secret",
        NOW,
    )
    method = subscriber.as_contact_method()
    assert (method.kind, method.address, method.signing_secret) == (
        ContactKind.WEBHOOK,
        "https://h.example.com/x",
        "secret",
    )
    assert not subscriber.confirmed
