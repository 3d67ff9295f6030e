"""Live fan-out: delivery latency of incident events to many websocket subscribers.

Opens `--subscribers` graphql-transport-ws subscriptions to `incidentEvents` on a live
`vigil serve`, spread over `--workers` separate client processes (so the clients do not
share a GIL with each other, with the event producer, or with the server), then produces
`--events` incident events at `--rate` per second and measures, for every delivery, the
receipt time minus the event's `occurredAt` (stamped by the server; same machine clock).

    .venv/bin/python bench/fanout.py [--subscribers 500] [--events 200] [--rate 20] [--json]

See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from _server import (
    BenchError,
    CpuMeter,
    LiveServer,
    Progress,
    cpu_seconds,
    die_with_parent,
    graphql,
    live_server,
    median,
    note,
    percentile,
    report,
    warn_if_busy,
)
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

SUBSCRIPTION = "subscription { incidentEvents { kind occurredAt incident { id } } }"

INGEST_ONE = """
mutation Event($alerts: [AlertInput!]!) {
  ingestAlerts(alerts: $alerts) { outcome incident { id } }
}
"""

ACKNOWLEDGE = """
mutation Ack($id: ID!) { acknowledgeIncident(id: $id) { id } }
"""

_SCRIPT = Path(__file__).resolve()
_CONNECT_CONCURRENCY = 25
_REPORT_EVERY_S = 0.25
_READY_TIMEOUT_S = 120.0
_STREAM_LIMIT = 1 << 28  # worker result lines are large (one entry per delivery)


# --------------------------------------------------------------------------------------
# Worker process: holds a share of the subscribers and records receipt times.
# Protocol on stdout (JSON lines): {"ready": n} once subscribed, {"received": n} now and
# then, and finally {"deliveries": [...], "errors": [...], "cpu_s": x} after "stop" on stdin.
# --------------------------------------------------------------------------------------


@dataclass
class WorkerState:
    received: int = 0
    records: list[tuple[int, float, str | bytes]] = field(default_factory=list)
    """(subscriber index, receipt time, raw message): parsed only after the run."""
    errors: list[str] = field(default_factory=list)


def _emit(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    sys.stdout.flush()


async def _open_subscription(
    index: int, ws_url: str, token: str, compression: bool, gate: asyncio.Semaphore
) -> ClientConnection:
    async with gate:
        ws = await connect(
            ws_url,
            subprotocols=[Subprotocol("graphql-transport-ws")],
            compression="deflate" if compression else None,
            proxy=None,
            ping_interval=None,
            open_timeout=60,
            max_queue=None,
        )
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        ack = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if ack.get("type") != "connection_ack":
            raise BenchError(f"subscriber {index}: expected connection_ack, got {ack}")
        await ws.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}})
        )
        return ws


async def _receive(index: int, ws: ClientConnection, state: WorkerState) -> None:
    try:
        async for raw in ws:
            # The hot path only stamps and stores: parsing waits until the run is over.
            state.records.append((index, time.time(), raw))
            state.received += 1
    except ConnectionClosed as exc:
        state.errors.append(f"subscriber {index}: connection closed: {exc}")


async def worker_main(ws_url: str, token: str, count: int, offset: int, compression: bool) -> None:
    state = WorkerState()
    gate = asyncio.Semaphore(_CONNECT_CONCURRENCY)
    sockets = await asyncio.gather(
        *(_open_subscription(offset + i, ws_url, token, compression, gate) for i in range(count))
    )
    receivers = [
        asyncio.create_task(_receive(offset + i, ws, state)) for i, ws in enumerate(sockets)
    ]
    _emit({"ready": count})

    async def report() -> None:
        while True:
            await asyncio.sleep(_REPORT_EVERY_S)
            _emit({"received": state.received})

    reporter = asyncio.create_task(report())
    await asyncio.to_thread(sys.stdin.readline)  # "stop"
    reporter.cancel()
    closing_started = time.time()
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    for task in receivers:
        task.cancel()
    await asyncio.gather(*receivers, return_exceptions=True)
    deliveries: list[tuple[int, str, str, float]] = []
    for index, received_at, raw in state.records:
        if received_at >= closing_started:
            continue
        message = json.loads(raw)
        kind = message.get("type")
        if kind == "ping":
            continue
        if kind != "next" or not (message.get("payload") or {}).get("data"):
            state.errors.append(f"subscriber {index}: {str(message)[:300]}")
            continue
        event = message["payload"]["data"]["incidentEvents"]
        committed = datetime.fromisoformat(event["occurredAt"]).timestamp()
        deliveries.append(
            (index, event["incident"]["id"], event["kind"], (received_at - committed) * 1000)
        )
    _emit({"deliveries": deliveries, "errors": state.errors[:50], "cpu_s": cpu_seconds()})


# --------------------------------------------------------------------------------------
# Parent: server, workers, event producer.
# --------------------------------------------------------------------------------------


@dataclass
class Worker:
    process: asyncio.subprocess.Process
    count: int
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    received: int = 0
    result: dict[str, Any] | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)
    reader: asyncio.Task[None] | None = None

    async def read(self) -> None:
        assert self.process.stdout is not None
        async for line in self.process.stdout:
            message = json.loads(line)
            if "ready" in message:
                self.ready.set()
            elif "received" in message:
                self.received = message["received"]
            elif "deliveries" in message:
                self.result = message
                self.done.set()
        self.ready.set()  # an exited worker must not hang the parent
        self.done.set()

    async def stop(self) -> None:
        if self.process.returncode is None:
            assert self.process.stdin is not None
            with contextlib.suppress(ConnectionError):
                self.process.stdin.write(b"stop\n")
                await self.process.stdin.drain()


async def start_workers(server: LiveServer, args: argparse.Namespace) -> list[Worker]:
    workers = []
    per_worker, extra = divmod(args.subscribers, args.workers)
    offset = 0
    for number in range(args.workers):
        count = per_worker + (1 if number < extra else 0)
        if count == 0:
            continue
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(_SCRIPT), "--worker",
            "--ws-url", server.ws_url,
            "--worker-count", str(count),
            "--worker-offset", str(offset),
            *([] if args.compression else ["--no-compression"]),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env={"VIGIL_BENCH_TOKEN": server.token, **_inherited_env()},
            limit=_STREAM_LIMIT,
            preexec_fn=die_with_parent,  # only a prctl call: safe between fork and exec
        )  # fmt: skip
        worker = Worker(process=process, count=count)
        worker.reader = asyncio.create_task(worker.read())
        workers.append(worker)
        offset += count
    return workers


def _inherited_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "VIGIL_BENCH_TOKEN"}


async def wait_subscribed(
    http: httpx.AsyncClient, server: LiveServer, workers: list[Worker], expected: int
) -> None:
    progress = Progress("subscribing    ", expected)
    deadline = time.monotonic() + _READY_TIMEOUT_S
    while True:
        health = (await http.get(f"{server.url}/healthz")).json()
        live = int(health.get("live_subscribers", 0))
        progress.advance(live - progress.done)
        if live >= expected and all(w.ready.is_set() for w in workers):
            progress.close()
            return
        for worker in workers:
            if worker.process.returncode is not None:
                raise BenchError(f"a subscriber worker exited with {worker.process.returncode}")
        if time.monotonic() > deadline:
            raise BenchError(f"only {live} of {expected} subscriptions reached the server")
        await asyncio.sleep(0.2)


@dataclass
class Produced:
    incident_ids: list[str] = field(default_factory=list)
    request_ms: list[float] = field(default_factory=list)
    kind: str = "CREATED"
    seconds: float = 0.0


async def prepare_incidents(
    http: httpx.AsyncClient, server: LiveServer, tag: str, count: int
) -> list[str]:
    """Incidents to acknowledge later, created before anyone subscribes."""
    ids: list[str] = []
    for start in range(0, count, 100):
        alerts = [_event_alert(tag, i) for i in range(start, min(count, start + 100))]
        data = await graphql(http, server, INGEST_ONE, {"alerts": alerts})
        ids.extend(r["incident"]["id"] for r in data["ingestAlerts"])
    if len(set(ids)) != count:
        raise BenchError(f"expected {count} distinct incidents, got {len(set(ids))}")
    return ids


def _event_alert(tag: str, number: int) -> dict[str, Any]:
    """One alert on a service of its own: it always opens a new incident."""
    return {
        "summary": f"fan-out bench event {number}",
        "service": f"fanout-{tag}-{number}",
        "source": "bench",
        "severity": "CRITICAL",
        "status": "FIRING",
    }


async def produce(
    http: httpx.AsyncClient,
    server: LiveServer,
    args: argparse.Namespace,
    tag: str,
    prepared: list[str],
) -> Produced:
    """One event every 1/rate seconds, on schedule even if a request is slow."""
    produced = Produced(kind="ACKNOWLEDGED" if args.via == "acknowledge" else "CREATED")

    async def one(number: int) -> None:
        started = time.perf_counter()
        if args.via == "acknowledge":
            await graphql(http, server, ACKNOWLEDGE, {"id": prepared[number]})
            produced.incident_ids.append(prepared[number])
        else:
            data = await graphql(http, server, INGEST_ONE, {"alerts": [_event_alert(tag, number)]})
            [result] = data["ingestAlerts"]
            if result["outcome"] != "CREATED" or result["incident"] is None:
                raise BenchError(f"event {number} did not open an incident: {result}")
            produced.incident_ids.append(result["incident"]["id"])
        produced.request_ms.append((time.perf_counter() - started) * 1000)

    interval = 1.0 / args.rate
    began = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        for number in range(args.events):
            delay = began + number * interval - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            group.create_task(one(number))
    produced.seconds = time.perf_counter() - began
    return produced


async def wait_delivered(
    workers: list[Worker], expected: int, grace_s: float, progress: Progress
) -> None:
    """Until every delivery arrived, or nothing new arrived for `grace_s` seconds."""
    last_total, last_change = -1, time.monotonic()
    while True:
        total = sum(w.received for w in workers)
        progress.advance(total - progress.done)
        if total >= expected:
            return
        if total != last_total:
            last_total, last_change = total, time.monotonic()
        elif time.monotonic() - last_change > grace_s:
            return
        await asyncio.sleep(0.1)


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    warn_if_busy()
    tag = secrets.token_hex(3)
    async with live_server(profile=args.profile_server) as server:
        note(f"vigil serve pid {server.pid} at {server.url}")
        workers: list[Worker] = []
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        async with httpx.AsyncClient(timeout=60.0, limits=limits, trust_env=False) as http:
            try:
                prepared = (
                    await prepare_incidents(http, server, tag, args.events)
                    if args.via == "acknowledge"
                    else []
                )
                workers = await start_workers(server, args)
                await wait_subscribed(http, server, workers, args.subscribers)
                await graphql(http, server, "query { me { id } }")  # warm the HTTP path
                expected = args.subscribers * args.events
                meter = CpuMeter({"server": server.pid, "store": server.store_pid, "bench": None})
                meter.start()
                progress = Progress("deliveries     ", expected)
                produced = await produce(http, server, args, tag, prepared)
                await wait_delivered(workers, expected, args.grace, progress)
                progress.close()
                cpu = meter.stop()
                for worker in workers:
                    await worker.stop()
                await asyncio.wait_for(
                    asyncio.gather(*(w.done.wait() for w in workers)), _READY_TIMEOUT_S
                )
            finally:
                await _end_workers(workers)
    return _result(args, workers, produced, cpu)


async def _end_workers(workers: list[Worker]) -> None:
    for worker in workers:
        if worker.process.returncode is None:
            await worker.stop()
    for worker in workers:
        try:
            await asyncio.wait_for(worker.process.wait(), 15)
        except TimeoutError:
            worker.process.kill()
            await worker.process.wait()
        if worker.reader is not None:
            worker.reader.cancel()


def _result(
    args: argparse.Namespace, workers: list[Worker], produced: Produced, cpu: dict[str, float]
) -> dict[str, Any]:
    wanted = set(produced.incident_ids)
    seen: set[tuple[int, str]] = set()
    latencies: list[float] = []
    other = 0
    errors: list[str] = []
    worker_cpu: list[float] = []
    for worker in workers:
        if worker.result is None:
            errors.append("a worker returned no result")
            continue
        worker_cpu.append(round(worker.result["cpu_s"], 2))
        errors.extend(worker.result["errors"])
        for subscriber, incident_id, kind, latency_ms in worker.result["deliveries"]:
            key = (subscriber, incident_id)
            if incident_id in wanted and kind == produced.kind and key not in seen:
                seen.add(key)
                latencies.append(latency_ms)
            else:
                other += 1
    expected = args.subscribers * len(produced.incident_ids)
    return {
        "subscribers": args.subscribers,
        "events": len(produced.incident_ids),
        "p50_ms": round(median(latencies), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "lost": expected - len(latencies),
        "_detail": {
            "via": args.via,
            "rate": args.rate,
            "workers": len(workers),
            "compression": args.compression,
            "delivered": len(latencies),
            "expected": expected,
            "max_ms": round(max(latencies), 1) if latencies else 0.0,
            "p90_ms": round(percentile(latencies, 90), 1),
            "unexpected_messages": other,
            "errors": errors[:10],
            "error_count": len(errors),
            "produce_seconds": round(produced.seconds, 2),
            "request_p50_ms": round(median(produced.request_ms), 1),
            "request_p99_ms": round(percentile(produced.request_ms, 99), 1),
            "cpu": cpu,
            "worker_cpu": worker_cpu,
        },
    }


def summary(result: dict[str, Any]) -> str:
    detail = result["_detail"]
    ok = result["p99_ms"] < 250 and result["lost"] == 0
    seconds = detail["produce_seconds"] or 1.0
    cpu = ", ".join(f"{name} {used:.1f}" for name, used in detail["cpu"].items())
    lines = [
        f"Fan-out benchmark: {result['subscribers']} subscribers in {detail['workers']} worker "
        f"processes, {result['events']} events via {detail['via']} at {detail['rate']}/s "
        f"(websocket compression {'on' if detail['compression'] else 'off'})",
        f"  delivered          {detail['delivered']} of {detail['expected']} "
        f"(lost {result['lost']}, unexpected {detail['unexpected_messages']}, "
        f"errors {detail['error_count']})",
        f"  latency            p50 {result['p50_ms']} ms, p90 {detail['p90_ms']} ms, "
        f"p99 {result['p99_ms']} ms, max {detail['max_ms']} ms "
        f"({'meets' if ok else 'MISSES'} p99 < 250 ms with nothing lost)",
        f"  producer requests  p50 {detail['request_p50_ms']} ms, "
        f"p99 {detail['request_p99_ms']} ms over {seconds} s",
        f"  CPU seconds        {cpu}; workers {detail['worker_cpu']} (whole worker lifetime)",
    ]
    lines.extend(f"  error: {error}" for error in detail["errors"])
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--subscribers", type=int, default=500, help="Default 500.")
    parser.add_argument("--events", type=int, default=200, help="Default 200.")
    parser.add_argument("--rate", type=float, default=20.0, help="Events per second (20).")
    parser.add_argument(
        "--workers", type=int, default=2, help="Subscriber client processes (default 2)."
    )
    parser.add_argument(
        "--via",
        choices=["ingest", "acknowledge"],
        default="ingest",
        help="ingest: each event is an alert opening a new incident (CREATED); acknowledge: "
        "incidents made beforehand are acknowledged (ACKNOWLEDGED). Default ingest.",
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=10.0,
        help="Stop waiting after this many seconds without a new delivery (default 10).",
    )
    parser.add_argument(
        "--compression",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Offer permessage-deflate as browsers do (default: yes).",
    )
    parser.add_argument(
        "--profile-server",
        type=lambda path: Path(path).resolve(),
        metavar="FILE",
        help="Run the server under cProfile, stats to FILE. Slows the server down.",
    )
    parser.add_argument("--json", action="store_true", help="Print one JSON object on stdout.")
    # Internal: the subscriber worker processes.
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ws-url", help=argparse.SUPPRESS)
    parser.add_argument("--worker-count", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--worker-offset", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if min(args.subscribers, args.events, args.workers) < 1 or args.rate <= 0:
        parser.error("--subscribers, --events, --workers and --rate must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        try:
            asyncio.run(
                worker_main(
                    args.ws_url,
                    os.environ["VIGIL_BENCH_TOKEN"],
                    args.worker_count,
                    args.worker_offset,
                    args.compression,
                )
            )
        except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent reports
            return 130
        return 0
    exit_code: int = report("bench/fanout.py", main_async(args), summary, as_json=args.json)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
