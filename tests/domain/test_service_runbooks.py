"""Runbooks on services: validated links, at most 20, replaced as a whole on update."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import ValidationError
from domain.service.model import (
    MAX_RUNBOOKS,
    Runbook,
    Service,
    ServiceChanges,
    ServiceDraft,
)


def runbooks(count: int) -> tuple[Runbook, ...]:
    return tuple(Runbook(f"https://wiki.example.com/{n}", f"page {n}") for n in range(count))


def service(with_runbooks: tuple[Runbook, ...]) -> Service:
    return Service(
        id="s1",
        name="checkout",
        description="",
        depends_on=(),
        created_at=datetime(2026, 11, 26, tzinfo=UTC),
        runbooks=with_runbooks,
    )


@pytest.mark.parametrize(
    "href", ["ftp://wiki.example.com/x", "javascript:alert(1)", "https://x/" + "a" * 2048]
)
def test_a_runbook_must_be_an_http_link(href: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Runbook(href)

    assert raised.value.field == "href"


def test_a_draft_keeps_repeated_links_once_in_order_and_at_most_the_limit() -> None:
    first, second = runbooks(2)

    draft = ServiceDraft(name="checkout", runbooks=(first, second, Runbook(first.href, "again")))

    assert draft.runbooks == (first, second)
    assert len(ServiceDraft(name="checkout", runbooks=runbooks(MAX_RUNBOOKS)).runbooks) == 20
    with pytest.raises(ValidationError) as raised:
        ServiceDraft(name="checkout", runbooks=runbooks(MAX_RUNBOOKS + 1))
    assert raised.value.field == "runbooks"


def test_changes_replace_the_list_or_leave_it() -> None:
    before = service(runbooks(2))

    assert ServiceChanges().apply(before).runbooks == before.runbooks
    assert ServiceChanges(runbooks=()).apply(before).runbooks == ()
    assert ServiceChanges(runbooks=runbooks(1)).apply(before).runbooks == runbooks(1)
    with pytest.raises(ValidationError):
        ServiceChanges(runbooks=runbooks(MAX_RUNBOOKS + 1))


def test_runbooks_round_trip_through_the_document() -> None:
    stored = service(runbooks(3))

    assert Service.from_document(stored.to_document()) == stored
