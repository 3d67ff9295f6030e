"""How long a dashboard waits for its incident list, once the store holds a stream.

Ingests a stream through `ingestAlerts` (as `bench/ingest.py` does), then asks for
the page a frontend's incident list shows: `incidents(first: 50)`, each with its
service, first 10 alerts and first 10 timeline entries, `--repeat` times, and prints
the latency of that request.

    .venv/bin/python bench/listing.py [--stream sim-boutique] [--limit 20000] [--json]
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import httpx
from _server import (
    BenchError,
    graphql,
    live_server,
    median,
    note,
    percentile,
    report,
    resolve_stream,
    warn_if_busy,
)
from ingest import CLIENTS, add_stream_arguments, ingest_via_graphql, load_stream, replay

DEFAULT_LIMIT = 20_000
PAGE = 50

LIST_QUERY = """
query List($first: Int!) {
  incidents(first: $first) {
    edges { node {
      id number title status alertCount service { name }
      alerts(first: 10) { edges { node { id summary severity occurredAt } } }
      timeline(first: 10) { edges { node { kind at message } } }
    } }
  }
}
"""


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    warn_if_busy()
    stream_path = resolve_stream(args.stream)
    alerts = list(replay(load_stream(stream_path), args.limit))
    async with live_server() as server:
        note(f"vigil serve pid {server.pid} at {server.url}; ingesting {len(alerts)} alerts")
        run, tally = await ingest_via_graphql(server, alerts, CLIENTS)
        latencies: list[float] = []
        async with httpx.AsyncClient(timeout=120.0, trust_env=False) as http:
            for _ in range(args.repeat):
                started = time.perf_counter()
                data = await graphql(http, server, LIST_QUERY, {"first": PAGE})
                latencies.append((time.perf_counter() - started) * 1000)
                shown = len(data["incidents"]["edges"])
                if shown != min(PAGE, len(tally.incident_ids)):
                    raise BenchError(f"the list showed {shown} incidents")
    return {
        "alerts": run.items,
        "incidents": len(tally.incident_ids),
        "page": PAGE,
        "requests": len(latencies),
        "p50_ms": round(median(latencies), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies), 1),
    }


def summary(result: dict[str, Any]) -> str:
    return (
        f"Incident list ({result['page']} incidents with their service, 10 alerts and 10 "
        f"timeline entries each) over {result['alerts']} alerts sent, "
        f"{result['incidents']} incidents: p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms, max {result['max_ms']} ms "
        f"({result['requests']} requests)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    add_stream_arguments(parser, limit=DEFAULT_LIMIT)
    parser.add_argument(
        "--repeat", type=int, default=20, help="List requests to time (default 20)."
    )
    parser.add_argument("--json", action="store_true", help="Print one JSON object on stdout.")
    args = parser.parse_args(argv)
    if args.limit < 1 or args.repeat < 1:
        parser.error("--limit and --repeat must be at least 1")
    exit_code: int = report("bench/listing.py", main_async(args), summary, as_json=args.json)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
