"""Periodic work inside a Vigil process: heartbeat checks, alert timeouts.

Each round runs every task once; a failing task is logged and tried again next
round, never stopping the others. The tasks themselves are safe to run in several
processes at once (their writes are conditional), so every replica may run them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Task = Callable[[], Awaitable[int]]


class PeriodicTasks:
    def __init__(self, interval_s: float, tasks: dict[str, Task]) -> None:
        self._interval_s = interval_s
        self._tasks = tasks
        self._runner: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._runner = asyncio.create_task(self._run(), name="vigil-periodic-tasks")

    async def stop(self) -> None:
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
            self._runner = None

    async def run_once(self) -> dict[str, int]:
        """One round; what each task reported doing."""
        done: dict[str, int] = {}
        for name, task in self._tasks.items():
            try:
                done[name] = await task()
            except Exception:
                log.exception("periodic task %s failed; trying again next round", name)
        return done

    async def _run(self) -> None:
        while True:
            for name, count in (await self.run_once()).items():
                if count:
                    log.info("%s: %d", name, count)
            await asyncio.sleep(self._interval_s)
