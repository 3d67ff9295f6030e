"""Pages newest first: each page starts right after the last item shown, found again
from where it stood, whatever was added or removed meanwhile."""

from __future__ import annotations

from typing import Any, cast

from domain.ids import new_id
from domain.store.database import Collection, Database, Document
from domain.store.pagination import (
    SEEK_SLACK,
    PageRequest,
    encode_cursor,
    newest_first,
    parse_cursor,
)


class RecordingCollection:
    """The collection, with the filter of every `find` kept, to tell how a page was read."""

    def __init__(self, collection: Collection) -> None:
        self._collection = collection
        self.filters: list[Document] = []

    def find(self, query: Document, *args: Any, **kwargs: Any) -> Any:
        self.filters.append(query)
        return self._collection.find(query, *args, **kwargs)

    @property
    def used_id_range(self) -> bool:
        return any("$and" in query for query in self.filters)


async def _insert(db: Database, count: int, kind: str = "item") -> list[str]:
    """Insert `count` documents; return their ids, newest first."""
    ids = [new_id() for _ in range(count)]
    await db["items"].insert_many([{"_id": item_id, "kind": kind} for item_id in ids])
    return ids[::-1]


async def _page(
    db: Database, first: int, after: str | None = None
) -> tuple[list[str], str | None, bool, RecordingCollection]:
    recording = RecordingCollection(db["items"])
    page = await newest_first(
        cast(Collection, recording),
        {"kind": "item"},
        PageRequest(first=first, after=after),
        lambda doc: str(doc["_id"]),
    )
    return page.items, page.end_cursor, page.has_next_page, recording


async def test_walking_every_page_lists_each_item_once_newest_first(db: Database) -> None:
    expected = await _insert(db, 45)
    await _insert(db, 5, kind="other")

    seen: list[str] = []
    after, more, ranges = None, True, []
    while more:
        items, after, more, recording = await _page(db, 10, after)
        seen += items
        ranges.append(recording.used_id_range)

    assert seen == expected
    assert ranges == [False] * 5, "every page found its start from the cursor's position"


async def test_items_added_before_the_cursor_neither_repeat_nor_hide_the_next_page(
    db: Database,
) -> None:
    first_ids = await _insert(db, 60)
    shown, cursor, _, _ = await _page(db, 30)  # its last item stood at 29, beyond the slack

    for added, moved_too_far in ((3, False), (2 * SEEK_SLACK, True)):
        await _insert(db, added)
        items, _, more, recording = await _page(db, 30, cursor)

        assert items == first_ids[30:60]
        assert not more
        assert recording.used_id_range is moved_too_far
    assert shown == first_ids[:30]


async def test_items_removed_before_the_cursor_do_not_skip_any(db: Database) -> None:
    ids = await _insert(db, 30)
    _, cursor, _, _ = await _page(db, 10)
    await db["items"].delete_many({"_id": {"$in": ids[:4]}})

    items, _, _, recording = await _page(db, 10, cursor)

    assert items == ids[10:20]
    assert not recording.used_id_range


async def test_the_last_page_ends_the_list(db: Database) -> None:
    ids = await _insert(db, 25)
    _, cursor, _, _ = await _page(db, 10)
    _, cursor, _, _ = await _page(db, 10, cursor)

    items, end, more, _ = await _page(db, 10, cursor)

    assert items == ids[20:]
    assert not more
    assert end is not None and parse_cursor(end).position == 24


async def test_a_cursor_whose_item_is_gone_or_position_is_wrong_still_continues_after_it(
    db: Database,
) -> None:
    ids = await _insert(db, 30)
    wrong_position = encode_cursor(ids[9], 200)
    no_position = encode_cursor(ids[9])
    _, cursor, _, _ = await _page(db, 10)

    assert (await _page(db, 5, wrong_position))[0] == ids[10:15]
    assert (await _page(db, 5, no_position))[0] == ids[10:15]
    await db["items"].delete_one({"_id": ids[9]})
    items, _, _, recording = await _page(db, 5, cursor)
    assert items == ids[10:15]
    assert recording.used_id_range, "the item is gone: found by its id's place in the order"
