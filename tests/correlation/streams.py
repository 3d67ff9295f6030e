"""Small labelled alert streams the correlation tests make for themselves."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from correlation.interface import AlertFacts
from correlation.model import CorrelationModel
from correlation.streams import parse_alert
from correlation.topology import Topology
from correlation.training import train

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

TOPOLOGY: dict[str, Any] = {
    "nodes": {"web": "frontend", "api": "service", "db": "db", "auth": "service", "cache": "cache"},
    "edges": [["web", "api"], ["api", "db"], ["web", "auth"], ["auth", "cache"]],
}
# A failing callee shows symptoms on its callers.
CALLERS = {"db": ["api"], "api": ["web"], "cache": ["auth"], "auth": ["web"], "web": []}
RULES = ["HighLatency", "ErrorRate", "PodRestart", "DiskPressure", "QueueBacklog"]


def alert(
    alert_id: str,
    service: str,
    seconds: float,
    rule: str = "HighLatency",
    pod: int = 0,
) -> AlertFacts:
    return AlertFacts(
        id=alert_id,
        service=service,
        occurred_at=T0 + timedelta(seconds=seconds),
        severity="warning",
        source="prometheus",
        summary=f"{rule} on {service}-{pod} value {seconds % 97:.0f}",
        labels={"alertname": rule, "pod": f"{service}-{pod}", "instance": f"node-{pod}:9100"},
    )


def incident_rows(
    seed: int, incidents: int, spacing: float, start: float = 0.0, prefix: str = "a"
) -> list[dict[str, Any]]:
    """Incidents rooted on a random service, with symptoms on its callers, as stream rows."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for number in range(incidents):
        root = rng.choice(sorted(CALLERS))
        rule = rng.choice(RULES)
        began = start + number * spacing + rng.uniform(0, 20)
        services = [root, *CALLERS[root]]
        for step in range(6):
            service = services[step % len(services)]
            moment = began + step * rng.uniform(5, 25)
            rows.append(_row(f"{prefix}{number}-{step}", service, moment, rule, f"inc-{number}"))
    rows.sort(key=lambda r: (r["occurred_at"], r["id"]))
    return rows


def _row(alert_id: str, service: str, seconds: float, rule: str, truth: str) -> dict[str, Any]:
    facts = alert(alert_id, service, seconds, rule)
    return {
        "id": facts.id,
        "occurred_at": facts.occurred_at.isoformat().replace("+00:00", "Z"),
        "source": facts.source,
        "service": facts.service,
        "summary": facts.summary,
        "description": None,
        "severity": facts.severity,
        "labels": dict(facts.labels),
        "dedup_key": None,
        "status": "firing",
        "truth": truth,
    }


def write_stream(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def facts(rows: list[dict[str, Any]]) -> list[AlertFacts]:
    """Stream rows as the engine takes them."""
    return [parse_alert(row, "test").alert for row in rows]


def overlapping_storm() -> list[AlertFacts]:
    """Dense, overlapping incidents in event-time order: many open candidates per alert."""
    rows = incident_rows(seed=5, incidents=40, spacing=50)
    rows += incident_rows(seed=6, incidents=40, spacing=70, start=5, prefix="b")
    rows.sort(key=lambda r: (str(r["occurred_at"]), str(r["id"])))
    return facts(rows)


def learned_model(topology: Topology) -> CorrelationModel:
    """A model trained on a history of incidents like the storm's (truth from the ids)."""
    history = facts(incident_rows(seed=8, incidents=30, spacing=60, prefix="h"))
    return train([(a, a.id.split("-")[0]) for a in history], topology)
