"""Write-ahead notes of ingest batches: finished ones are deleted in groups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.ingest.journal import END_GROUP, IngestJournal
from tests.support import LiveServer, unique


async def test_finished_notes_are_deleted_in_groups_and_before_recovery(
    server: LiveServer,
) -> None:
    db = server.app.state.runtime.db
    journal = IngestJournal(db)
    touched = unique("incident")
    at = datetime(2026, 1, 1, tzinfo=UTC)
    ids = [await journal.begin([], {touched}, at) for _ in range(END_GROUP + 1)]

    async def stored() -> int:
        count: int = await db["ingest_journal"].count_documents({"touched": touched})
        return count

    for entry_id in ids[: END_GROUP - 1]:
        await journal.end(entry_id)
    assert await stored() == END_GROUP + 1, "a finished note waits for its group"
    await journal.end(ids[END_GROUP - 1])
    assert await stored() == 1, "a full group is deleted at once"

    await journal.end(ids[END_GROUP])
    unfinished = await journal.begin([], {touched}, at)
    due = await journal.older_than(at + timedelta(seconds=1))
    assert [e.id for e in due if touched in e.touched] == [unfinished]
    assert await stored() == 1
