"""Keeps two batches of one process from storing the same new alert at once.

Without it, both would miss the alert when they look it up, both would count it
in an incident, and one would then have to take it back. A batch waits only for
batches that carry one of its own keys, so unrelated batches still overlap.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Collection


class InFlightKeys:
    def __init__(self) -> None:
        self._busy: dict[str, asyncio.Event] = {}

    @contextlib.asynccontextmanager
    async def claim(self, keys: Collection[str]) -> AsyncIterator[None]:
        while waiting := {id(e): e for k in keys if (e := self._busy.get(k)) is not None}:
            await asyncio.gather(*(event.wait() for event in waiting.values()))
        done = asyncio.Event()
        for key in keys:
            self._busy[key] = done
        try:
            yield
        finally:
            for key in keys:
                if self._busy.get(key) is done:
                    del self._busy[key]
            done.set()
