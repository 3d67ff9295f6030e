"""Escalation with several `vigil worker` processes on one store: each step fires exactly once.

    python bench/escalation.py [--incidents 200] [--workers 3] [--step-seconds 4] [--json]

Starts nx-27017 and the workers, then opens the incidents through the real ingest path
of a container in this process (one service each, all on a two-step policy: step 2
fires ``--step-seconds`` after step 1). This process starts the runs but fires none;
the workers fire them all. Prints pages, duplicates (pages asked for more than once,
fired steps written twice), how the steps spread over the workers, and how late steps
fired (step 1 against the run's start, step 2 against step 1 plus its delay).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # `python bench/x.py` puts bench/, not the repo, on sys.path
    sys.path.insert(0, str(REPO_ROOT))

from broadcaster import Broadcast  # noqa: E402

from api.container import build_container  # noqa: E402
from bench._cluster import Cluster, cluster  # noqa: E402
from bench._server import BenchError, percentile, report, warn_if_busy  # noqa: E402
from domain.alert.model import AlertDraft  # noqa: E402
from domain.auth import Principal, PrincipalKind, Role  # noqa: E402
from domain.clock import SystemClock  # noqa: E402
from domain.escalation.model import Plan, PolicyDraft, Step, Target, TargetKind  # noqa: E402
from domain.escalation.page_log import COLLECTION as PAGES  # noqa: E402
from domain.service.model import ServiceDraft  # noqa: E402
from domain.store.database import Database, connect  # noqa: E402
from domain.store.indexes import ensure_indexes  # noqa: E402
from domain.user.model import UserDraft  # noqa: E402
from notifications.hub import LiveHub  # noqa: E402
from notifications.publisher import BroadcastPublisher  # noqa: E402
from notifications.status_hub import StatusHub  # noqa: E402

ADMIN = Principal(PrincipalKind.USER, "bench", "bench", role=Role.ADMIN)


@contextlib.asynccontextmanager
async def store_of(running: Cluster) -> AsyncIterator[Database]:
    client = connect(running.uri)
    try:
        yield client[running.database]
    finally:
        await client.close()


async def open_incidents(db: Database, count: int, step_seconds: float) -> list[str]:
    """``count`` incidents, each on its own service with the same two-step policy."""
    broadcast = Broadcast("memory://")
    await broadcast.connect()
    try:
        container = build_container(
            db,
            publisher=BroadcastPublisher(broadcast),
            hub=LiveHub(broadcast),
            status_hub=StatusHub(broadcast),
            clock=SystemClock(),
        )
        tag = secrets.token_hex(4)
        first, second = [
            await container.users.create_user(
                ADMIN, UserDraft(f"pager-{tag}-{n}", "pager@example.com", Role.RESPONDER)
            )
            for n in (1, 2)
        ]
        steps = (
            Step((Target(TargetKind.USER, first.id),), timedelta(seconds=step_seconds)),
            Step((Target(TargetKind.USER, second.id),), timedelta(minutes=10)),
        )
        policy = await container.escalation.policies.create(
            ADMIN, PolicyDraft(name=f"bench-{tag}", plan=Plan(steps=steps))
        )
        names = []
        for n in range(count):
            service = await container.services.create(
                ADMIN, ServiceDraft(f"svc-{tag}-{n}", escalation_policy_id=policy.id)
            )
            names.append(service.name)
        opened: list[str] = []
        for start in range(0, count, 100):
            outcomes = await container.ingest.ingest(
                ADMIN, [AlertDraft(summary="down", service=n) for n in names[start : start + 100]]
            )
            opened += [o.incident.id for o in outcomes if o.incident is not None]
        return opened
    finally:
        await broadcast.disconnect()


async def run(
    tmp: Path, *, incidents: int, workers: int, step_seconds: float, timeout_s: float
) -> dict[str, Any]:
    async with (
        cluster(tmp, "vigil_escalation_bench", "vgl_bench_" + secrets.token_urlsafe(24)) as running,
        store_of(running) as db,
    ):
        await ensure_indexes(db, embedded=True)
        boot = time.monotonic()
        await running.workers(workers)
        started = time.monotonic()
        incident_ids = await open_incidents(db, incidents, step_seconds)
        opened = time.monotonic()
        expected = 2 * incidents
        while await db[PAGES].count_documents({}) < expected:
            if time.monotonic() - started > timeout_s:
                raise BenchError(
                    f"only {await db[PAGES].count_documents({})} of {expected} pages "
                    f"after {timeout_s:.0f} s"
                )
            await asyncio.sleep(0.2)
        done = time.monotonic()
        await asyncio.sleep(2)  # anything fired twice would show now
        pages = await db[PAGES].find({}).to_list(None)
        fired = await db["escalation_fired_steps"].find({}).to_list(None)
        runs = {r["_id"]: r for r in await db["escalation_runs"].find({}).to_list(None)}
        timeline = await db["timeline"].count_documents({"kind": "paged"})
    return {
        "incidents": len(set(incident_ids)),
        "workers": workers,
        "pages": len(pages),
        "pages_expected": expected,
        "pages_per_incident": sorted(set(Counter(p["incident_id"] for p in pages).values())),
        "duplicate_page_requests": sum(p["requests"] - 1 for p in pages),
        "fired_steps": len(fired),
        "paged_timeline_entries": timeline,
        "steps_per_worker": sorted(Counter(f["fired_by"] for f in fired).values()),
        "workers_boot_s": round(started - boot, 1),
        "open_incidents_s": round(opened - started, 1),
        "all_paged_after_s": round(done - started, 1),
        **_lateness(fired, runs, step_seconds),
        "_incident_ids": incident_ids,
        "_pages": pages,
    }


def _lateness(
    fired: list[dict[str, Any]], runs: dict[str, dict[str, Any]], step_seconds: float
) -> dict[str, float]:
    by_run: dict[str, dict[int, int]] = {}
    for f in fired:
        by_run.setdefault(f["run_id"], {})[f["step"]] = f["fired_ms"]
    first = [steps[1] - runs[run]["started_ms"] for run, steps in by_run.items() if 1 in steps]
    second = [
        steps[2] - steps[1] - step_seconds * 1000
        for steps in by_run.values()
        if 1 in steps and 2 in steps
    ]
    return {
        "step1_late_ms_p50": percentile(first, 50),
        "step1_late_ms_max": max(first, default=0.0),
        "step2_late_ms_p50": percentile(second, 50),
        "step2_late_ms_max": max(second, default=0.0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--incidents", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--step-seconds", type=float, default=4.0)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--json", action="store_true", help="One JSON object on stdout.")
    args = parser.parse_args(argv)
    warn_if_busy()

    async def bench() -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="vigil-escalation-") as tmp:
            return await run(
                Path(tmp),
                incidents=args.incidents,
                workers=args.workers,
                step_seconds=args.step_seconds,
                timeout_s=args.timeout,
            )

    return report(
        "escalation",
        bench(),
        lambda r: (
            f"{r['pages']} pages ({r['pages_expected']} expected) for {r['incidents']} incidents "
            f"by {r['workers']} workers in {r['all_paged_after_s']} s; duplicates "
            f"{r['duplicate_page_requests']}; steps per worker {r['steps_per_worker']}; "
            f"step 2 late p50 {r['step2_late_ms_p50']:.0f} ms, max {r['step2_late_ms_max']:.0f} ms"
        ),
        as_json=args.json,
    )


if __name__ == "__main__":
    sys.exit(main())
