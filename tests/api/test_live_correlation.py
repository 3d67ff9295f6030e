"""The live ingest path and the offline CLI run the same correlation engine."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from domain.store.embedded import free_loopback_port
from tests.api.queries import INGEST
from tests.correlation.streams import incident_rows, write_stream
from tests.support import ADMIN_TOKEN, GraphQLClient, live_server
from vigil.cli import main as vigil
from vigil.settings import CorrelationEngineKind, Settings


def partition(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for alert_id, incident_id in pairs:
        groups[incident_id].add(alert_id)
    return {frozenset(members) for members in groups.values()}


async def test_replay_through_graphql_and_cli_groups_alike(tmp_path: Path) -> None:
    rows = incident_rows(seed=7, incidents=12, spacing=40.0)
    stream = write_stream(tmp_path / "stream.jsonl", rows)
    assignments = tmp_path / "assignments.jsonl"
    assert (
        vigil(["correlate", "evaluate", str(stream), "--assignments", str(assignments), "--json"])
        == 0
    )
    offline = partition(
        [(r["id"], r["incident"]) for r in map(json.loads, assignments.read_text().splitlines())]
    )

    settings = Settings(
        data_dir=tmp_path / "vigil",
        admin_token=ADMIN_TOKEN,
        port=free_loopback_port(),
        worker_interval_s=60,
        correlation_engine=CorrelationEngineKind.LEARNED,
    )
    live: list[tuple[str, str]] = []
    async with live_server(tmp_path / "vigil", settings=settings) as server:
        client = GraphQLClient(server)
        for start in range(0, len(rows), 10):
            batch = [
                {
                    "summary": r["summary"],
                    "service": r["service"],
                    "source": r["source"],
                    "severity": r["severity"].upper(),
                    "labels": r["labels"],
                    "occurredAt": r["occurred_at"],
                    "dedupKey": r["id"],
                }
                for r in rows[start : start + 10]
            ]
            results = (await client.data(INGEST, {"alerts": batch}))["ingestAlerts"]
            live += [(r["alert"]["dedupKey"], r["incident"]["id"]) for r in results]

    assert len(offline) > 1, "the stream must make the engine open several incidents"
    assert partition(live) == offline
