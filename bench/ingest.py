"""Ingest throughput: GraphQL `ingestAlerts` against raw `insert_many` into the same store.

First inserts the stream's alerts, as the documents Vigil stores, straight into the
embedded store with `insert_many` (batches of 100 from 8 concurrent tasks) into a scratch
database that is dropped afterwards; then replays the same alerts through `ingestAlerts`
on a live `vigil serve` (batches of 100 from 8 concurrent clients). Prints both rates and
their ratio.

    .venv/bin/python bench/ingest.py [--stream sim-boutique] [--limit 10000] [--json]

See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import secrets
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from _server import (
    BenchError,
    CpuMeter,
    LiveServer,
    Progress,
    count_incidents,
    graphql,
    live_server,
    median,
    note,
    percentile,
    report,
    resolve_stream,
    warn_if_busy,
)
from pymongo import AsyncMongoClient

from domain.alert.model import Alert, AlertStatus, Severity, fingerprint
from domain.ids import new_id
from domain.store.indexes import indexes_of

DEFAULT_STREAM = "sim-boutique"
DEFAULT_LIMIT = 10_000
BATCH = 100
CLIENTS = 8

INGEST_MUTATION = """
mutation Ingest($alerts: [AlertInput!]!) {
  ingestAlerts(alerts: $alerts) {
    outcome
    alert { id }
    incident { id }
  }
}
"""

_SEVERITY = {"critical": "CRITICAL", "error": "ERROR", "warning": "WARNING", "info": "INFO"}
_NOT_SLUG = re.compile(r"[^a-z0-9-]+")


def slugify(name: str) -> str:
    """A service name as a slug (lower-case letters, digits, inner dashes, at most 63)."""
    slug = _NOT_SLUG.sub("-", name.lower()).strip("-")[:63].strip("-")
    return slug or "unknown"


def _parse_time(raw: str) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))


@dataclass(frozen=True, slots=True)
class StreamAlert:
    """One stream line, minus `truth` (never read, never sent)."""

    occurred_at: datetime
    source: str
    service: str
    summary: str
    description: str
    severity: str
    labels: dict[str, str]
    dedup_key: str | None


def load_stream(path: Path) -> list[StreamAlert]:
    alerts = []
    with path.open() as lines:
        for line in lines:
            if not line.strip():
                continue
            raw = json.loads(line)
            alerts.append(
                StreamAlert(
                    occurred_at=_parse_time(raw["occurred_at"]),
                    source=raw["source"],
                    service=slugify(raw["service"]),
                    summary=raw["summary"],
                    description=raw.get("description") or "",
                    severity=raw["severity"],
                    labels={str(k): str(v) for k, v in (raw.get("labels") or {}).items()},
                    dedup_key=raw.get("dedup_key"),
                )
            )
    if not alerts:
        raise BenchError(f"{path} holds no alerts.")
    return alerts


def replay(stream: list[StreamAlert], limit: int) -> Iterator[StreamAlert]:
    """The stream's first `limit` alerts; if it is shorter, it is replayed as later periods.

    Pass k > 0 is shifted k x (stream span + 1 h) later and carries the label
    ``bench_pass=k`` (and a ``#k`` suffix on explicit dedup keys), so a replayed alert
    is a new alert in a new period rather than a repeat of one still firing.
    """
    span = stream[-1].occurred_at - stream[0].occurred_at + timedelta(hours=1)
    sent = 0
    round_ = 0
    while sent < limit:
        for alert in stream:
            if sent >= limit:
                return
            if round_ == 0:
                yield alert
            else:
                yield StreamAlert(
                    occurred_at=alert.occurred_at + span * round_,
                    source=alert.source,
                    service=alert.service,
                    summary=alert.summary,
                    description=alert.description,
                    severity=alert.severity,
                    labels={**alert.labels, "bench_pass": str(round_)},
                    dedup_key=f"{alert.dedup_key}#{round_}" if alert.dedup_key else None,
                )
            sent += 1
        round_ += 1


def to_input(alert: StreamAlert) -> dict[str, Any]:
    """The GraphQL AlertInput variables of one alert."""
    return {
        "summary": alert.summary,
        "description": alert.description,
        "source": alert.source,
        "service": alert.service,
        "severity": _SEVERITY[alert.severity],
        "labels": alert.labels,
        "dedupKey": alert.dedup_key,
        "occurredAt": alert.occurred_at.isoformat(),
        "status": "FIRING",
    }


def to_document(
    alert: StreamAlert, service_ids: dict[str, str], now: datetime, *, unique_open_key: bool
) -> dict[str, Any]:
    """The alert as Vigil stores it (the shape AlertRepository writes).

    With `unique_open_key`, `open_key` also carries the alert's id, so that repeats in the
    stream (which Vigil deduplicates instead of inserting) do not collide on the unique index.
    """
    service_id = service_ids.setdefault(alert.service, new_id())
    document = Alert(
        id=new_id(),
        service_id=service_id,
        service=alert.service,
        source=alert.source,
        summary=alert.summary,
        description=alert.description,
        severity=Severity(alert.severity),
        labels=dict(alert.labels),
        dedup_key=alert.dedup_key
        or fingerprint(alert.source, alert.service, alert.labels, alert.summary),
        occurred_at=alert.occurred_at,
        received_at=now,
        status=AlertStatus.FIRING,
        count=1,
        first_seen_at=now,
        last_seen_at=now,
        resolved_at=None,
        incident_id=None,
    ).to_document()
    if unique_open_key:
        document["open_key"] = f"{document['open_key']}|{document['_id']}"
    return document


def batched(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@dataclass(frozen=True, slots=True)
class Run:
    items: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_s(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else 0.0


async def run_concurrently(
    batches: list[Any],
    clients: int,
    send: Callable[[Any], Awaitable[int]],
    progress: Progress,
) -> Run:
    """`clients` workers take batches in order from one queue; time each call and the whole."""
    queue: asyncio.Queue[Any] = asyncio.Queue()
    for batch in batches:
        queue.put_nowait(batch)
    latencies: list[float] = []
    items = 0

    async def worker() -> None:
        nonlocal items
        while True:
            try:
                batch = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            sent = await send(batch)  # not `items += await ...`: that reads `items` too early
            latencies.append((time.perf_counter() - started) * 1000)
            items += sent
            progress.advance(len(batch))

    started = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        for _ in range(clients):
            group.create_task(worker())
    elapsed = time.perf_counter() - started
    progress.close()
    return Run(items=items, seconds=elapsed, latencies_ms=latencies)


@dataclass
class IngestTally:
    outcomes: dict[str, int]
    incident_ids: set[str]


async def ingest_via_graphql(
    server: LiveServer, alerts: list[StreamAlert], clients: int
) -> tuple[Run, IngestTally]:
    tally = IngestTally(outcomes={}, incident_ids=set())
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120.0, limits=limits, trust_env=False) as http:
        # Warm the HTTP and GraphQL path (connection, auth cache, schema) without writing.
        await graphql(http, server, "query { me { id } }")

        async def send(batch: list[dict[str, Any]]) -> int:
            data = await graphql(http, server, INGEST_MUTATION, {"alerts": batch})
            results = data["ingestAlerts"]
            if len(results) != len(batch):
                raise BenchError(f"sent {len(batch)} alerts, got {len(results)} results")
            for result in results:
                tally.outcomes[result["outcome"]] = tally.outcomes.get(result["outcome"], 0) + 1
                if result["incident"] is not None:
                    tally.incident_ids.add(result["incident"]["id"])
            return len(batch)

        inputs = [to_input(alert) for alert in alerts]
        progress = Progress("ingestAlerts   ", len(inputs))
        run = await run_concurrently(batched(inputs, BATCH), clients, send, progress)
    return run, tally


async def insert_raw(
    server: LiveServer, alerts: list[StreamAlert], clients: int, *, indexes: bool
) -> Run:
    """insert_many of the same alerts, as stored documents, into a scratch database."""
    now = datetime.now(UTC)
    service_ids: dict[str, str] = {}
    documents = [to_document(alert, service_ids, now, unique_open_key=indexes) for alert in alerts]
    scratch = f"bench_raw_{secrets.token_hex(4)}"
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        server.mongodb_uri, tz_aware=True, maxPoolSize=clients
    )
    try:
        collection = client[scratch]["alerts"]
        if indexes:
            await collection.create_indexes(indexes_of("alerts", embedded=True))
        await client[scratch].command("ping")  # connection made before timing

        async def send(batch: list[dict[str, Any]]) -> int:
            result = await collection.insert_many(batch, ordered=False)
            return len(result.inserted_ids)

        progress = Progress("raw insert_many", len(documents))
        run = await run_concurrently(batched(documents, BATCH), clients, send, progress)
        stored = await collection.count_documents({})
        if stored != len(documents):
            raise BenchError(f"raw insert stored {stored} of {len(documents)} documents")
        return run
    finally:
        await client.drop_database(scratch)
        await client.close()


async def count_stored_incidents(server: LiveServer) -> int:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(server.mongodb_uri)
    try:
        return await client[server.database]["incidents"].count_documents({})
    finally:
        await client.close()


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    warn_if_busy()
    stream_path = resolve_stream(args.stream)
    alerts = list(replay(load_stream(stream_path), args.limit))
    note(
        f"stream {stream_path} -> {len(alerts)} alerts, batches of {BATCH}, {args.clients} clients"
    )
    async with live_server(profile=args.profile_server, engine=args.engine) as server:
        note(f"vigil serve pid {server.pid} at {server.url}; store {server.mongodb_uri}")
        meter = CpuMeter({"server": server.pid, "store": server.store_pid, "bench": None})
        meter.start()
        raw = await insert_raw(server, alerts, args.clients, indexes=args.raw_indexes)
        raw_cpu = meter.stop()
        meter.start()
        run, tally = await ingest_via_graphql(server, alerts, args.clients)
        ingest_cpu = meter.stop()
        stored = await count_stored_incidents(server)
        async with httpx.AsyncClient(timeout=60.0, trust_env=False) as http:
            listed = await count_incidents(http, server)
    if not stored == listed == len(tally.incident_ids):
        note(
            f"warning: incidents disagree: {stored} stored, {len(tally.incident_ids)} named by "
            f"the ingest results, {listed} listed by paging the `incidents` query"
        )
    return {
        "alerts_per_s": round(run.per_s, 1),
        "raw_insert_per_s": round(raw.per_s, 1),
        "ratio": round(run.per_s / raw.per_s, 3) if raw.per_s else 0.0,
        "p50_ms": round(median(run.latencies_ms), 1),
        "p99_ms": round(percentile(run.latencies_ms, 99), 1),
        "alerts": run.items,
        "incidents": stored,
        # Only for the readable summary; not printed with --json.
        "_detail": {
            "stream": str(stream_path),
            "seconds": round(run.seconds, 2),
            "raw_seconds": round(raw.seconds, 2),
            "raw_p50_ms": round(median(raw.latencies_ms), 1),
            "raw_p99_ms": round(percentile(raw.latencies_ms, 99), 1),
            "raw_indexes": args.raw_indexes,
            "outcomes": dict(sorted(tally.outcomes.items())),
            "batches": len(run.latencies_ms),
            "clients": args.clients,
            "incidents_named": len(tally.incident_ids),
            "incidents_listed": listed,
            "cpu": ingest_cpu,
            "raw_cpu": raw_cpu,
        },
    }


def summary(result: dict[str, Any]) -> str:
    detail = result["_detail"]
    verdict = "meets" if result["ratio"] >= 0.5 else "MISSES"
    outcomes = ", ".join(f"{k.lower()} {v}" for k, v in detail["outcomes"].items())
    return "\n".join(
        [
            f"Ingest benchmark: {detail['stream']}",
            f"  alerts sent        {result['alerts']} in {detail['batches']} batches of "
            f"<= {BATCH} from {detail['clients']} clients ({outcomes})",
            f"  GraphQL ingest     {result['alerts_per_s']:>9.1f} alerts/s  "
            f"({detail['seconds']} s; per batch p50 {result['p50_ms']} ms, "
            f"p99 {result['p99_ms']} ms)",
            f"  raw insert_many    {result['raw_insert_per_s']:>9.1f} docs/s    "
            f"({detail['raw_seconds']} s; per batch p50 {detail['raw_p50_ms']} ms, "
            f"p99 {detail['raw_p99_ms']} ms; "
            f"{'alerts indexes' if detail['raw_indexes'] else 'no secondary indexes'})",
            f"  ratio              {result['ratio']:.3f} ({verdict} the 0.5 target)",
            f"  incidents created  {result['incidents']} stored ({detail['incidents_named']} named "
            f"by ingest results, {detail['incidents_listed']} listed by the incidents query)",
            "  CPU seconds        "
            + _cpu_line(detail["cpu"], detail["seconds"])
            + "  (GraphQL phase)",
            "                     "
            + _cpu_line(detail["raw_cpu"], detail["raw_seconds"])
            + "  (raw phase)",
        ]
    )


def _cpu_line(cpu: dict[str, float], seconds: float) -> str:
    return ", ".join(
        f"{name} {used:.1f} ({used / seconds:.0%} of a core)" if seconds else f"{name} {used:.1f}"
        for name, used in cpu.items()
    )


def add_stream_arguments(parser: argparse.ArgumentParser, *, limit: int) -> None:
    """`--stream` and `--limit`: which alerts to send, and how many."""
    parser.add_argument(
        "--stream",
        default=DEFAULT_STREAM,
        help="A .jsonl path, or a stream name in ../shared/data/streams/ "
        f"(default {DEFAULT_STREAM}).",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=limit,
        help=f"Alerts to send (default {limit}); a shorter stream is replayed as later periods.",
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    add_stream_arguments(parser, limit=DEFAULT_LIMIT)
    parser.add_argument(
        "--clients", type=int, default=CLIENTS, help=f"Concurrent clients (default {CLIENTS})."
    )
    parser.add_argument(
        "--raw-indexes",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="Give the raw-insert scratch collection the indexes of Vigil's alerts collection "
        "(default: no, a bare collection: the store's insert_many ceiling).",
    )
    parser.add_argument(
        "--profile-server",
        type=lambda path: Path(path).resolve(),
        metavar="FILE",
        help="Run the server under cProfile and write its stats to FILE "
        "(read with: python -m pstats FILE). Slows the server down.",
    )
    parser.add_argument(
        "--engine",
        choices=["window", "learned"],
        default="window",
        help="The server's correlation engine (default: window, the foundation's rule; "
        "the 8 clients send stretches of the stream far apart in event time at once, which "
        "the learned engine, the product's default, answers with more incidents).",
    )
    parser.add_argument("--json", action="store_true", help="Print one JSON object on stdout.")
    args = parser.parse_args(argv)
    if args.limit < 1 or args.clients < 1:
        parser.error("--limit and --clients must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    exit_code: int = report("bench/ingest.py", main_async(args), summary, as_json=args.json)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
