"""One-off mends of stored data, each run until it has completed once per database.

A mend that has to read much of a large collection (every resolved alert, say) should
not do so at every start-up: once it has completed, its name is recorded in
`migrations` and later start-ups skip it. Mends are idempotent, so two replicas starting
at the same moment may both run one; a mend that fails is not recorded and runs again at
the next start-up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from domain.store.database import Database

COLLECTION = "migrations"


async def run_once(db: Database, name: str, mend: Callable[[], Awaitable[int]]) -> int | None:
    """Run `mend` unless it has completed before; return what it returned (how many
    documents it changed), or None when it was skipped."""
    if await db[COLLECTION].find_one({"_id": name}) is not None:
        return None
    changed = await mend()
    await db[COLLECTION].update_one(
        {"_id": name}, {"$setOnInsert": {"completed_at": datetime.now(UTC)}}, upsert=True
    )
    return changed
