"""The supervised Redis backend under the live hub, against a real redis-server that is
killed and started again on the same port."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from domain.errors import ResyncRequiredError
from notifications.hub import LiveHub
from notifications.publisher import BroadcastPublisher
from notifications.redis_broadcast import open_broadcast
from tests.notifications.test_hub import event, next_event
from tests.redis_server import redis_server

WAIT_S = 15.0


async def test_the_hub_tells_subscribers_to_resync_when_redis_goes_and_comes_back(
    tmp_path: Path,
) -> None:
    async with redis_server(tmp_path) as redis:
        broadcast = open_broadcast(redis.url)
        await broadcast.connect()
        hub = LiveHub(broadcast)
        await hub.start()
        publisher = BroadcastPublisher(broadcast)
        try:
            async with hub.subscribe(lambda e: True) as before:
                await publisher.publish([event(1)])
                assert (await next_event(before.events())).incident_id == "inc-1"
                await redis.kill()
                with pytest.raises(ResyncRequiredError):
                    await asyncio.wait_for(anext(before.events()), WAIT_S)

            # Subscribed during the outage: publishing fails quietly (the write it
            # announces is stored), and Redis's return ends this one too, since what
            # other replicas published meanwhile is lost.
            async with hub.subscribe(lambda e: True) as during:
                await publisher.publish([event(2)])
                await redis.start()
                with pytest.raises(ResyncRequiredError):
                    await asyncio.wait_for(anext(during.events()), WAIT_S)

            async with hub.subscribe(lambda e: True) as after:
                await publisher.publish([event(3)])
                assert (await next_event(after.events())).incident_id == "inc-3"
        finally:
            await hub.stop()
            await broadcast.disconnect()
