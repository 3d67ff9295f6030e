"""Drill: SIGKILL `vigil serve` in the middle of a 10,000-alert ingest.

Four clients send 10,000 distinct alerts in batches of 100, three through GraphQL
`ingestAlerts` and one through the generic webhook, retrying a batch until it gets a
2xx, as monitors do. When 30% are acknowledged the server is killed with SIGKILL and
started again on the same port and store. Afterwards every acknowledged alert must be
stored exactly once and attached to an incident that exists, and each incident must
count exactly the alerts it holds (the journal's recovery mends what the kill cut).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench._cluster import cluster
from bench.escalation import store_of
from domain.ingest.service import UNLINKED_GRACE
from domain.store.database import Database
from domain.store.embedded import free_loopback_port
from tests.api.queries import CREATE_KEY
from tests.drills.load import Attempt, Sender, alert, remote_client
from tests.support import ADMIN_TOKEN, eventually

ALERTS = 10_000
BATCH = 100
CLIENTS = 4
KILL_AT = 0.3
RUN = "sk"


@dataclass
class Traffic:
    acknowledged: set[str] = field(default_factory=set)
    attempts: list[Attempt] = field(default_factory=list)


async def client(
    sender: Sender, channel: str, batches: list[list[dict[str, Any]]], traffic: Traffic
) -> None:
    async with httpx.AsyncClient(timeout=30, trust_env=False) as http:
        for batch in batches:
            while True:
                attempt = await sender.send(http, channel, batch)
                traffic.attempts.append(attempt)
                if attempt.acknowledged:
                    traffic.acknowledged.update(a["dedupKey"] for a in batch)
                    break
                await asyncio.sleep(0.2)


async def stored_figures(db: Database) -> dict[str, Any]:
    alerts = await db["alerts"].find({}, {"dedup_key": 1, "incident_id": 1}).to_list(None)
    incidents = {
        doc["_id"]: doc for doc in await db["incidents"].find({}, {"alert_count": 1}).to_list(None)
    }
    per_key = Counter(doc["dedup_key"] for doc in alerts)
    members = Counter(doc["incident_id"] for doc in alerts if doc.get("incident_id"))
    return {
        "stored": len(per_key),
        "documents": len(alerts),
        "duplicates": sum(n - 1 for n in per_key.values()),
        "unattached": sum(1 for doc in alerts if doc.get("incident_id") not in incidents),
        "incidents": len(incidents),
        "miscounted_incidents": sum(
            1 for i, doc in incidents.items() if doc["alert_count"] != members[i]
        ),
        "_keys": set(per_key),
    }


async def test_sigkill_during_ingest_loses_and_doubles_nothing(tmp_path: Path) -> None:
    async with cluster(tmp_path, "drill_sigkill", ADMIN_TOKEN) as running, store_of(running) as db:
        port = free_loopback_port()
        server = await running.serve(port)
        key = await remote_client(port).data(CREATE_KEY, {"input": {"name": "drill"}})
        sender = Sender(
            f"http://127.0.0.1:{port}", ADMIN_TOKEN, key["createIntegrationKey"]["secret"]
        )
        batches = [
            [alert(n, RUN) for n in range(start, start + BATCH)]
            for start in range(0, ALERTS, BATCH)
        ]
        traffic = Traffic()
        started = time.monotonic()
        clients = [
            asyncio.create_task(
                client(
                    sender,
                    "webhook" if index == CLIENTS - 1 else "graphql",
                    batches[index::CLIENTS],
                    traffic,
                )
            )
            for index in range(CLIENTS)
        ]

        async def enough_acknowledged() -> bool:
            return len(traffic.acknowledged) >= KILL_AT * ALERTS

        await eventually(enough_acknowledged, seconds=60)
        await server.kill()
        killed_at = time.monotonic()
        acknowledged_at_kill = len(traffic.acknowledged)
        await running.serve(port)
        down_s = time.monotonic() - killed_at
        await asyncio.gather(*clients)
        ingest_s = time.monotonic() - started

        # What a kill cut between a batch's incident writes and its alerts is mended by
        # the recovery job once the batch is older than UNLINKED_GRACE.
        deadline = time.monotonic() + UNLINKED_GRACE.total_seconds() + 20
        figures = await stored_figures(db)
        before_recovery = {k: figures[k] for k in ("unattached", "miscounted_incidents")}
        while (figures["unattached"] or figures["miscounted_incidents"]) and (
            time.monotonic() < deadline
        ):
            await asyncio.sleep(1)
            figures = await stored_figures(db)
        keys = figures.pop("_keys")
        report: dict[str, Any] = {
            "alerts": ALERTS,
            "attempts": len(traffic.attempts),
            "failed_attempts": sum(1 for a in traffic.attempts if not a.acknowledged),
            "acknowledged": len(traffic.acknowledged),
            "acknowledged_at_kill": acknowledged_at_kill,
            "ignored_in_acknowledged": sum(a.ignored for a in traffic.attempts if a.acknowledged),
            "lost": len(traffic.acknowledged - keys),
            **figures,
            "before_recovery": before_recovery,
            "down_s": round(down_s, 1),
            "ingest_s": round(ingest_s, 1),
            "settled_s": round(time.monotonic() - started, 1),
        }
        print("DRILL sigkill-ingest", json.dumps(report))
        assert report["acknowledged"] == ALERTS
        assert report["lost"] == 0
        assert report["duplicates"] == 0
        assert report["documents"] == ALERTS
        assert report["unattached"] == 0
        assert report["miscounted_incidents"] == 0
