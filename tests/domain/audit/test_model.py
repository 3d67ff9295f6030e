"""Audit entries check their shape and can never hold a secret."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.audit.model import AuditAction, AuditActor, AuditEntry, AuditFilter, AuditResource
from domain.audit.redaction import REDACTED, is_sensitive_field, redacted
from domain.auth import PrincipalKind
from domain.errors import ValidationError
from domain.secrets import SecretKind, generate_secret
from domain.store.timestamps import to_ms

ACTOR = AuditActor(PrincipalKind.USER, "u1", "ada")
AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def entry(
    action: AuditAction,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
    *,
    at: datetime = AT,
) -> AuditEntry:
    return AuditEntry(
        id="e1",
        actor=ACTOR,
        action=action,
        resource_type=AuditResource.INTEGRATION_KEY,
        resource_id="k1",
        resource_name="prometheus",
        before=before,
        after=after,
        at=at,
    )


@pytest.mark.parametrize(
    ("action", "before", "after"),
    [
        (AuditAction.CREATE, {"name": "a"}, {"name": "a"}),
        (AuditAction.CREATE, None, None),
        (AuditAction.UPDATE, None, {"name": "a"}),
        (AuditAction.UPDATE, {"name": "a"}, None),
        (AuditAction.DELETE, None, None),
        (AuditAction.DELETE, {"name": "a"}, {"name": "a"}),
    ],
)
def test_before_and_after_must_match_the_action(
    action: AuditAction, before: dict[str, object] | None, after: dict[str, object] | None
) -> None:
    with pytest.raises(ValidationError):
        entry(action, before, after)


def test_time_must_be_aware_and_is_kept_in_utc() -> None:
    with pytest.raises(ValidationError):
        entry(AuditAction.CREATE, None, {"name": "a"}, at=datetime(2026, 11, 26, 12, 0))
    berlin = AT.astimezone(timezone(timedelta(hours=1)))
    made = entry(AuditAction.CREATE, None, {"name": "a"}, at=berlin)
    assert made.at == AT and made.at.tzinfo is UTC


def test_secret_fields_are_redacted_on_construction_whatever_their_depth() -> None:
    made = entry(
        AuditAction.UPDATE,
        {"name": "a", "secret_hash": "ab12", "signing_secret": None},
        {
            "name": "a",
            "secret_hash": "cd34",
            "channels": [{"signing_secret": "vws_x", "url": "https://example.com"}],
            "settings": {"api_token": "t", "password": "p", "token_id": "tok1"},
        },
    )
    assert made.before == {"name": "a", "secret_hash": REDACTED, "signing_secret": None}
    assert made.after == {
        "name": "a",
        "secret_hash": REDACTED,
        "channels": [{"signing_secret": REDACTED, "url": "https://example.com"}],
        "settings": {"api_token": REDACTED, "password": REDACTED, "token_id": "tok1"},
    }


def test_values_that_are_vigil_secrets_are_redacted_wherever_they_sit() -> None:
    secrets = [generate_secret(kind) for kind in SecretKind]
    made = entry(AuditAction.CREATE, None, {"description": secrets[0], "labels": secrets[1:]})
    assert made.after == {"description": REDACTED, "labels": [REDACTED] * (len(secrets) - 1)}


def test_documents_are_made_json_safe() -> None:
    plain = redacted(
        {
            "created_at": AT,
            "kind": PrincipalKind.USER,
            "ids": ("a", "b"),
            "count": 3,
            "ratio": 0.5,
            "on": True,
        }
    )
    assert plain == {
        "created_at": AT.isoformat(),
        "kind": "user",
        "ids": ["a", "b"],
        "count": 3,
        "ratio": 0.5,
        "on": True,
    }


@pytest.mark.parametrize(
    ("name", "sensitive"),
    [
        ("secret_hash", True),
        ("signing_secret", True),
        ("token", True),
        ("password", True),
        ("webhook-credentials", True),
        ("token_id", False),
        ("token_name", False),
        ("name", False),
        ("hashtag", False),
    ],
)
def test_field_names_that_say_secret(name: str, sensitive: bool) -> None:
    assert is_sensitive_field(name) is sensitive


def test_an_entry_survives_the_store_round_trip() -> None:
    made = entry(AuditAction.UPDATE, {"name": "a"}, {"name": "b"})
    assert AuditEntry.from_document(made.to_document()) == made


def test_filters_need_aware_times_in_order() -> None:
    with pytest.raises(ValidationError):
        AuditFilter(since=datetime(2026, 1, 1))
    with pytest.raises(ValidationError) as raised:
        AuditFilter(since=AT, until=AT - timedelta(seconds=1))
    assert raised.value.field == "since"
    query = AuditFilter(
        resource_type=AuditResource.SERVICE, actor_id="u1", since=AT, until=AT
    ).to_query()
    assert query == {
        "resource_type": "service",
        "actor_id": "u1",
        "at_ms": {"$gte": to_ms(AT), "$lte": to_ms(AT)},
    }
