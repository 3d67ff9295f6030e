"""Who may decide incidents: within one process, or one replica at a time.

Correlation must see every incident decided before it. Within a process the
ingestor's lock and `PendingIncidents` give that while letting reads and writes
overlap. Replicas share only the store, and an incident another replica has decided
but not yet written is invisible to this one; so with several replicas a batch holds
a store lease from before it reads the open incidents until its incident writes are
done, and whatever another replica decided is in that read. Alert writes, paging and
events stay outside the lease, so replicas serialise only the few store round trips
of deciding.

The lease is one document taken with an atomic `find_one_and_update` (atomic on the
embedded store as on MongoDB, with no transaction or replica set needed), with an
owner token and an expiry in epoch milliseconds, renewed while held: a replica that
dies holding it blocks the others for at most `LEASE_MS`. It also carries the number
of the latest entry of the decision log (`decisions.py`), which a holder that leaves
one advances when it lets go.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from pymongo.errors import DuplicateKeyError, PyMongoError

from domain.clock import Clock
from domain.ids import new_id
from domain.store.database import Database
from domain.store.timestamps import to_ms
from domain.tasks import cancel_and_wait

log = logging.getLogger(__name__)

COLLECTION = "ingest_claims"
CLAIM_ID = "correlation"
LEASE_MS = 15_000
# Polling, not notification: the store has no cheap wake-up on both backends. Holds last
# a few milliseconds, so waiters start fast and back off to a short cap.
_FIRST_WAIT_S = 0.002
_MAX_WAIT_S = 0.02


@dataclass
class Hold:
    """One batch's claim to decide."""

    latest_entry: int | None = None
    """The decision log's latest entry when the claim was taken; None: one process, no log."""
    recorded: int | None = None
    """The entry this batch left, if any: the next holder reads up to it."""


class DecisionClaim(Protocol):
    def held(self) -> contextlib.AbstractAsyncContextManager[Hold]: ...


class ProcessClaim:
    """A single process: its own lock and pending incidents are enough."""

    @contextlib.asynccontextmanager
    async def held(self) -> AsyncIterator[Hold]:
        yield Hold()


class StoreLease:
    """Several replicas: one batch at a time, across all of them, decides."""

    def __init__(self, db: Database, clock: Clock, *, lease_ms: int = LEASE_MS) -> None:
        self._claims = db[COLLECTION]
        self._clock = clock
        self._lease_ms = lease_ms
        # One batch of this process at a time: the lease has one owner token per hold.
        self._local = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def held(self) -> AsyncIterator[Hold]:
        async with self._local:
            token = new_id()
            hold = Hold(latest_entry=await self._acquire(token))
            renewal = asyncio.create_task(self._renew(token), name="vigil-ingest-claim")
            try:
                yield hold
            finally:
                await cancel_and_wait(renewal)
                # Failing to release (the store gone) must not fail a batch whose writes
                # are done: the lease simply runs out.
                released: dict[str, object] = {"owner": "", "until_ms": 0}
                if hold.recorded is not None:
                    released["latest_entry"] = hold.recorded
                try:
                    await self._claims.update_one(
                        {"_id": CLAIM_ID, "owner": token}, {"$set": released}
                    )
                except PyMongoError:
                    log.warning("could not release the incident-decision lease; it will expire")

    async def _acquire(self, token: str) -> int:
        """Take the lease; return the decision log's latest entry."""
        wait = _FIRST_WAIT_S
        may_be_missing = True
        while True:
            now = to_ms(self._clock.now())
            lease = {"owner": token, "until_ms": now + self._lease_ms}
            taken = await self._claims.find_one_and_update(
                {"_id": CLAIM_ID, "until_ms": {"$lt": now}}, {"$set": lease}
            )
            if taken is not None:
                return int(taken.get("latest_entry", 0))
            if may_be_missing:  # the first hold ever in this database
                try:
                    await self._claims.insert_one({"_id": CLAIM_ID, **lease, "latest_entry": 0})
                    return 0
                except DuplicateKeyError:
                    may_be_missing = False
            await asyncio.sleep(wait)
            wait = min(wait * 2, _MAX_WAIT_S)

    async def _renew(self, token: str) -> None:
        while True:
            await asyncio.sleep(self._lease_ms / 3000)
            until = to_ms(self._clock.now()) + self._lease_ms
            renewed = await self._claims.update_one(
                {"_id": CLAIM_ID, "owner": token}, {"$set": {"until_ms": until}}
            )
            if not renewed.matched_count:
                log.error("the incident-decision lease ran out while held: the store was too slow")
