"""Keyset pagination with opaque cursors.

A cursor encodes the id of the last item of a page, so the next page is an
indexed range query rather than a skip, and stays correct while new items
arrive. Ids are ObjectIds, ordered by creation, so `_id` order is creation
order. Sorting on `_id` alone is deliberate: the embedded store does not honour
a compound sort such as (created_at desc, _id desc).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.errors import ValidationError
from domain.store.database import Collection, Document

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
_ID_BATCH = 10_000
MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int = DEFAULT_PAGE_SIZE
    after: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.first <= MAX_PAGE_SIZE:
            raise ValidationError(
                f"'first' must be between 1 and {MAX_PAGE_SIZE}, got {self.first}.",
                suggestion=f"Ask for at most {MAX_PAGE_SIZE} items and follow 'endCursor'.",
                field="first",
            )


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


def encode_cursor(item_id: str) -> str:
    raw = json.dumps([item_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded))
        if not (isinstance(payload, list) and len(payload) == 1 and isinstance(payload[0], str)):
            raise TypeError("not a cursor")
        item_id: str = payload[0]
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            "The 'after' cursor is not one Vigil issued.",
            suggestion="Pass the 'endCursor' of the previous page unchanged.",
            field="after",
        ) from exc
    return item_id


def keyset_filter(after: str | None, *, descending: bool) -> Document:
    """The filter selecting items strictly after the cursor in `_id` order."""
    if after is None:
        return {}
    return {"_id": {"$lt" if descending else "$gt": decode_cursor(after)}}


async def newest_first(
    collection: Collection, query: Document, page: PageRequest, parse: Callable[[Document], T]
) -> Page[T]:
    """One page of a collection's matching documents, newest first."""
    after = keyset_filter(page.after, descending=True)
    where = {"$and": [query, after]} if after else query
    cursor = collection.find(where).sort("_id", -1).limit(page.first + 1)
    docs = await cursor.to_list(None)
    shown = docs[: page.first]
    return Page(
        items=[parse(doc) for doc in shown],
        cursors=[encode_cursor(str(doc["_id"])) for doc in shown],
        has_next_page=len(docs) > page.first,
    )


async def pages_per_owner(
    collection: Collection,
    *,
    owner_field: str,
    owner_ids: list[str],
    page: PageRequest,
    parse: Callable[[Document], T],
    where: Document | None = None,
) -> dict[str, Page[T]]:
    """The same page of children, oldest first, for each owner, in two round trips;
    `where` narrows the children (a timeline's kinds, say).

    The first reads only the ids of the owners' children and picks each owner's page,
    the second reads those pages' documents by id. Not one `$facet` branch per owner:
    the embedded store runs each branch as a scan of the whole collection in Python,
    so 50 owners over a few thousand children took over ten seconds; one `$in` is a
    single scan in SQL there, and an index scan on MongoDB.
    """
    if not owner_ids:
        return {}
    after = keyset_filter(page.after, descending=False)
    query = {**(where or {}), owner_field: {"$in": list(set(owner_ids))}, **after}
    children: dict[str, list[str]] = {owner_id: [] for owner_id in owner_ids}
    # Ids are small: one batch carries the children of a whole page of owners.
    async for doc in collection.find(query, {owner_field: 1}, batch_size=_ID_BATCH):
        children[doc[owner_field]].append(doc["_id"])
    chosen = {owner_id: sorted(ids)[: page.first + 1] for owner_id, ids in children.items()}
    wanted = [child_id for ids in chosen.values() for child_id in ids[: page.first]]
    found = (
        {
            doc["_id"]: doc
            async for doc in collection.find({"_id": {"$in": wanted}}, batch_size=len(wanted))
        }
        if wanted
        else {}
    )
    pages: dict[str, Page[T]] = {}
    for owner_id, ids in chosen.items():
        # A child deleted between the two reads is left out of its page.
        shown = [found[child_id] for child_id in ids[: page.first] if child_id in found]
        pages[owner_id] = Page(
            items=[parse(doc) for doc in shown],
            cursors=[encode_cursor(str(doc["_id"])) for doc in shown],
            has_next_page=len(ids) > page.first,
        )
    return pages
