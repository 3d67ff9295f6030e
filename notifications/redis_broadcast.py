"""A broadcaster backend for Redis that survives Redis going away.

broadcaster's own Redis backend lets its listener task die with the connection, after
which its subscribers wait forever; and redis-py, left to retry on its own, would
reconnect and resubscribe quietly, hiding that messages were lost meanwhile. Here the
listening connection never retries by itself: a supervisor reconnects with backoff and
puts `INTERRUPTED` on every subscribed channel when the connection is lost and again
when it is back (whoever subscribed during the outage missed what other replicas
published), so the hub tells its subscribers to resync. A publish that fails is
logged and turned into the same marker for this process's subscribers: the write it
announces is stored, and live events are a notification, not the record.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from broadcaster import Broadcast
from broadcaster._backends.base import BroadcastBackend
from broadcaster._base import Event
from redis import asyncio as redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from domain.tasks import cancel_and_wait

log = logging.getLogger(__name__)

INTERRUPTED = "vigil:live-events-interrupted"
"""Not JSON, so never an encoded batch of events."""

_FIRST_RETRY_S = 0.2
_MAX_RETRY_S = 5.0
_CONNECT_TIMEOUT_S = 2.0


def open_broadcast(url: str) -> Broadcast:
    """broadcaster for ``url``, with this backend for Redis."""
    if url.startswith(("redis://", "rediss://")):
        return Broadcast(backend=SupervisedRedisBackend(url))
    return Broadcast(url)


class SupervisedRedisBackend(BroadcastBackend):
    def __init__(self, url: str) -> None:
        # One reconnect for publishing, since a restarted Redis leaves pooled
        # connections dead; none for listening (see the module's docstring).
        self._publisher = redis.Redis.from_url(
            url,
            retry=Retry(NoBackoff(), 1),
            socket_connect_timeout=_CONNECT_TIMEOUT_S,
            socket_timeout=_CONNECT_TIMEOUT_S,
        )
        self._listener = redis.Redis.from_url(
            url,
            retry=Retry(NoBackoff(), 0),
            socket_connect_timeout=_CONNECT_TIMEOUT_S,
            socket_keepalive=True,
        )
        self._channels: set[str] = set()
        self._wanted = asyncio.Event()
        self._pubsub: PubSub | None = None
        # Also: redis-py's PubSub opens its connection on the first subscribe, and two
        # at once could each open one.
        self._subscribing = asyncio.Lock()
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        await self._publisher.ping()  # an unreachable Redis fails start-up, not later
        # Connected now, so that a subscribe is in force when it returns.
        pubsub = self._listener.pubsub()
        await pubsub.connect()  # type: ignore[no-untyped-call]
        self._pubsub = pubsub
        self._task = asyncio.create_task(self._supervise(), name="vigil-redis-listener")

    async def disconnect(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)
        await self._drop()
        await self._publisher.aclose()
        await self._listener.aclose()

    async def subscribe(self, channel: str) -> None:
        # Under the lock the supervisor subscribes under: either its connection exists
        # and takes the channel here, or it is still to come and takes the whole set.
        async with self._subscribing:
            self._channels.add(channel)
            if self._pubsub is not None:
                with contextlib.suppress(RedisError, OSError):  # the supervisor resubscribes
                    await self._pubsub.subscribe(channel)
        self._wanted.set()

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)
        if not self._channels:
            self._wanted.clear()
        if self._pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._pubsub.unsubscribe(channel)

    async def publish(self, channel: str, message: Any) -> None:
        try:
            await self._publisher.publish(channel, message)
        except (RedisError, OSError) as error:
            log.warning("could not publish a live event (%s); subscribers here must resync", error)
            if self._pubsub is not None:  # else the supervisor has told them, and will again
                self._queue.put_nowait(Event(channel=channel, message=INTERRUPTED))

    async def next_published(self) -> Event:
        return await self._queue.get()

    async def _supervise(self) -> None:
        wait = _FIRST_RETRY_S
        lost = False
        while True:
            await self._wanted.wait()
            try:
                pubsub = self._pubsub or await self._reconnect()
                if lost:
                    log.warning("live events: connected to Redis again")
                    self._interrupted()
                    lost = False
                wait = _FIRST_RETRY_S
                async for message in pubsub.listen():
                    if message["type"] == "message":
                        await self._queue.put(
                            Event(
                                channel=message["channel"].decode(),
                                message=message["data"].decode(),
                            )
                        )
                if not self._channels:  # every channel unsubscribed: shutting down
                    continue
            except (RedisError, OSError) as error:
                log.warning("live events: lost Redis (%s); retrying in %.1f s", error, wait)
            await self._drop()
            if not lost:
                self._interrupted()
                lost = True
            await asyncio.sleep(wait)
            wait = min(wait * 2, _MAX_RETRY_S)

    async def _reconnect(self) -> PubSub:
        pubsub = self._listener.pubsub()
        try:
            async with self._subscribing:
                await pubsub.subscribe(*self._channels)
                self._pubsub = pubsub
        except BaseException:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
            raise
        return pubsub

    async def _drop(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    def _interrupted(self) -> None:
        for channel in self._channels:
            self._queue.put_nowait(Event(channel=channel, message=INTERRUPTED))
