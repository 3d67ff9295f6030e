"""Status pages stored in and read back from the embedded store."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from domain.errors import ConflictError
from domain.statuspage.model import (
    Component,
    ComponentStatus,
    Impact,
    PublicIncident,
    PublicIncidentState,
    PublicUpdate,
    StatusChange,
    StatusPage,
    Subscriber,
    SubscriberKind,
    SubscriberState,
)
from domain.statuspage.repository import StatusPageRepository
from domain.store.indexes import ensure_indexes
from tests.support import own_store

NOW = datetime(2026, 11, 26, 12, 0, 0, 123000, tzinfo=UTC)
PAGE = StatusPage("p1", "acme", "Acme", "", NOW)


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[StatusPageRepository]:
    async with own_store(tmp_path) as db:
        await ensure_indexes(db, embedded=True)
        yield StatusPageRepository(db)


def change(cid: str, at: datetime, status: ComponentStatus) -> StatusChange:
    return StatusChange(f"{cid}-{at.timestamp()}", PAGE.id, cid, status, at, "test")


async def test_pages_are_found_by_slug_once(repository: StatusPageRepository) -> None:
    await repository.insert_page(PAGE)
    assert await repository.page_by_slug("acme") == PAGE
    with pytest.raises(ConflictError):
        await repository.insert_page(dataclasses.replace(PAGE, id="p2"))


async def test_a_status_change_updates_the_component_and_its_history(
    repository: StatusPageRepository,
) -> None:
    component = Component(
        "c1", PAGE.id, "API", "", None, ("svc",), ComponentStatus.OPERATIONAL, NOW, NOW
    )
    await repository.components.insert(component)
    later = NOW + timedelta(minutes=5)
    outage = change("c1", later, ComponentStatus.MAJOR_OUTAGE)
    await repository.set_status(component, ComponentStatus.MAJOR_OUTAGE, outage)
    stored = await repository.components.get("c1")
    assert (stored.status, stored.status_changed_at) == (ComponentStatus.MAJOR_OUTAGE, later)
    assert stored.created_at == NOW


async def test_history_since_a_moment_starts_with_the_state_at_that_moment(
    repository: StatusPageRepository,
) -> None:
    old = [
        change("c1", NOW - timedelta(days=200), ComponentStatus.OPERATIONAL),
        change("c1", NOW - timedelta(days=100), ComponentStatus.PARTIAL_OUTAGE),
    ]
    recent = [change("c1", NOW - timedelta(days=1), ComponentStatus.OPERATIONAL)]
    other = [change("c2", NOW - timedelta(days=1), ComponentStatus.MAJOR_OUTAGE)]
    for entry in old + recent + other:
        await repository.record_change(entry)
    found = await repository.changes_of(["c1"], NOW - timedelta(days=90))
    assert found == [old[1], *recent]


async def test_public_incidents_leave_the_page_some_time_after_they_resolve(
    repository: StatusPageRepository,
) -> None:
    def incident(iid: str) -> PublicIncident:
        return PublicIncident(
            iid, PAGE.id, iid, Impact.MINOR, PublicIncidentState.INVESTIGATING, (), None, NOW, NOW
        )

    for iid in ("open", "recent", "old"):
        await repository.incidents.insert(incident(iid))
    for iid, at in (("recent", NOW), ("old", NOW - timedelta(days=30))):
        update = PublicUpdate(
            f"u-{iid}", iid, PAGE.id, "Fixed", PublicIncidentState.RESOLVED, at, "a"
        )
        await repository.add_update(incident(iid), update)
    shown = await repository.incidents_of_page(PAGE.id, since=NOW - timedelta(days=14))
    assert sorted(i.id for i in shown) == ["open", "recent"]
    assert {i.id: i.resolved_at for i in shown} == {"open": None, "recent": NOW}
    # Reopened: no longer resolved.
    reopen = PublicUpdate("u2", "recent", PAGE.id, "Back", PublicIncidentState.IDENTIFIED, NOW, "a")
    await repository.add_update(incident("recent"), reopen)
    assert (await repository.incidents.get("recent")).resolved_at is None
    assert [u.id for u in (await repository.updates_of(["recent"]))["recent"]] == ["u2", "u-recent"]


async def test_an_address_subscribes_to_a_page_once(repository: StatusPageRepository) -> None:
    first = Subscriber(
        "s1", PAGE.id, SubscriberKind.EMAIL, "ann@example.com", SubscriberState.PENDING, None, NOW
    )
    assert await repository.insert_subscriber(first) == first
    again = dataclasses.replace(first, id="s2")
    assert await repository.insert_subscriber(again) == first
    confirmed = await repository.confirm("s1")
    assert confirmed.state is SubscriberState.CONFIRMED
    assert await repository.find_subscriber("s1") == confirmed
    await repository.subscribers.delete("s1")
    assert await repository.find_subscriber("s1") is None
