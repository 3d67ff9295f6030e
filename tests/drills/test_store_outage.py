"""Drill: the store stops under load, then comes back; Vigil is never restarted.

Two clients ingest continuously (GraphQL `ingestAlerts` and the generic webhook) while
a third polls /healthz. The store (nx-27017, started by the test) is first killed with
SIGKILL and started again on the same port and files, then frozen with SIGSTOP and
thawed with SIGCONT. While it is away every request must fail within `FAIL_FAST_S`
with STORE_UNAVAILABLE (HTTP 503 and a JSON body for webhooks and /healthz, a GraphQL
error code for GraphQL); once it is back, ingest succeeds again, every acknowledged
alert is stored exactly once, and the background loops are still running.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench._cluster import Cluster, VigilProcess
from bench.escalation import store_of
from domain.store.embedded import EmbeddedStore, free_loopback_port
from tests.api.queries import CREATE_KEY
from tests.drills.load import Attempt, Sender, alert, remote_client
from tests.support import ADMIN_TOKEN

STORE_TIMEOUT_S = "1.5"
SOCKET_TIMEOUT_S = "2"
FAIL_FAST_S = 5.0
OUTAGE_S = 8.0
BATCH = 50
RUN = "so"


@dataclass
class Observed:
    phase: str = "before"
    next_alert: int = 0
    attempts: list[tuple[str, Attempt, list[str]]] = field(default_factory=list)
    health: list[tuple[str, int | None, dict[str, Any], float]] = field(default_factory=list)
    stop: bool = False

    def acknowledged_in(self, phase: str) -> int:
        return sum(1 for p, a, _ in self.attempts if p == phase and a.acknowledged)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "store")
    await store.start()
    yield store
    os.kill(_pid(store), signal.SIGCONT)  # never leave it frozen
    await store.stop()


def _pid(store: EmbeddedStore) -> int:
    return int(store.pid_file.read_text().strip())


async def ingest(sender: Sender, channel: str, observed: Observed) -> None:
    async with httpx.AsyncClient(timeout=30, trust_env=False) as http:
        while not observed.stop:
            first = observed.next_alert
            observed.next_alert += BATCH
            batch = [alert(n, RUN) for n in range(first, first + BATCH)]
            phase = observed.phase
            attempt = await sender.send(http, channel, batch)
            observed.attempts.append((phase, attempt, [a["dedupKey"] for a in batch]))
            await asyncio.sleep(0.05 if attempt.acknowledged else 0.2)


async def poll_health(base_url: str, observed: Observed) -> None:
    async with httpx.AsyncClient(timeout=30, trust_env=False) as http:
        while not observed.stop:
            phase, started = observed.phase, time.monotonic()
            try:
                response = await http.get(f"{base_url}/healthz")
                status, body = response.status_code, response.json()
            except httpx.HTTPError:
                status, body = None, {}
            observed.health.append((phase, status, body, time.monotonic() - started))
            await asyncio.sleep(0.5)


async def until_ingest_succeeds(observed: Observed, phase: str) -> float:
    """Seconds from now until an attempt started in `phase` is acknowledged."""
    started = time.monotonic()
    while not observed.acknowledged_in(phase):
        assert time.monotonic() - started < 30, f"ingest did not recover in {phase}"
        await asyncio.sleep(0.1)
    return time.monotonic() - started


async def until_background_resumed(server: VigilProcess) -> float:
    """Seconds until every background loop that backed off has said it resumed."""
    started = time.monotonic()
    while True:
        lines = server.log.read_text(errors="replace").splitlines()
        loops = Counter(
            line.split("[", 2)[2].split("]")[0] for line in lines if "periodic tasks [" in line
        )
        if all(n % 2 == 0 for n in loops.values()):  # each backoff line has its resume line
            return time.monotonic() - started
        assert time.monotonic() - started < 20, f"background loops still backing off: {loops}"
        await asyncio.sleep(0.5)


def outage_figures(observed: Observed, phase: str) -> dict[str, Any]:
    attempts = [a for p, a, _ in observed.attempts if p == phase]
    health = [(s, b, t) for p, s, b, t in observed.health if p == phase]
    return {
        "attempts": len(attempts),
        "acknowledged": sum(1 for a in attempts if a.acknowledged),
        "answers": dict(Counter(f"{a.channel} {a.status} {a.code}" for a in attempts)),
        "slowest_s": round(max((a.seconds for a in attempts), default=0), 2),
        "health": dict(
            Counter(f"{s} {b.get('code')} {b.get('store', {}).get('status')}" for s, b, _ in health)
        ),
        "slowest_health_s": round(max((t for _, _, t in health), default=0), 2),
        "_attempts": attempts,
        "_health": health,
    }


def assert_failed_fast(figures: dict[str, Any]) -> None:
    attempts: list[Attempt] = figures["_attempts"]
    assert attempts, "the load kept going during the outage"
    for attempt in attempts:
        assert attempt.seconds < FAIL_FAST_S, attempt
        if attempt.acknowledged:
            continue  # served before the store went, or after it came back
        if attempt.channel == "webhook":
            assert (attempt.status, attempt.code) == (503, "STORE_UNAVAILABLE"), attempt
        else:
            assert (attempt.status, attempt.code) == (200, "STORE_UNAVAILABLE"), attempt
    assert any(not a.acknowledged for a in attempts)
    health = figures["_health"]
    down = [(s, b) for s, b, _ in health if s != 200]
    assert down, "/healthz saw the outage"
    for status, body in down:
        assert status == 503
        assert body["code"] == "STORE_UNAVAILABLE" and body["message"] and body["suggestion"]
        assert body["store"]["status"] == "down"
    assert all(t < FAIL_FAST_S for _, _, t in health)


async def test_store_outage_fails_fast_and_recovers_without_restart(
    tmp_path: Path, store: EmbeddedStore
) -> None:
    assert store.port is not None
    running = Cluster(
        uri=store.uri, database="drill_outage", tmp=tmp_path, admin_token=ADMIN_TOKEN, processes=[]
    )
    port = free_loopback_port()
    try:
        server = await running.serve(
            port,
            VIGIL_STORE_TIMEOUT_SECONDS=STORE_TIMEOUT_S,
            VIGIL_STORE_SOCKET_TIMEOUT_SECONDS=SOCKET_TIMEOUT_S,
        )
        await _drill(running, server, store, port)
    finally:
        for process in running.processes:
            await process.stop()


async def _drill(running: Cluster, server: VigilProcess, store: EmbeddedStore, port: int) -> None:
    key = await remote_client(port).data(CREATE_KEY, {"input": {"name": "drill"}})
    base_url = f"http://127.0.0.1:{port}"
    sender = Sender(base_url, ADMIN_TOKEN, key["createIntegrationKey"]["secret"])
    observed = Observed()
    load = [
        asyncio.create_task(ingest(sender, "graphql", observed)),
        asyncio.create_task(ingest(sender, "webhook", observed)),
        asyncio.create_task(poll_health(base_url, observed)),
    ]
    started = time.monotonic()
    await until_ingest_succeeds(observed, "before")
    await asyncio.sleep(2)

    # 1. Killed: connections are refused until it is started again on the same port.
    os.kill(_pid(store), signal.SIGKILL)
    observed.phase = "killed"
    await asyncio.sleep(OUTAGE_S)
    await store.start(port=store.port)
    observed.phase = "restarted"
    recovered_after_kill_s = await until_ingest_succeeds(observed, "restarted")
    await asyncio.sleep(2)

    # 2. Frozen: connections stay open and nothing answers.
    os.kill(_pid(store), signal.SIGSTOP)
    observed.phase = "frozen"
    await asyncio.sleep(OUTAGE_S)
    os.kill(_pid(store), signal.SIGCONT)
    observed.phase = "thawed"
    recovered_after_freeze_s = await until_ingest_succeeds(observed, "thawed")
    await asyncio.sleep(2)
    observed.stop = True
    await asyncio.gather(*load)
    background_back_s = await until_background_resumed(server)

    assert server.process is not None and server.process.returncode is None, "never restarted"
    killed, frozen = outage_figures(observed, "killed"), outage_figures(observed, "frozen")
    async with store_of(running) as db:
        documents = await db["alerts"].find({}, {"dedup_key": 1}).to_list(None)
    stored = Counter(doc["dedup_key"] for doc in documents)
    acknowledged = {k for _, a, keys in observed.attempts if a.acknowledged for k in keys}
    log = server.log.read_text(errors="replace")
    report: dict[str, Any] = {
        "alerts_sent": observed.next_alert,
        "acknowledged": len(acknowledged),
        "stored": len(stored),
        "duplicates": sum(n - 1 for n in stored.values()),
        "lost": len(acknowledged - set(stored)),
        "killed": {k: v for k, v in killed.items() if not k.startswith("_")},
        "frozen": {k: v for k, v in frozen.items() if not k.startswith("_")},
        "recovered_after_restart_s": round(recovered_after_kill_s, 1),
        "recovered_after_thaw_s": round(recovered_after_freeze_s, 1),
        "background_backoffs": log.count("store unavailable ("),
        "background_resumed": log.count("store available again"),
        "background_back_after_s": round(background_back_s, 1),
        "tracebacks_in_log": log.count("Traceback"),
        "drill_s": round(time.monotonic() - started, 1),
    }
    print("DRILL store-outage", json.dumps(report))
    assert_failed_fast(killed)
    assert_failed_fast(frozen)
    assert report["lost"] == 0
    assert report["duplicates"] == 0
    assert report["background_backoffs"] >= 2, "the background loops met both outages"
    at = log.find("Traceback")
    first_traceback = log[max(0, at - 300) : at + 3000] if at >= 0 else ""
    assert report["tracebacks_in_log"] == 0, (
        f"an outage is logged in one line, not a traceback:\n{first_traceback}"
    )
    async with httpx.AsyncClient(trust_env=False) as http:
        assert (await http.get(f"{base_url}/healthz")).status_code == 200
