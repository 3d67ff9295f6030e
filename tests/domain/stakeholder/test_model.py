"""Validation of status updates, subscriptions and templates, before anything is stored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.contact.model import ContactKind
from domain.errors import ValidationError
from domain.stakeholder.model import (
    MAX_BODY,
    Audience,
    StakeholderSubscription,
    StatusUpdateDraft,
    SubscriptionDraft,
    TemplateDraft,
    UpdateState,
)


def test_an_update_takes_its_text_from_body_and_trims_it() -> None:
    draft = StatusUpdateDraft(
        incident_id="i1",
        audience=Audience.INTERNAL,
        body="  Mitigated.  ",
        state=UpdateState.MONITORING,
    )
    assert draft.body == "Mitigated."
    assert draft.state is UpdateState.MONITORING


@pytest.mark.parametrize(
    ("body", "template_id"), [(None, None), ("Mitigated.", "t1")], ids=["neither", "both"]
)
def test_an_update_needs_exactly_one_of_body_and_template(
    body: str | None, template_id: str | None
) -> None:
    with pytest.raises(ValidationError, match="either 'body' or 'templateId'"):
        StatusUpdateDraft(
            incident_id="i1", audience=Audience.PUBLIC, body=body, template_id=template_id
        )


def test_an_empty_or_overlong_body_is_refused() -> None:
    with pytest.raises(ValidationError, match="must not be empty"):
        StatusUpdateDraft(incident_id="i1", audience=Audience.RESPONDERS, body="   ")
    with pytest.raises(ValidationError, match="limit is 10000"):
        StatusUpdateDraft(incident_id="i1", audience=Audience.RESPONDERS, body="x" * (MAX_BODY + 1))


def test_an_unknown_state_is_refused() -> None:
    with pytest.raises(ValueError):
        StatusUpdateDraft(incident_id="i1", audience=Audience.PUBLIC, body="x", state="fixed")  # type: ignore[arg-type]


def test_only_responders_updates_stay_off_the_subscribers() -> None:
    assert not Audience.RESPONDERS.reaches_subscribers
    assert Audience.INTERNAL.reaches_subscribers and Audience.PUBLIC.reaches_subscribers


def test_a_subscription_names_one_scope() -> None:
    with pytest.raises(ValidationError, match="'incidentId' or 'serviceId'"):
        SubscriptionDraft(contact_method_id="m1")
    with pytest.raises(ValidationError, match="'incidentId' or 'serviceId'"):
        SubscriptionDraft(incident_id="i1", service_id="s1", contact_method_id="m1")


def test_a_subscription_names_one_destination() -> None:
    with pytest.raises(ValidationError, match="'contactMethodId' or both"):
        SubscriptionDraft(incident_id="i1")
    with pytest.raises(ValidationError, match="'contactMethodId' or both"):
        SubscriptionDraft(
            incident_id="i1", contact_method_id="m1", kind=ContactKind.EMAIL, address="a@b.io"
        )
    with pytest.raises(ValidationError) as raised:
        SubscriptionDraft(service_id="s1", kind=ContactKind.EMAIL)
    assert raised.value.field == "address"


def test_an_outside_address_is_checked_for_its_kind() -> None:
    with pytest.raises(ValidationError, match="not an e-mail address"):
        SubscriptionDraft(incident_id="i1", kind=ContactKind.EMAIL, address="cto at example")
    with pytest.raises(ValidationError, match="http or https URL"):
        SubscriptionDraft(incident_id="i1", kind=ContactKind.WEBHOOK, address="ftp://x.example")
    draft = SubscriptionDraft(
        incident_id="i1", kind=ContactKind.EMAIL, address=" cto@example.com ", name="CTO"
    )
    assert draft.address == "cto@example.com"


def test_the_same_destination_has_the_same_key_whatever_the_case_of_its_address() -> None:
    def outside(address: str) -> StakeholderSubscription:
        return StakeholderSubscription(
            id="x",
            incident_id=None,
            service_id="s1",
            user_id=None,
            contact_method_id=None,
            kind=ContactKind.EMAIL,
            address=address,
            name="",
            signing_secret=None,
            created_by="user:admin",
            created_at=datetime(2026, 11, 26, tzinfo=UTC),
        )

    assert (
        outside("CTO@example.com").key
        == outside("cto@example.com").key
        == ("service:s1|email:cto@example.com")
    )


def test_a_template_with_an_unknown_placeholder_cannot_be_saved() -> None:
    with pytest.raises(ValidationError) as raised:
        TemplateDraft(name="Investigating", body="We are investigating {incident.tittle}.")
    assert "{incident.title}" in raised.value.suggestion
    with pytest.raises(ValidationError, match="'name' must not be empty"):
        TemplateDraft(name=" ", body="x")
