import asyncio
import contextlib

import pytest

from domain.tasks import RECANCEL_S, cancel_and_wait, settle


async def test_a_task_that_swallows_its_cancellation_is_stopped_all_the_same() -> None:
    async def runs_on_after_one_cancellation() -> None:
        # What asyncio.wait_for does on 3.11 when its operation has just completed.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(60)
        await asyncio.Event().wait()

    task = asyncio.create_task(runs_on_after_one_cancellation())
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.sleep(0.05)
    assert not task.done()  # a plain cancel-and-await would wait here forever

    await asyncio.wait_for(cancel_and_wait(task), RECANCEL_S * 10)

    assert task.cancelled()


async def test_a_cancelled_task_ends_quietly() -> None:
    task = asyncio.create_task(asyncio.sleep(60))
    await asyncio.sleep(0)

    await cancel_and_wait(task)

    assert task.cancelled()


async def test_a_task_that_failed_before_the_stop_reports_its_failure() -> None:
    async def fails() -> None:
        raise LookupError("the store said no")

    task = asyncio.create_task(fails())
    await asyncio.sleep(0)

    with pytest.raises(LookupError, match="the store said no"):
        await cancel_and_wait(task)


async def test_settle_waits_for_every_awaitable_before_raising_the_first_failure() -> None:
    ended: list[str] = []

    async def fails() -> None:
        raise ValueError("first")

    async def slow(name: str) -> str:
        await asyncio.sleep(0.05)
        ended.append(name)
        return name

    with pytest.raises(ValueError, match="first"):
        await settle(fails(), slow("write"))
    assert ended == ["write"], "the slow one ended before the failure was raised"
    assert await settle(slow("a"), slow("b")) == ["a", "b"]
