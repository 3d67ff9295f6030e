"""Each kind of contact method checks its address the way its channel needs it."""

from __future__ import annotations

import pytest

from domain.contact.model import ContactKind, ContactMethodDraft, NotificationRuleDraft
from domain.errors import ValidationError


@pytest.mark.parametrize(
    ("kind", "given", "kept"),
    [
        (ContactKind.EMAIL, " oncall@example.com ", "oncall@example.com"),
        (ContactKind.SMS, "+49 151 2345-6789", "+4915123456789"),
        (ContactKind.SMS, "+1 (415) 555-0100", "+14155550100"),
        (ContactKind.SLACK, "https://hooks.slack.com/services/T0/B0/X", None),
        (ContactKind.TEAMS, "https://example.webhook.office.com/webhookb2/abc", None),
        (ContactKind.WEBHOOK, "http://127.0.0.1:9000/hook", None),
    ],
)
def test_valid_addresses_are_kept_normalised(
    kind: ContactKind, given: str, kept: str | None
) -> None:
    draft = ContactMethodDraft(kind=kind, address=given)
    assert draft.address == (kept or given)
    assert draft.label == kind.value


@pytest.mark.parametrize(
    ("kind", "address", "hint"),
    [
        (ContactKind.EMAIL, "oncall", "oncall@example.com"),
        (ContactKind.EMAIL, "a@b", "oncall@example.com"),
        (ContactKind.EMAIL, "two words@example.com", "oncall@example.com"),
        (ContactKind.SMS, "015123456789", "country code"),
        (ContactKind.SMS, "+0123456789", "country code"),
        (ContactKind.SMS, "+49 151 CALL ME", "country code"),
        (ContactKind.SMS, "+1234567890123456", "country code"),
        (ContactKind.SLACK, "hooks.slack.com/services/x", "hooks.slack.com"),
        (ContactKind.TEAMS, "ftp://example.com/x", "Workflows"),
        (ContactKind.WEBHOOK, "https://", "https://hooks.example.com"),
        (ContactKind.WEBHOOK, "https://example.com/" + "x" * 2048, "https://hooks.example.com"),
    ],
)
def test_invalid_addresses_name_the_field_and_suggest_a_fix(
    kind: ContactKind, address: str, hint: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        ContactMethodDraft(kind=kind, address=address)
    assert raised.value.field == "address"
    assert hint in raised.value.suggestion


def test_a_long_label_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        ContactMethodDraft(kind=ContactKind.EMAIL, address="a@example.com", label="x" * 101)
    assert raised.value.field == "label"


@pytest.mark.parametrize("minutes", [-1, 1441])
def test_rule_delays_stay_within_a_day(minutes: int) -> None:
    with pytest.raises(ValidationError) as raised:
        NotificationRuleDraft(contact_method_id="m", delay_minutes=minutes)
    assert raised.value.field == "delayMinutes"


def test_only_webhooks_are_signed() -> None:
    assert [k for k in ContactKind if k.signed] == [ContactKind.WEBHOOK]
