"""Stopping a background task for sure, and waiting for concurrent work to end.

`task.cancel()` followed by `await task` can wait forever on Python 3.11: its
`asyncio.wait_for`, which the MongoDB driver wraps around every socket operation,
returns normally instead of raising when the cancellation arrives just after the
operation completed. The task then runs on, and a shutdown that awaits it never ends
(CPython gh-86296, fixed in 3.12). `cancel_and_wait` cancels again until the task ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

RECANCEL_S = 0.5
"""How long a cancelled task may take to end before it is cancelled again."""


async def cancel_and_wait(task: asyncio.Task[Any]) -> None:
    """Cancel `task` and return once it has ended; re-raise what it failed with, if not that."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=RECANCEL_S)
    if not task.cancelled():
        task.result()


async def settle(*awaitables: Awaitable[Any]) -> list[Any]:
    """Run the awaitables at once, wait until every one has ended, then raise the first
    failure if there is one; else return their results in order.

    `asyncio.gather` raises at the first failure and leaves the others running with no
    one to see how they end, such as a write still on its way to the store.
    """
    results = await asyncio.gather(*awaitables, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results
