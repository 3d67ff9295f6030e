"""Subscribers of a status page: double opt-in, signed links, and announcements.

Anyone may subscribe (it is a public page), so nothing is sent to an address but one
confirmation message until its owner follows the signed confirm link. Every message
carries a signed unsubscribe link that works without any login.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from domain.auth import Action, Principal
from domain.clock import Clock
from domain.ids import new_id
from domain.statuspage import messages
from domain.statuspage.model import (
    StatusPage,
    Subscriber,
    SubscriberKind,
    SubscriberState,
)
from domain.statuspage.ports import (
    LinkPurpose,
    SubscriberLinks,
    SubscriberMessage,
    SubscriberNotifier,
)
from domain.statuspage.repository import StatusPageRepository

Compose = Callable[[str], SubscriberMessage]
"""A message, given the subscriber's unsubscribe link."""


@dataclass(frozen=True, slots=True)
class Subscription:
    subscriber: Subscriber
    signing_secret: str | None
    """A new webhook subscriber's signing key: returned once, to whoever subscribed."""


class Subscriptions:
    def __init__(
        self,
        *,
        repository: StatusPageRepository,
        links: SubscriberLinks,
        notifier: SubscriberNotifier,
        clock: Clock,
        public_url: str,
    ) -> None:
        self._repository = repository
        self._links = links
        self._notifier = notifier
        self._clock = clock
        self._public_url = public_url

    async def subscribe(self, slug: str, kind: SubscriberKind, address: str) -> Subscription:
        """Register the address and send it a confirm link; a confirmed one stays as it is."""
        page = await self._repository.page_by_slug(slug)
        kind = SubscriberKind(kind)
        secret = secrets.token_hex(32) if kind is SubscriberKind.WEBHOOK else None
        draft = Subscriber(
            id=new_id(),
            page_id=page.id,
            kind=kind,
            address=address,
            state=SubscriberState.PENDING,
            signing_secret=secret,
            created_at=self._clock.now(),
        )
        subscriber = await self._repository.insert_subscriber(draft)
        if subscriber.confirmed:
            return Subscription(subscriber, None)
        confirm = await self._links.url(LinkPurpose.CONFIRM, page, subscriber.id)
        unsubscribe = await self._links.url(LinkPurpose.UNSUBSCRIBE, page, subscriber.id)
        url = messages.page_url(self._public_url, page)
        # A new key per request: asking again sends the link again.
        await self._notifier.notify(
            f"status-confirm|{new_id()}",
            [(subscriber, messages.confirmation(page, url, confirm, unsubscribe))],
        )
        return Subscription(subscriber, secret if subscriber is draft else None)

    async def check(self, purpose: LinkPurpose, token: str) -> tuple[StatusPage, Subscriber]:
        """What a link would act on; changes nothing (mail scanners open links too)."""
        subscriber = await self._repository.subscribers.get(
            await self._links.verify(purpose, token)
        )
        return await self._repository.pages.get(subscriber.page_id), subscriber

    async def confirm(self, token: str) -> tuple[StatusPage, Subscriber]:
        page, subscriber = await self.check(LinkPurpose.CONFIRM, token)
        return page, await self._repository.confirm(subscriber.id)

    async def unsubscribe(self, token: str) -> tuple[StatusPage, Subscriber]:
        page, subscriber = await self.check(LinkPurpose.UNSUBSCRIBE, token)
        await self._repository.subscribers.delete(subscriber.id)
        return page, subscriber

    async def announce(self, page: StatusPage, key: str, compose: Compose) -> int:
        """Queue one message per confirmed subscriber of the page."""
        confirmed = await self._repository.subscribers.where(
            {"page_id": page.id, "state": SubscriberState.CONFIRMED.value}
        )
        batch = [
            (s, compose(await self._links.url(LinkPurpose.UNSUBSCRIBE, page, s.id)))
            for s in confirmed
        ]
        return await self._notifier.notify(key, batch) if batch else 0

    async def count(self, principal: Principal, page_id: str) -> dict[SubscriberState, int]:
        principal.require(Action.READ)
        found = await self._repository.subscribers.where({"page_id": page_id})
        return {state: sum(1 for s in found if s.state is state) for state in SubscriberState}
