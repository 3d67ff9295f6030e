"""Periodic work inside a Vigil process: heartbeat checks, alert timeouts.

Each round runs every task once; a failing task is logged and tried again next
round, never stopping the others. The tasks themselves are safe to run in several
processes at once (their writes are conditional), so every replica may run them.

While the store is unavailable the rounds back off (doubling, to at most 8 intervals
or `MAX_BACKOFF_S`) and say so once, not with a traceback per task per round; the first
round that reaches the store again returns to the normal interval.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from pymongo.errors import ConnectionFailure, PyMongoError

from domain.tasks import cancel_and_wait

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 10.0
MAX_BACKOFF_DOUBLINGS = 3
"""So a fast loop (escalation, every second) is at most 8 ticks late once the store is back."""

Task = Callable[[], Awaitable[int]]


class PeriodicTasks:
    def __init__(self, interval_s: float, tasks: dict[str, Task]) -> None:
        self._interval_s = interval_s
        self._tasks = tasks
        self._runner: asyncio.Task[None] | None = None
        self._store_down_rounds = 0
        """Consecutive rounds in which a task found the store unavailable."""

    async def start(self) -> None:
        self._runner = asyncio.create_task(self._run(), name="vigil-periodic-tasks")

    async def stop(self) -> None:
        if self._runner is not None:
            await cancel_and_wait(self._runner)
            self._runner = None

    async def run_once(self) -> dict[str, int]:
        """One round; what each task reported doing."""
        done: dict[str, int] = {}
        lost: ConnectionFailure | None = None
        for name, task in self._tasks.items():
            try:
                done[name] = await task()
            except ConnectionFailure as exc:
                lost = exc
            except PyMongoError as exc:
                # The store refused or failed the operation (the embedded store can, for a
                # moment after a restart): its message says it all, and a traceback would
                # only point at the driver.
                log.error("periodic task %s failed in the store: %s; trying again", name, exc)
            except Exception:
                log.exception("periodic task %s failed; trying again next round", name)
        label = ", ".join(self._tasks)
        if lost is not None:
            if not self._store_down_rounds:
                log.warning("periodic tasks [%s]: store unavailable (%s); backing off", label, lost)
            self._store_down_rounds += 1
        elif self._store_down_rounds:
            log.warning(
                "periodic tasks [%s]: store available again after %d failed rounds",
                label,
                self._store_down_rounds,
            )
            self._store_down_rounds = 0
        return done

    @property
    def next_delay_s(self) -> float:
        """The normal interval, or a longer one while the store is unavailable."""
        if not self._store_down_rounds:
            return self._interval_s
        backoff = self._interval_s * 2.0 ** min(self._store_down_rounds, MAX_BACKOFF_DOUBLINGS)
        return max(self._interval_s, min(backoff, MAX_BACKOFF_S))

    async def _run(self) -> None:
        while True:
            for name, count in (await self.run_once()).items():
                if count:
                    log.info("%s: %d", name, count)
            await asyncio.sleep(self.next_delay_s)
