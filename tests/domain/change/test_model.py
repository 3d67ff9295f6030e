"""Change events: what a valid one is, how it is stored, what a query window allows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.alert.model import MAX_DETAILS_BYTES, AlertLink
from domain.change.model import ChangeEvent, ChangeEventDraft, ChangeKind, ChangeWindow
from domain.errors import ValidationError

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_a_draft_is_trimmed_and_its_time_normalised_to_utc() -> None:
    at = datetime.fromisoformat("2026-11-26T10:42:58.315789+02:00")

    draft = ChangeEventDraft(summary="  Deploy v2  ", kind=ChangeKind.DEPLOY, occurred_at=at)

    assert draft.summary == "Deploy v2"
    assert draft.occurred_at == datetime(2026, 11, 26, 8, 42, 58, 315000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"summary": "  "}, "summary"),
        ({"summary": "x" * 1025}, "summary"),
        ({"kind": "rollout"}, "kind"),
        ({"source": ""}, "source"),
        ({"service": "Not A Slug"}, "service"),
        ({"occurred_at": datetime(2026, 11, 26, 9, 0)}, "timestamp"),
        ({"links": tuple(AlertLink(f"https://ci.example.com/{n}") for n in range(21))}, "links"),
        ({"custom_details": {"log": "x" * MAX_DETAILS_BYTES}}, "details"),
    ],
)
def test_invalid_drafts_name_the_field(fields: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        ChangeEventDraft(**({"summary": "Deploy"} | fields))  # type: ignore[arg-type]

    assert raised.value.field == field


def test_a_change_far_in_the_future_is_refused() -> None:
    soon = ChangeEventDraft(summary="Deploy", occurred_at=NOW + timedelta(minutes=5))
    later = ChangeEventDraft(summary="Deploy", occurred_at=NOW + timedelta(hours=1))

    soon.check_not_future(NOW)
    with pytest.raises(ValidationError) as raised:
        later.check_not_future(NOW)
    assert raised.value.field == "timestamp"


def test_a_change_round_trips_through_its_document() -> None:
    change = ChangeEvent(
        id="c1",
        kind=ChangeKind.CONFIG,
        summary="Raise pool size",
        source="config-repo",
        service_id="s1",
        service="checkout",
        occurred_at=NOW - timedelta(minutes=3),
        received_at=NOW,
        sent_by="user:alice",
        links=(AlertLink("https://git.example.com/c/1", "Commit"),),
        custom_details={"diff": "+pool: 20"},
    )

    document = change.to_document()

    assert document["occurred_ms"] < document["received_ms"], "stored as comparable integers"
    assert ChangeEvent.from_document(document) == change


@pytest.mark.parametrize(
    ("since", "until", "limit", "field"),
    [
        (NOW, NOW - timedelta(seconds=1), 10, "until"),
        (NOW - timedelta(days=91), NOW, 10, "since"),
        (NOW - timedelta(days=1), NOW, 0, "first"),
        (NOW - timedelta(days=1), NOW, 501, "first"),
        (datetime(2026, 11, 26), NOW, 10, "since"),
    ],
)
def test_query_windows_are_bounded(
    since: datetime, until: datetime, limit: int, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        ChangeWindow(("s1",), since, until, limit)

    assert raised.value.field == field
