"""The public view of each page read from the store, kept briefly for the many readers."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.clock import Clock
from domain.statuspage.public import PublicStatusPage, build_public_page, shown_since
from domain.statuspage.repository import StatusPageRepository
from domain.statuspage.uptime import DAYS
from domain.store.timestamps import to_ms

PUBLIC_VIEW_TTL = timedelta(seconds=5)
"""How stale a public view may be: other replicas' changes show within this."""
MAX_CACHED_VIEWS = 256


class PublicViews:
    """Needs no caller at all: it returns only the public view (domain/statuspage/public.py)."""

    def __init__(self, *, repository: StatusPageRepository, clock: Clock) -> None:
        self._repo = repository
        self._clock = clock
        self._views: dict[str, tuple[datetime, PublicStatusPage]] = {}

    async def page(self, slug: str) -> PublicStatusPage:
        """Kept for PUBLIC_VIEW_TTL: an outage brings many readers, each reading a page
        costs several queries, and changes made through this process clear it at once."""
        now = self._clock.now()
        cached = self._views.get(slug)
        if cached is not None and cached[0] > now:
            return cached[1]
        view = await self._read(slug, now)
        if len(self._views) >= MAX_CACHED_VIEWS:
            self._views.clear()
        self._views[slug] = (now + PUBLIC_VIEW_TTL, view)
        return view

    async def page_id_of(self, slug: str) -> str:
        """For the public subscription: which page's events to pass on."""
        return (await self._repo.page_by_slug(slug)).id

    def forget(self) -> None:
        self._views.clear()

    async def _read(self, slug: str, now: datetime) -> PublicStatusPage:
        page = await self._repo.page_by_slug(slug)
        components = await self._repo.components.where({"page_id": page.id})
        incidents = await self._repo.incidents_of_page(page.id, since=shown_since(now))
        return build_public_page(
            page,
            groups=await self._repo.groups.where({"page_id": page.id}),
            components=components,
            changes=await self._repo.changes_of(
                [c.id for c in components], now - timedelta(days=DAYS)
            ),
            incidents=incidents,
            updates=await self._repo.updates_of([i.id for i in incidents]),
            maintenance=await self._repo.maintenance.where(
                {"page_id": page.id, "ends_ms": {"$gt": to_ms(now)}}
            ),
            now=now,
        )
