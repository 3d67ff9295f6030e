"""One page of children per owner, oldest first, from two store reads."""

from __future__ import annotations

from domain.ids import new_id
from domain.store.database import Database, Document
from domain.store.pagination import PageRequest, pages_per_owner


async def _children(
    db: Database, owners: dict[str, int], kind: str = "note"
) -> dict[str, list[str]]:
    """Insert children for each owner (owner -> how many); return owner -> ids, oldest first."""
    made: dict[str, list[str]] = {owner: [] for owner in owners}
    documents = []
    for round_ in range(max(owners.values(), default=0)):
        for owner, count in owners.items():
            if round_ < count:
                child_id = new_id()  # ids order by creation, interleaved across owners
                made[owner].append(child_id)
                documents.append({"_id": child_id, "owner": owner, "kind": kind})
    if documents:
        await db["children"].insert_many(documents)
    return made


def _ids(docs: list[Document]) -> list[str]:
    return [doc["_id"] for doc in docs]


async def _pages(
    db: Database,
    owners: list[str],
    first: int,
    after: str | None = None,
    unstored: dict[str, Document] | None = None,
    **where: str,
) -> dict[str, tuple[list[str], bool, str | None]]:
    pages = await pages_per_owner(
        db["children"],
        owner_field="owner",
        owner_ids=owners,
        page=PageRequest(first=first, after=after),
        parse=lambda doc: doc,
        where=dict(where) or None,
        unstored=unstored,
    )
    return {
        owner: (_ids(page.items), page.has_next_page, page.end_cursor)
        for owner, page in pages.items()
    }


async def test_each_owner_gets_its_own_oldest_children_up_to_the_page_size(db: Database) -> None:
    made = await _children(db, {"a": 5, "b": 2, "c": 3})

    pages = await _pages(db, ["a", "b", "c", "empty"], first=3)

    assert pages["a"][:2] == (made["a"][:3], True)
    assert pages["b"][:2] == (made["b"], False)
    assert pages["c"][:2] == (made["c"], False), "exactly a page: no next page"
    assert pages["empty"] == ([], False, None)


async def test_the_cursor_continues_each_owner_after_it(db: Database) -> None:
    made = await _children(db, {"a": 5})

    first_page = await _pages(db, ["a"], first=2)
    _, _, cursor = first_page["a"]
    second_page = await _pages(db, ["a"], first=2, after=cursor)
    _, _, cursor = second_page["a"]
    last_page = await _pages(db, ["a"], first=2, after=cursor)

    assert [first_page["a"][0], second_page["a"][0], last_page["a"][0]] == [
        made["a"][:2],
        made["a"][2:4],
        made["a"][4:],
    ]
    assert [first_page["a"][1], second_page["a"][1], last_page["a"][1]] == [True, True, False]


async def test_where_narrows_the_children_and_other_owners_stay_out(db: Database) -> None:
    notes = await _children(db, {"a": 2, "b": 1})
    await _children(db, {"a": 2, "b": 2}, kind="status")

    pages = await _pages(db, ["a"], first=10, kind="note")

    assert list(pages) == ["a"]
    assert pages["a"][:2] == (notes["a"], False)


async def test_many_owners_with_many_children_each_get_a_bounded_page(db: Database) -> None:
    made = await _children(db, {f"owner{n}": 12 for n in range(50)})

    pages = await _pages(db, list(made), first=10)

    assert {owner: page[:2] for owner, page in pages.items()} == {
        owner: (ids[:10], True) for owner, ids in made.items()
    }


async def test_a_child_kept_elsewhere_is_paged_among_the_stored_ones_by_its_id(
    db: Database,
) -> None:
    kept_id = new_id()  # older than every stored child: it comes first
    made = await _children(db, {"a": 3, "b": 1})
    kept = {"a": {"_id": kept_id, "owner": "a", "kind": "opened"}}
    elsewhere_only = {"c": {"_id": new_id(), "owner": "c", "kind": "opened"}}

    first = await _pages(db, ["a", "b"], first=2, unstored=kept | elsewhere_only)
    _, _, cursor = first["a"]
    rest = await _pages(db, ["a"], first=2, after=cursor, unstored=kept)

    assert first["a"][:2] == ([kept_id, made["a"][0]], True)
    assert first["b"][:2] == (made["b"], False), "another owner's kept child stays out"
    assert "c" not in first, "only the owners asked for"
    assert rest["a"][:2] == (made["a"][1:], False), "past the cursor it is not shown again"
