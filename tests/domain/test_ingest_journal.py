"""Write-ahead notes of ingest batches: finished ones are deleted in groups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.ids import new_id
from domain.ingest.journal import END_GROUP, IngestJournal
from domain.ingest.plan import opened_incident
from tests.domain.test_alert_model import make_alert
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


async def test_a_note_names_opened_incidents_by_id_and_number_and_reads_older_notes(
    server: LiveServer,
) -> None:
    db = server.app.state.runtime.db
    journal = IngestJournal(db)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    opened = opened_incident(new_id(), 41, [make_alert(occurred_at=at)], at)
    entry_id = await journal.begin([opened], {opened.id}, at)
    # A note written before notes were slimmed holds the whole incident.
    older_id = new_id()
    await db["ingest_journal"].insert_one(
        {"_id": older_id, "at": at, "opened": [opened.to_document()], "touched": [opened.id]}
    )

    stored = await db["ingest_journal"].find_one({"_id": entry_id})
    assert stored is not None
    assert stored["opened"] == [{"_id": opened.id, "number": 41}]
    due = {e.id: e for e in await journal.older_than(at + timedelta(seconds=1))}
    assert due[entry_id].opened == due[older_id].opened == {opened.id: 41}
