"""The live hub and its JSON codec, over a real broadcaster on memory://."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from broadcaster import Broadcast

from domain.errors import ErrorCode, ResyncRequiredError, SubscriberTooSlowError
from domain.events import IncidentEvent, IncidentEventKind
from notifications.codec import decode_events, encode_events
from notifications.hub import Fanout, LiveHub, Subscriber
from notifications.publisher import INCIDENT_CHANNEL, BroadcastPublisher

T0 = datetime(2026, 11, 26, 15, 4, 5, 123000, tzinfo=UTC)
WAIT_S = 5.0


def event(
    number: int, service_id: str = "svc-a", kind: IncidentEventKind = IncidentEventKind.CREATED
) -> IncidentEvent:
    return IncidentEvent(
        kind=kind,
        incident_id=f"inc-{number}",
        service_id=service_id,
        committed_at=T0 + timedelta(seconds=number),
        incident={"_id": f"inc-{number}", "number": number, "title": f"incident {number}"},
    )


def of_service(service_id: str) -> Any:
    return lambda e: e.service_id == service_id


async def next_event(stream: AsyncIterator[IncidentEvent]) -> IncidentEvent:
    return await asyncio.wait_for(anext(stream), WAIT_S)


@pytest.fixture
async def broadcast() -> AsyncIterator[Broadcast]:
    transport = Broadcast("memory://")
    await transport.connect()
    try:
        yield transport
    finally:
        await transport.disconnect()


@pytest.fixture
async def hub(broadcast: Broadcast) -> AsyncIterator[LiveHub]:
    live = LiveHub(broadcast)
    await live.start()
    try:
        yield live
    finally:
        await live.stop()


@pytest.fixture
async def small_hub(broadcast: Broadcast) -> AsyncIterator[LiveHub]:
    live = LiveHub(broadcast, queue_size=3)
    await live.start()
    try:
        yield live
    finally:
        await live.stop()


@pytest.fixture
def publisher(broadcast: Broadcast) -> BroadcastPublisher:
    return BroadcastPublisher(broadcast)


async def test_published_events_reach_accepting_subscribers_only(
    hub: LiveHub, publisher: BroadcastPublisher
) -> None:
    async with (
        hub.subscribe(of_service("svc-a")) as wants_a,
        hub.subscribe(of_service("svc-b")) as wants_b,
    ):
        a_events, b_events = wants_a.events(), wants_b.events()
        await publisher.publish([event(1, "svc-a"), event(2, "svc-a")])
        await publisher.publish([event(3, "svc-b")])

        assert await next_event(a_events) == event(1, "svc-a")
        assert await next_event(a_events) == event(2, "svc-a")
        # svc-a's events were dispatched before svc-b's: had wants_b accepted them,
        # they would come before event 3.
        assert await next_event(b_events) == event(3, "svc-b")

        await publisher.publish([event(4, "svc-a")])
        assert await next_event(a_events) == event(4, "svc-a")


async def test_every_accepting_subscriber_gets_each_event(
    hub: LiveHub, publisher: BroadcastPublisher
) -> None:
    async with hub.subscribe(lambda e: True) as first, hub.subscribe(lambda e: True) as second:
        await publisher.publish([event(1)])
        assert await next_event(first.events()) == event(1)
        assert await next_event(second.events()) == event(1)


async def test_filter_sees_the_decoded_event(hub: LiveHub, publisher: BroadcastPublisher) -> None:
    seen: list[IncidentEvent] = []

    def accepts(candidate: IncidentEvent) -> bool:
        seen.append(candidate)
        return candidate.kind is IncidentEventKind.RESOLVED

    async with hub.subscribe(accepts) as subscriber:
        await publisher.publish([event(1), event(2, kind=IncidentEventKind.RESOLVED), event(3)])
        assert await next_event(subscriber.events()) == event(2, kind=IncidentEventKind.RESOLVED)
    assert seen[:2] == [event(1), event(2, kind=IncidentEventKind.RESOLVED)]


async def test_publishing_no_events_sends_nothing(broadcast: Broadcast) -> None:
    async with broadcast.subscribe(INCIDENT_CHANNEL) as raw:
        await BroadcastPublisher(broadcast).publish([])
        await BroadcastPublisher(broadcast).publish([event(1)])
        message = await asyncio.wait_for(raw.get(), WAIT_S)
    assert isinstance(message.message, str)  # JSON at the boundary, as redis:// needs
    assert decode_events(message.message) == [event(1)]


async def test_slow_subscriber_gets_too_slow_error_and_others_are_unaffected(
    small_hub: LiveHub, publisher: BroadcastPublisher
) -> None:
    async with (
        small_hub.subscribe(lambda e: True) as slow,
        small_hub.subscribe(lambda e: True) as fast,
    ):
        fast_events = fast.events()
        # The fast one reads each event as it comes; the slow one reads nothing.
        for number in range(1, 11):
            await publisher.publish([event(number)])
            assert await next_event(fast_events) == event(number)

        slow_events = slow.events()
        received: list[IncidentEvent] = []
        with pytest.raises(SubscriberTooSlowError) as caught:
            for _ in range(slow.queue_size + 2):
                received.append(await next_event(slow_events))
        assert received == [event(1), event(2), event(3)]
        assert caught.value.code is ErrorCode.SUBSCRIBER_TOO_SLOW
        assert "3 events behind" in caught.value.message

        # The fast subscriber still receives what comes next.
        await publisher.publish([event(11)])
        assert await next_event(fast_events) == event(11)
        assert small_hub.subscriber_count == 2


async def test_overflow_in_one_message_does_not_break_the_listener(
    small_hub: LiveHub, publisher: BroadcastPublisher
) -> None:
    async with (
        small_hub.subscribe(lambda e: True) as slow,
        small_hub.subscribe(lambda e: e.incident_id == "inc-9") as later,
    ):
        await publisher.publish([event(n) for n in range(1, 9)])
        await publisher.publish([event(9)])
        # The listener survived the overflow and goes on dispatching.
        assert await next_event(later.events()) == event(9)
        slow_events = slow.events()
        for number in (1, 2, 3):
            assert await next_event(slow_events) == event(number)
        with pytest.raises(SubscriberTooSlowError):
            await next_event(slow_events)


def test_subscriber_queue_stays_bounded_after_overflow() -> None:
    subscriber = Subscriber(lambda e: True, queue_size=3)
    for number in range(100):
        subscriber.offer(event(number))
    assert subscriber._queue.qsize() == 4  # three events and the overflow mark


async def test_unsubscribing_removes_the_subscriber(
    hub: LiveHub, publisher: BroadcastPublisher
) -> None:
    assert hub.subscriber_count == 0
    async with hub.subscribe(lambda e: True):
        assert hub.subscriber_count == 1
        async with hub.subscribe(lambda e: True) as inner:
            assert hub.subscriber_count == 2
        assert hub.subscriber_count == 1
        await publisher.publish([event(1)])
        await asyncio.sleep(0.05)
        assert inner._queue.empty()  # no longer offered events
    assert hub.subscriber_count == 0


async def test_unsubscribing_after_an_error_removes_the_subscriber(hub: LiveHub) -> None:
    with pytest.raises(RuntimeError):
        async with hub.subscribe(lambda e: True):
            assert hub.subscriber_count == 1
            raise RuntimeError("websocket closed")
    assert hub.subscriber_count == 0


def test_codec_round_trips_datetimes_as_timezone_aware_values() -> None:
    plus_two = timezone(timedelta(hours=2))
    original = IncidentEvent(
        kind=IncidentEventKind.ACKNOWLEDGED,
        incident_id="inc-1",
        service_id="svc-a",
        committed_at=T0,
        incident={
            "_id": "inc-1",
            "created_at": datetime(2026, 11, 26, 17, 0, tzinfo=plus_two),
            "nested": {"at": T0, "list": [T0, 3, "x", None, True]},
            "resolved_at": None,
            "count": 2,
        },
    )
    message = encode_events([original])
    assert isinstance(message, str)
    [decoded] = decode_events(message)
    assert decoded == original
    assert decoded.kind is IncidentEventKind.ACKNOWLEDGED
    assert decoded.committed_at.tzinfo is not None
    assert decoded.committed_at.utcoffset() == timedelta(0)
    created = decoded.incident["created_at"]
    assert isinstance(created, datetime)
    assert created.utcoffset() == timedelta(hours=2)
    assert decoded.incident["nested"]["list"][0].tzinfo is not None


def test_codec_round_trips_every_event_kind_in_order() -> None:
    events = [event(n, kind=kind) for n, kind in enumerate(IncidentEventKind)]
    assert decode_events(encode_events(events)) == events
    assert decode_events(encode_events([])) == []


def test_codec_refuses_values_json_cannot_carry() -> None:
    bad = IncidentEvent(IncidentEventKind.CREATED, "inc-1", "svc-a", T0, incident={"blob": b"\x00"})
    with pytest.raises(TypeError, match="bytes"):
        encode_events([bad])


async def test_listener_failure_tells_every_subscriber_to_resync(
    broadcast: Broadcast, hub: LiveHub
) -> None:
    async with hub.subscribe(lambda e: True) as first, hub.subscribe(lambda e: True) as second:
        await broadcast.publish(INCIDENT_CHANNEL, "not json")
        for subscriber in (first, second):
            with pytest.raises(ResyncRequiredError) as ended:
                await next_event(subscriber.events())
            assert ended.value.code is ErrorCode.RESYNC_REQUIRED


async def test_a_failing_filter_ends_only_its_own_subscriber(
    broadcast: Broadcast, hub: LiveHub
) -> None:
    def broken(_: IncidentEvent) -> bool:
        raise RuntimeError("bug in a filter")

    async with hub.subscribe(broken) as bad, hub.subscribe(lambda e: True) as good:
        await BroadcastPublisher(broadcast).publish([event(1)])
        assert (await next_event(good.events())).incident_id == "inc-1"
        with pytest.raises(ResyncRequiredError):
            await next_event(bad.events())


async def test_messages_nobody_subscribes_to_are_not_decoded(broadcast: Broadcast) -> None:
    decoded: list[str] = []

    def decode(message: str) -> list[str]:
        decoded.append(message)
        return [message]

    fanout: Fanout[str] = Fanout(broadcast, channel="unheard", decode=decode)
    await fanout.start()
    try:
        await broadcast.publish("unheard", "before anyone listens")
        await asyncio.sleep(0.2)  # the listener takes it within microseconds
        assert decoded == []
        async with fanout.subscribe(lambda e: True) as subscriber:
            await broadcast.publish("unheard", "heard")
            assert await asyncio.wait_for(anext(subscriber.events()), WAIT_S) == "heard"
        assert decoded == ["heard"]
    finally:
        await fanout.stop()
