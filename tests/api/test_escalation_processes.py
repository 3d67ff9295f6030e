"""Escalation across process deaths and several workers, with real `vigil` processes.

* A server killed with SIGKILL between step 1 and step 2 loses nothing: started
  again, it fires step 2 exactly once.
* Three `vigil worker` processes on one store fire each step of 200 incidents
  exactly once.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from bench._cluster import cluster
from bench.escalation import run as run_workers
from bench.escalation import store_of
from domain.escalation.page_log import COLLECTION as PAGES
from domain.store.database import Database
from domain.store.embedded import free_loopback_port
from tests.api.escalation import (
    create_policy,
    on_call_schedule,
    schedule_target,
    service_with_policy,
    step,
    trigger,
    user_target,
    users,
)
from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer, eventually

STEP_SECONDS = 4
INCIDENTS = 200
WORKERS = 3


def remote_client(port: int) -> GraphQLClient:
    return GraphQLClient(cast(LiveServer, SimpleNamespace(url=f"http://127.0.0.1:{port}")))


async def pages_of(db: Database, incident_id: str) -> list[dict[str, Any]]:
    pages = await db[PAGES].find({"incident_id": incident_id}).to_list(None)
    return sorted(pages, key=lambda p: (p["cycle"], p["step"]))


async def test_a_server_killed_between_steps_fires_step_two_once_after_restart(
    tmp_path: Path,
) -> None:
    async with cluster(tmp_path, "vigil_restart", ADMIN_TOKEN) as running, store_of(running) as db:
        port = free_loopback_port()
        server = await running.serve(port)
        client = remote_client(port)
        first, second = await users(client, 2)
        schedule = await on_call_schedule(client, first)
        policy = await create_policy(
            client,
            [step(STEP_SECONDS / 60, schedule_target(schedule)), step(10, user_target(second))],
        )
        service = await service_with_policy(client, policy["id"])
        incident = await trigger(client, service["name"])

        async def at_step_two() -> bool:
            run = await db["escalation_runs"].find_one({"incident_id": incident["id"]})
            return run is not None and run["step"] == 2 and not run["lease_owner"]

        await eventually(at_step_two)
        killed_at = time.monotonic()
        await server.kill()
        assert [p["user_id"] for p in await pages_of(db, incident["id"])] == [first]

        # Down past step 2's due time: nobody could fire it.
        await asyncio.sleep(STEP_SECONDS + 1 - (time.monotonic() - killed_at))
        assert len(await pages_of(db, incident["id"])) == 1
        await running.serve(port)

        async def both() -> list[dict[str, Any]]:
            pages = await pages_of(db, incident["id"])
            return pages if len(pages) == 2 else []

        pages = await eventually(both, seconds=20)
        assert [(p["user_id"], p["step"]) for p in pages] == [(first, 1), (second, 2)]
        assert [p["requests"] for p in pages] == [1, 1]
        await asyncio.sleep(1.5)
        assert len(await pages_of(db, incident["id"])) == 2
        assert await db["escalation_fired_steps"].count_documents({}) == 2
        paged = await db["timeline"].count_documents(
            {"incident_id": incident["id"], "kind": "paged"}
        )
        assert paged == 2


async def test_three_workers_fire_each_step_of_200_incidents_exactly_once(
    tmp_path: Path,
) -> None:
    result = await run_workers(
        tmp_path, incidents=INCIDENTS, workers=WORKERS, step_seconds=STEP_SECONDS, timeout_s=120
    )
    assert result["incidents"] == INCIDENTS
    assert result["pages"] == 2 * INCIDENTS
    assert result["pages_per_incident"] == [2]
    assert result["duplicate_page_requests"] == 0
    assert result["fired_steps"] == 2 * INCIDENTS
    assert result["paged_timeline_entries"] == 2 * INCIDENTS
    assert len(result["steps_per_worker"]) == WORKERS, "every worker took a share"
    by_incident: dict[str, list[tuple[int, int]]] = {}
    for page in result["_pages"]:
        by_incident.setdefault(page["incident_id"], []).append((page["cycle"], page["step"]))
    assert all(sorted(steps) == [(1, 1), (1, 2)] for steps in by_incident.values())
