"""Relay-style connections over keyset pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from domain.store.pagination import Page

N = TypeVar("N")
T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[N]):
    node: N
    cursor: str


@strawberry.type
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo


def connection(page: Page[T], to_node: Callable[[T], N]) -> Connection[N]:
    return Connection(
        edges=[
            Edge(node=to_node(item), cursor=cursor)
            for item, cursor in zip(page.items, page.cursors, strict=True)
        ],
        page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
    )
