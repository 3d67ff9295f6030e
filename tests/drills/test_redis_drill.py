"""Drill: kill Redis (SIGKILL) under subscribers on two replicas, then start it again.

Two `vigil serve` replicas share one store and a real redis-server. Two websocket
subscribers per replica watch `incidentEvents` while a sender ingests one alert
(on a service of its own, so each opens an incident) every 0.2 s, alternating
replicas. Redis is killed: every subscriber must be ended with RESYNC_REQUIRED, and
ingest must keep answering 2xx (the store is the record; events are a notification).
Redis starts again on the same port: subscribers that subscribe again (as told) must
receive events of alerts ingested on the *other* replica. Figures: alerts sent,
acknowledged, stored, duplicates, seconds to the resync and to the first event after.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import websockets

from tests.api.queries import INGEST
from tests.api.replicas import INCIDENT_EVENTS, Replicas, replicas
from tests.support import ADMIN_TOKEN, GRAPHQL_TRANSPORT_WS

RUN = "rd"
SEND_EVERY_S = 0.2
OUTAGE_S = 3.0
RESYNC_WITHIN_S = 5.0
RECOVER_WITHIN_S = 20.0
SUBSCRIBERS_PER_REPLICA = 2


@dataclass
class Traffic:
    sent: int = 0
    acknowledged: set[str] = field(default_factory=set)
    origin: dict[str, tuple[int, float]] = field(default_factory=dict)
    """Service name -> (replica it was ingested on, when)."""


class Watcher:
    """One graphql-transport-ws connection that subscribes again whenever told to resync."""

    def __init__(self, replica: int, ws: websockets.ClientConnection) -> None:
        self.replica = replica
        self._ws = ws
        self._operation = 0
        self.resyncs: list[float] = []
        self.events: list[tuple[str, float]] = []
        """(service name, when received)."""

    async def start(self) -> None:
        await self._ws.send(
            json.dumps(
                {"type": "connection_init", "payload": {"authorization": f"Bearer {ADMIN_TOKEN}"}}
            )
        )
        assert json.loads(await self._ws.recv())["type"] == "connection_ack"
        await self._subscribe()

    async def _subscribe(self) -> None:
        self._operation += 1
        message = {"id": str(self._operation), "type": "subscribe"}
        await self._ws.send(json.dumps({**message, "payload": {"query": INCIDENT_EVENTS}}))

    async def run(self) -> None:
        async for raw in self._ws:
            message = json.loads(raw)
            if message.get("id") != str(self._operation):
                continue  # what is left of an operation that already ended
            if message["type"] == "ping":
                await self._ws.send(json.dumps({"type": "pong"}))
            elif message["type"] in ("next", "error"):
                payload = message["payload"]
                errors = payload.get("errors") if isinstance(payload, dict) else payload
                if errors:
                    codes = {e.get("extensions", {}).get("code") for e in errors}
                    assert codes == {"RESYNC_REQUIRED"}, errors
                    self.resyncs.append(time.monotonic())
                    await self._subscribe()  # as the error's suggestion says
                else:
                    name = payload["data"]["incidentEvents"]["incident"]["service"]["name"]
                    self.events.append((name, time.monotonic()))


async def send(running: Replicas, traffic: Traffic, stop: asyncio.Event) -> None:
    clients = [running.client(0), running.client(1)]
    while not stop.is_set():
        replica = traffic.sent % 2
        service = f"{RUN}-svc-{traffic.sent}"
        traffic.sent += 1
        traffic.origin[service] = (replica, time.monotonic())
        alert = {"summary": "drill", "service": service, "dedupKey": service}
        response = await clients[replica].execute(INGEST, {"alerts": [alert]})
        if not response.get("errors"):
            traffic.acknowledged.add(service)
        await asyncio.sleep(SEND_EVERY_S)


def from_other_replica_after(watcher: Watcher, traffic: Traffic, moment: float) -> float | None:
    """When the watcher first got an event of an alert the other replica ingested
    after ``moment``."""
    for name, received in watcher.events:
        replica, sent_at = traffic.origin.get(name, (watcher.replica, 0.0))
        if replica != watcher.replica and sent_at > moment:
            return received
    return None


async def test_killing_redis_tells_subscribers_to_resync_and_events_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with replicas(tmp_path, monkeypatch, "drill_redis") as running:
        async with contextlib.AsyncExitStack() as stack:
            watchers = []
            for replica in (0, 1):
                for _ in range(SUBSCRIBERS_PER_REPLICA):
                    ws = await stack.enter_async_context(
                        websockets.connect(
                            running.server(replica).ws_url, subprotocols=[GRAPHQL_TRANSPORT_WS]
                        )
                    )
                    watcher = Watcher(replica, ws)
                    await watcher.start()
                    watchers.append(watcher)
            readers = [asyncio.create_task(w.run()) for w in watchers]
            traffic, stop = Traffic(), asyncio.Event()
            sender = asyncio.create_task(send(running, traffic, stop))
            try:
                await wait_for(
                    lambda: all(from_other_replica_after(w, traffic, 0) for w in watchers), 20
                )
                await running.redis.kill()
                killed_at = time.monotonic()
                await wait_for(lambda: all(w.resyncs for w in watchers), RESYNC_WITHIN_S)
                resync_s = max(w.resyncs[0] for w in watchers) - killed_at
                await asyncio.sleep(max(0.0, OUTAGE_S - (time.monotonic() - killed_at)))
                await running.redis.start()
                restarted_at = time.monotonic()
                await wait_for(
                    lambda: all(
                        from_other_replica_after(w, traffic, restarted_at) for w in watchers
                    ),
                    RECOVER_WITHIN_S,
                )
                recovered_s = (
                    max(from_other_replica_after(w, traffic, restarted_at) or 0.0 for w in watchers)
                    - restarted_at
                )
            finally:
                stop.set()
                await sender
                for reader in readers:
                    reader.cancel()
                await asyncio.gather(*readers, return_exceptions=True)

        alerts = await running.db["alerts"].find({}, {"dedup_key": 1}).to_list(None)
        per_key = Counter(doc["dedup_key"] for doc in alerts)
        report = {
            "alerts_sent": traffic.sent,
            "acknowledged": len(traffic.acknowledged),
            "stored": len(per_key),
            "duplicates": sum(n - 1 for n in per_key.values()),
            "lost": len(traffic.acknowledged - set(per_key)),
            "subscribers": len(watchers),
            "resyncs_per_subscriber": sorted(len(w.resyncs) for w in watchers),
            "resync_s": round(resync_s, 2),
            "outage_s": round(restarted_at - killed_at, 2),
            "events_again_s": round(recovered_s, 2),
        }
        print("DRILL redis-kill", json.dumps(report))
        assert report["acknowledged"] == traffic.sent, "ingest must not fail without Redis"
        assert report["lost"] == 0
        assert report["duplicates"] == 0


async def wait_for(condition: Callable[[], object], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s"
        await asyncio.sleep(0.05)
