"""The in-process hub: one broadcaster subscription fans out to many local subscribers.

broadcaster loses the first of two concurrent subscriptions to a new channel, keeps
unbounded queues and never reconnects. So each process subscribes exactly once, at
start-up, under a supervisor that resubscribes after a failure, and every local
subscriber gets a bounded queue: one that falls too far behind is ended with
SUBSCRIBER_TOO_SLOW instead of growing memory. When the listener fails, events may
have been missed, so every subscriber is ended with RESYNC_REQUIRED: it subscribes
again and refetches current state. The same happens when the Redis backend
(notifications/redis_broadcast.py) reports that its connection dropped or came back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Generic

from broadcaster import Broadcast
from typing_extensions import TypeVar

from domain.errors import ResyncRequiredError, SubscriberTooSlowError, VigilError
from domain.events import IncidentEvent
from domain.tasks import cancel_and_wait
from notifications.codec import decode_events
from notifications.publisher import INCIDENT_CHANNEL
from notifications.redis_broadcast import INTERRUPTED

log = logging.getLogger(__name__)

DEFAULT_QUEUE_SIZE = 1000
_RETRY_DELAY_S = 1.0


EventFilter = Callable[[IncidentEvent], bool]
E = TypeVar("E", default=IncidentEvent)
"""What a hub carries: incident events, or another kind (status page events)."""


class Subscriber(Generic[E]):
    def __init__(self, accepts: Callable[[E], bool], queue_size: int) -> None:
        self.accepts = accepts
        self.queue_size = queue_size
        # One slot more than the bound, for the error that ends the stream.
        self._queue: asyncio.Queue[E | VigilError] = asyncio.Queue(queue_size + 1)
        self._ended = False

    def offer(self, event: E) -> None:
        if self._ended or not self.accepts(event):
            return
        if self._queue.qsize() >= self.queue_size:
            self.end(
                SubscriberTooSlowError(
                    f"This subscription fell more than {self.queue_size} events behind and "
                    "was closed."
                )
            )
            return
        self._queue.put_nowait(event)

    def end(self, reason: VigilError) -> None:
        """Deliver what is queued, then raise `reason` to the reader."""
        if not self._ended:
            self._ended = True
            self._queue.put_nowait(reason)

    async def events(self) -> AsyncIterator[E]:
        while True:
            item = await self._queue.get()
            if isinstance(item, VigilError):
                raise item
            yield item


class Fanout(Generic[E]):
    """One broadcaster channel, decoded, fanned out to local subscribers."""

    def __init__(
        self,
        broadcast: Broadcast,
        *,
        channel: str,
        decode: Callable[[str], list[E]],
        queue_size: int = DEFAULT_QUEUE_SIZE,
    ) -> None:
        self._broadcast = broadcast
        self._channel = channel
        self._decode = decode
        self._queue_size = queue_size
        self._subscribers: set[Subscriber[E]] = set()
        self._listening = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen(), name=f"vigil-live-{self._channel}")
        await self._listening.wait()

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None

    @contextlib.asynccontextmanager
    async def subscribe(self, accepts: Callable[[E], bool]) -> AsyncIterator[Subscriber[E]]:
        subscriber = Subscriber(accepts, self._queue_size)
        self._subscribers.add(subscriber)
        try:
            yield subscriber
        finally:
            self._subscribers.discard(subscriber)

    def dispatch(self, events: list[E]) -> None:
        for event in events:
            for subscriber in tuple(self._subscribers):
                try:
                    subscriber.offer(event)
                except Exception:  # one broken filter must not starve the others
                    log.exception("dropping a subscriber whose filter failed")
                    subscriber.end(ResyncRequiredError("This subscription failed internally."))

    async def _listen(self) -> None:
        while True:
            try:
                async with self._broadcast.subscribe(self._channel) as messages:
                    self._listening.set()
                    async for message in messages:  # type: ignore[union-attr]
                        if message is None:
                            continue
                        if message.message == INTERRUPTED:  # the Redis backend reconnects
                            self._tell_to_resync()
                        elif self._subscribers:  # else nobody to decode it for
                            self.dispatch(self._decode(message.message))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live event listener failed; subscribing again")
                self._tell_to_resync()
                await asyncio.sleep(_RETRY_DELAY_S)

    def _tell_to_resync(self) -> None:
        for subscriber in tuple(self._subscribers):
            subscriber.end(
                ResyncRequiredError("Live events were interrupted; some may have been missed.")
            )


class LiveHub(Fanout[IncidentEvent]):
    """Incident events: what GraphQL's incident subscriptions read."""

    def __init__(self, broadcast: Broadcast, *, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        super().__init__(
            broadcast, channel=INCIDENT_CHANNEL, decode=decode_events, queue_size=queue_size
        )
