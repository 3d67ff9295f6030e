"""Action item filters, run against the embedded store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from domain.errors import ValidationError
from domain.postmortem.action_items import (
    ActionItem,
    ActionItemChange,
    ActionItemDraft,
    ActionItemFilter,
    ActionItemStatus,
)
from domain.postmortem.repository import ActionItemRepository
from domain.store.pagination import PageRequest
from tests.support import own_store

T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)


def item(
    item_id: str,
    *,
    owner: str = "ann",
    due: date | None = None,
    status: ActionItemStatus = ActionItemStatus.OPEN,
    incident: str = "i1",
    linked: tuple[str, ...] = (),
) -> ActionItem:
    return ActionItem(
        id=item_id,
        postmortem_id=f"pm-{incident}",
        incident_id=incident,
        linked_incident_ids=linked,
        title=item_id,
        owner_id=owner,
        due_on=due,
        status=status,
        created_at=T0,
        updated_at=T0,
    )


ITEMS = [
    item("a-late", due=date(2026, 11, 25)),
    item("b-late-started", due=date(2026, 11, 1), status=ActionItemStatus.IN_PROGRESS),
    item("c-due-today", due=TODAY),
    item("d-done-late", due=date(2026, 11, 1), status=ActionItemStatus.DONE),
    item("e-no-date", owner="bob"),
    item("f-other", owner="bob", incident="i2", linked=("i1", "i3"), due=date(2026, 1, 1)),
    item("g-wont", owner="bob", incident="i3", status=ActionItemStatus.WONT_DO),
]


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[ActionItemRepository]:
    async with own_store(tmp_path) as db:
        repository = ActionItemRepository(db)
        for one in ITEMS:
            await repository.insert(one)
        yield repository


async def ids(repository: ActionItemRepository, where: ActionItemFilter) -> set[str]:
    page = await repository.page(where, TODAY, PageRequest(first=100))
    return {i.id for i in page.items}


async def test_overdue_means_pending_and_due_before_today(
    repository: ActionItemRepository,
) -> None:
    assert await ids(repository, ActionItemFilter(overdue=True)) == {
        "a-late",
        "b-late-started",
        "f-other",
    }
    assert await ids(repository, ActionItemFilter(overdue=False)) == {
        "c-due-today",
        "d-done-late",
        "e-no-date",
        "g-wont",
    }
    assert {i.id for i in ITEMS if i.overdue(TODAY)} == {"a-late", "b-late-started", "f-other"}


async def test_an_incident_finds_its_own_items_and_those_linked_to_it(
    repository: ActionItemRepository,
) -> None:
    assert await ids(repository, ActionItemFilter(incident_id="i3")) == {"f-other", "g-wont"}
    assert await ids(repository, ActionItemFilter(incident_id="i2")) == {"f-other"}


async def test_filters_combine(repository: ActionItemRepository) -> None:
    where = ActionItemFilter(
        owner_id="bob", statuses=(ActionItemStatus.OPEN,), incident_id="i1", overdue=True
    )
    assert await ids(repository, where) == {"f-other"}
    assert await ids(repository, ActionItemFilter(owner_id="bob", overdue=False)) == {
        "e-no-date",
        "g-wont",
    }
    assert len(await ids(repository, ActionItemFilter())) == len(ITEMS)


async def test_pages_walk_every_item_once(repository: ActionItemRepository) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = await repository.page(ActionItemFilter(), TODAY, PageRequest(first=3, after=after))
        seen += [i.id for i in page.items]
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert sorted(seen) == sorted(i.id for i in ITEMS)


def test_changes_apply_only_what_they_name() -> None:
    original = item("x", due=TODAY, linked=("i2",))
    later = datetime(2026, 11, 27, tzinfo=UTC)
    changed = ActionItemChange(status=ActionItemStatus.DONE).applied_to(original, later)
    assert (changed.status, changed.due_on, changed.title, changed.updated_at) == (
        ActionItemStatus.DONE,
        TODAY,
        "x",
        later,
    )
    cleared = ActionItemChange(clear_due=True, linked_incident_ids=()).applied_to(original, later)
    assert (cleared.due_on, cleared.linked_incident_ids) == (None, ())
    with pytest.raises(ValidationError):
        ActionItemChange(due_on=TODAY, clear_due=True)
    with pytest.raises(ValidationError):
        ActionItemDraft(title="  ", owner_id="ann")
    assert ActionItemDraft(
        title="t", owner_id="a", linked_incident_ids=("i", "i")
    ).linked_incident_ids == ("i",)
