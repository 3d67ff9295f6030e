"""The engine's :class:`Pager`: records every page in the store, then hands it on for delivery.

The record is the audit of what escalation asked for, and what the escalation tests
read back: one document per page key, with how many times the engine asked for it
(``requests``; more than one only after a crash or an expired lease, and then under
the same key). Delivery (contact methods, outbox, channels) belongs to
``notifications``, whose pager is attached once at composition time; before that,
or without it, pages are only recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from domain.escalation.paging import Pager, PageRequest
from domain.store.database import Database, Document
from domain.store.timestamps import from_ms, to_ms

COLLECTION = "escalation_pages"


class PageLog:
    def __init__(self, db: Database) -> None:
        self._pages = db[COLLECTION]
        self._delivery: Pager | None = None

    def deliver_through(self, pager: Pager) -> None:
        """Composition only: notifications needs the incident desk, which needs the
        publisher that escalation wraps, so the delivering pager comes last."""
        self._delivery = pager

    async def page(self, requests: Sequence[PageRequest]) -> None:
        for request in requests:
            document: Document = asdict(request)
            del document["key"]
            document["requested_ms"] = to_ms(document.pop("requested_at"))
            await self._pages.update_one(
                {"_id": request.key},
                {"$setOnInsert": document, "$inc": {"requests": 1}},
                upsert=True,
            )
        if self._delivery is not None:
            await self._delivery.page(requests)

    async def requested_between(self, start: datetime, end: datetime) -> list[PageRequest]:
        """Pages first requested in [start, end), once each whatever their ``requests``."""
        cursor = self._pages.find(
            {"requested_ms": {"$gte": to_ms(start), "$lt": to_ms(end)}}, {"requests": 0}
        )
        return [
            PageRequest(key=doc.pop("_id"), requested_at=from_ms(doc.pop("requested_ms")), **doc)
            async for doc in cursor
        ]
