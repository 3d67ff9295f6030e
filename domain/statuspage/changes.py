"""Where every public change to a status page goes: cached views go stale, live readers
and confirmed subscribers learn."""

from __future__ import annotations

from domain.clock import Clock
from domain.statuspage import messages
from domain.statuspage.model import StatusPage
from domain.statuspage.ports import StatusEventKind, StatusEventPublisher, StatusPageEvent
from domain.statuspage.repository import StatusPageRepository
from domain.statuspage.subscriptions import Subscriptions
from domain.statuspage.views import PublicViews


class PublicChanges:
    def __init__(
        self,
        *,
        repository: StatusPageRepository,
        views: PublicViews,
        subscriptions: Subscriptions,
        status_events: StatusEventPublisher,
        clock: Clock,
        public_url: str,
    ) -> None:
        self._repo = repository
        self._views = views
        self._subscriptions = subscriptions
        self._status_events = status_events
        self._clock = clock
        self._public_url = public_url

    async def publish(self, events: list[StatusPageEvent]) -> None:
        self._views.forget()
        await self._status_events.publish(events)

    def page_deleted(self) -> None:
        """Nothing to tell: nobody can follow a page that is gone, but its view must go."""
        self._views.forget()

    async def page_changed(self, page: StatusPage) -> None:
        """Components or groups were added, renamed or removed."""
        await self.publish(
            [
                StatusPageEvent(
                    kind=StatusEventKind.PAGE_CHANGED,
                    page_id=page.id,
                    slug=page.slug,
                    committed_at=self._clock.now(),
                )
            ]
        )

    async def page_changed_by_id(self, page_id: str) -> None:
        await self.page_changed(await self._repo.pages.get(page_id))

    async def announce(
        self,
        page: StatusPage,
        key: str,
        compose: messages.Announcement,
        component_ids: tuple[str, ...],
        event: StatusPageEvent,
    ) -> None:
        """Tell the page's confirmed subscribers (naming the affected components), then
        everyone watching the page."""
        names = await self._repo.component_names(component_ids)
        url = messages.page_url(self._public_url, page)
        await self._subscriptions.announce(
            page, key, lambda unsubscribe: compose(url, names, unsubscribe)
        )
        await self.publish([event])
