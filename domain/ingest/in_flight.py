"""Lets batches of one process share a new alert instead of racing to store it.

When two batches carry the same new alert, the first to arrive owns its key: it
looks the alert up, stores it and announces the stored alert. The other borrows
the key: it counts its copy as a repeat of the owner's alert once that is
announced, without waiting for anything else of the owner's batch. Without this,
both would miss the alert, both would count it in an incident, and one would
have to take it back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping

from domain.alert.model import Alert


class InFlightKeys:
    def __init__(self) -> None:
        self._owned: dict[str, asyncio.Future[Alert | None]] = {}

    def claim(
        self, keys: Collection[str]
    ) -> tuple[list[str], dict[str, asyncio.Future[Alert | None]]]:
        """Split keys into those this batch now owns and those it borrows."""
        loop = asyncio.get_running_loop()
        owned: list[str] = []
        borrowed: dict[str, asyncio.Future[Alert | None]] = {}
        for key in keys:
            if key in self._owned:
                borrowed[key] = self._owned[key]
            else:
                self._owned[key] = loop.create_future()
                owned.append(key)
        return owned, borrowed

    def announce(self, stored: Mapping[str, Alert]) -> None:
        """The alerts stored (or found) for owned keys: borrowers may use them now."""
        for key, alert in stored.items():
            future = self._owned.get(key)
            if future is not None and not future.done():
                future.set_result(alert)

    def release(self, keys: Collection[str]) -> None:
        """Give up owned keys; borrowers of keys never announced look them up again."""
        for key in keys:
            future = self._owned.pop(key, None)
            if future is not None and not future.done():
                future.set_result(None)
