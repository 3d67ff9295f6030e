"""Schedules stored in and read back from the embedded store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, time
from pathlib import Path

import pytest

from domain.errors import NotFoundError
from domain.schedule.model import Override, OverrideKind, Schedule, ShiftLength, Weekday
from domain.schedule.repository import ScheduleRepository
from tests.domain.schedule.builders import layer, rotation, utc, window
from tests.support import own_store


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[ScheduleRepository]:
    async with own_store(tmp_path) as db:
        yield ScheduleRepository(db)


async def test_a_schedule_round_trips_and_is_found_by_user(repository: ScheduleRepository) -> None:
    primary = Schedule(
        id="s1",
        name="Primary",
        layers=(
            layer(rotation(("ann", "bob")), name="base"),
            layer(
                rotation(("cy",), ShiftLength.hours(12), date(2026, 1, 1), time(7), "Asia/Tokyo"),
                window([Weekday.SATURDAY], time(22), time(6)),
                name="nights",
            ),
        ),
        overrides=(Override(OverrideKind.ADD, utc(2026, 11, 26), utc(2026, 11, 27), "dee"),),
    )
    other = Schedule(id="s2", name="Other", layers=(layer(rotation(("eve",))),))
    await repository.insert(primary)
    await repository.insert(other)

    assert await repository.get("s1") == primary
    assert [s.id for s in await repository.with_user("cy")] == ["s1"]
    assert [s.id for s in await repository.with_user("dee")] == ["s1"]
    assert [s.id for s in await repository.with_user("eve")] == ["s2"]
    assert await repository.with_user("zed") == []

    await repository.delete("s2")
    with pytest.raises(NotFoundError):
        await repository.get("s2")
