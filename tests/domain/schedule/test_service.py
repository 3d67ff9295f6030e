"""The schedule service against the embedded store: concurrent edits lose nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from domain.audit.repository import AuditRepository
from domain.audit.trail import AuditTrail
from domain.auth import Principal, PrincipalKind, Role
from domain.clock import SystemClock
from domain.schedule.model import Override, OverrideKind, Schedule
from domain.schedule.repository import ScheduleRepository
from domain.schedule.service import ScheduleDraft, Schedules
from domain.team.repository import TeamRepository
from domain.team.service import TeamDirectory
from domain.user.model import User
from domain.user.repository import UserRepository
from tests.domain.schedule.builders import layer, rotation, utc
from tests.support import own_store

ADMIN = Principal(PrincipalKind.USER, "admin", "admin", role=Role.ADMIN)
PEOPLE = [f"user{i}" for i in range(8)]


@pytest.fixture
async def stores(tmp_path: Path) -> AsyncIterator[tuple[Schedules, ScheduleRepository]]:
    async with own_store(tmp_path) as db:
        users = UserRepository(db)
        for name in PEOPLE:
            await users.insert(
                User(name, name, f"{name}@example.com", Role.RESPONDER, utc(2026, 1, 1))
            )
        repository = ScheduleRepository(db)
        clock = SystemClock()
        audit = AuditTrail(repository=AuditRepository(db), clock=clock)
        teams = TeamDirectory(repository=TeamRepository(db), users=users, audit=audit, clock=clock)
        yield (
            Schedules(repository=repository, users=users, teams=teams, audit=audit, clock=clock),
            repository,
        )


async def test_concurrent_overrides_are_all_kept(
    stores: tuple[Schedules, ScheduleRepository],
) -> None:
    schedules, _ = stores
    created = await schedules.create(
        ADMIN, ScheduleDraft(name="Primary", layers=(layer(rotation(("user0", "user1"))),))
    )
    start = utc(2027, 1, 1)
    overrides = [
        Override(OverrideKind.ADD, start + timedelta(hours=i), start + timedelta(hours=i + 1), u)
        for i, u in enumerate(PEOPLE)
    ]
    await asyncio.gather(*(schedules.add_override(ADMIN, created.id, o) for o in overrides))
    stored = await schedules.get(ADMIN, created.id)
    assert set(stored.overrides) == set(overrides)


async def test_a_stale_revision_is_not_written(
    stores: tuple[Schedules, ScheduleRepository],
) -> None:
    _, repository = stores
    # Written by plain insert (no revision yet), as the domain's own tests do.
    await repository.insert(Schedule(id="s1", name="Old", layers=(layer(rotation()),)))
    schedule, revision = await repository.load("s1")
    assert revision == 0
    renamed = Schedule(id="s1", name="New", layers=schedule.layers)
    assert await repository.save_if_unchanged(renamed, revision)
    assert not await repository.save_if_unchanged(renamed, revision)
    assert (await repository.load("s1")) == (renamed, 1)
