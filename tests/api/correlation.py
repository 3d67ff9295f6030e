"""Setting the scene for the correlation analyst tests: a learned-engine server, storms."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from domain.store.embedded import free_loopback_port
from tests.api.queries import INGEST
from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer, live_server, unique
from vigil.settings import CorrelationEngineKind, Settings

INCIDENT_ALERTS = """
query($id: ID!) {
  incident(id: $id) {
    id number status alertCount openAlertCount
    alerts(first: 100) { edges { node { id incidentId
      correlation { score reason engine modelVersion linkedAlert { id } signals { name value } }
    } } }
    timeline(first: 100) { edges { node { kind actor alertIds message } } }
  }
}"""
MERGE = """
mutation($input: MergeIncidentsInput!) {
  mergeIncidents(input: $input) { id alertCount openAlertCount status }
}"""
SPLIT = """
mutation($input: SplitIncidentInput!) {
  splitIncident(input: $input) {
    origin { id alertCount status }
    created { id alertCount status title }
  }
}"""
RETRAIN = "mutation { retrainCorrelationModel { version trainedBy summary } }"


@asynccontextmanager
async def engine_server(
    data_dir: Path, engine: CorrelationEngineKind = CorrelationEngineKind.LEARNED
) -> AsyncIterator[LiveServer]:
    """Vigil started with `engine`, its background jobs out of the way; a second start on
    `data_dir` reuses its store."""
    settings = Settings(
        data_dir=data_dir,
        admin_token=ADMIN_TOKEN,
        port=free_loopback_port(),
        worker_interval_s=60,
        correlation_engine=engine,
    )
    async with live_server(data_dir, settings=settings) as server:
        yield server


@asynccontextmanager
async def learned_server(data_dir: Path) -> AsyncIterator[GraphQLClient]:
    """A client of Vigil with the learned engine."""
    async with engine_server(data_dir) as server:
        yield GraphQLClient(server)


async def send(
    client: GraphQLClient, alerts: list[tuple[str, str, datetime]], token: str | None = None
) -> list[tuple[str, str]]:
    """Ingest (service, summary, event time) alerts in one batch; (alert id, incident id)."""
    batch = [
        {
            "summary": summary,
            "service": service,
            "occurredAt": at.isoformat(),
            "dedupKey": unique("alert"),
        }
        for service, summary, at in alerts
    ]
    results = (await client.data(INGEST, {"alerts": batch}, token=token))["ingestAlerts"]
    return [(r["alert"]["id"], r["incident"]["id"]) for r in results]


def storm(
    start: datetime, services: list[tuple[str, str]], rounds: int = 4, gap: float = 6.0
) -> list[tuple[str, str, datetime]]:
    """Each service's alert every `gap` seconds, the services 2 s apart."""
    return [
        (service, summary, start + timedelta(seconds=i * gap + j * 2))
        for i in range(rounds)
        for j, (service, summary) in enumerate(services)
    ]


def grouping(pairs: list[tuple[str, str]], services: dict[str, str]) -> list[list[str]]:
    """The services of each incident, sorted: `services` maps alert id -> service."""
    groups: dict[str, set[str]] = {}
    for alert_id, incident_id in pairs:
        groups.setdefault(incident_id, set()).add(services[alert_id])
    return sorted(sorted(g) for g in groups.values())


async def incident(client: GraphQLClient, incident_id: str) -> dict[str, Any]:
    found: dict[str, Any] = (await client.data(INCIDENT_ALERTS, {"id": incident_id}))["incident"]
    return found
