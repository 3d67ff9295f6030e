"""Store commands per `ingestAlerts` batch of 100, by command and collection.

Unlike timing, the count does not depend on what else the machine is running: it is
the figure to watch when changing the ingest path. Sends a stream's first batches one
after the other through a live Vigil (in this process, on its own embedded store, with
the background loops stopped) and prints the commands each batch cost on average.

    .venv/bin/python bench/ingest_commands.py [--stream sim-boutique] [--batches 20]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from pymongo.monitoring import CommandStartedEvent

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _server import resolve_stream
from ingest import BATCH, INGEST_MUTATION, load_stream, to_input

from tests.support import ADMIN_TOKEN, CommandCounter, live_server


class Commands(CommandCounter):
    """Every command started while `counting`, by (command, collection)."""

    def __init__(self) -> None:
        super().__init__()
        self.counting = False
        self.seen: Counter[tuple[str, str]] = Counter()

    def started(self, event: CommandStartedEvent) -> None:
        if not self.counting:
            return
        name = event.command_name
        target = str(event.command.get("collection" if name == "getMore" else name))
        self.seen[(name, target)] += 1


async def count(stream: str, batches: int, warm: int) -> tuple[Counter[tuple[str, str]], int]:
    alerts = [to_input(a) for a in load_stream(resolve_stream(stream))]
    sent = [alerts[n * BATCH : (n + 1) * BATCH] for n in range(warm + batches)]
    counter = Commands()
    with tempfile.TemporaryDirectory() as data_dir:
        async with (
            live_server(Path(data_dir), counter=counter) as server,
            httpx.AsyncClient(timeout=60, trust_env=False) as http,
        ):
            for loop in server.app.state.runtime.loops:
                await loop.stop()  # their periodic commands are no batch's
            for index, batch in enumerate(sent):
                counter.counting = index >= warm
                response = await http.post(
                    f"{server.url}/graphql",
                    json={"query": INGEST_MUTATION, "variables": {"alerts": batch}},
                    headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
                )
                counter.counting = False
                body: dict[str, Any] = response.json()
                if body.get("errors"):
                    raise SystemExit(f"batch {index}: {body['errors']}")
    return counter.seen, batches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stream", default="sim-boutique")
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--warm", type=int, default=2, help="batches sent before counting")
    args = parser.parse_args()
    seen, batches = asyncio.run(count(args.stream, args.batches, args.warm))
    print(f"store commands per batch of {BATCH}: {sum(seen.values()) / batches:.2f}")
    for (name, target), n in seen.most_common():
        print(f"  {n / batches:6.2f}  {name:<14} {target}")


if __name__ == "__main__":
    main()
