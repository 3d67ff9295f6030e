"""Prometheus metrics: what the process counted, and queue depths read from the store.

Counters live in the process-wide registry, as Prometheus expects of one exporter per
process: with several replicas, scrape each one and sum. Queue depths and dead letters
come from the shared store at scrape time, so every replica reports the same numbers.
"""

from __future__ import annotations

import time
from collections import Counter as Tally
from collections.abc import Sequence

from prometheus_client import Counter, Gauge, Histogram

from domain.alert.model import AlertDraft
from domain.auth import Principal
from domain.ingest.model import IngestOutcome
from domain.ingest.service import AlertIngestor

HTTP_REQUESTS = Counter(
    "vigil_http_requests",
    "HTTP requests answered, by route template (never the URL: it may hold a key) and status.",
    ["route", "method", "status"],
)
GRAPHQL_OPERATIONS = Counter(
    "vigil_graphql_operations",
    "GraphQL operations, by type and outcome (ok, error: ran with errors, refused: "
    "failed validation or a limit before running).",
    ["type", "outcome"],
)
ALERTS_INGESTED = Counter(
    "vigil_alerts_ingested",
    "Alerts received through the API and webhooks, by ingest outcome (refused: the batch "
    "was rejected whole).",
    ["outcome"],
)
DECISION_SECONDS = Histogram(
    "vigil_correlation_decision_seconds",
    "Time from an ingest call's start until every alert of its batch is stored and "
    "correlated into an incident.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
RATE_LIMITED = Counter(
    "vigil_rate_limited_requests",
    "Requests refused with 429, by credential kind.",
    ["credential"],
)
QUEUE_DEPTH = Gauge(
    "vigil_queue_depth",
    "Work waiting in the store: notifications pending in the outbox, escalation runs due.",
    ["queue"],
)
NOTIFICATIONS_DEAD = Gauge(
    "vigil_notifications_dead",
    "Notifications whose every delivery attempt failed (dead letters) in the store.",
)
STORE_UP = Gauge(
    "vigil_store_up", "1 when the last scrape could read the store, 0 when it could not."
)


async def metered_ingest(
    ingest: AlertIngestor,
    principal: Principal,
    drafts: Sequence[AlertDraft],
    *,
    with_incidents: bool = True,
) -> list[IngestOutcome]:
    """`ingest.ingest`, counted by outcome and timed."""
    started = time.perf_counter()
    try:
        outcomes = await ingest.ingest(principal, drafts, with_incidents=with_incidents)
    except Exception:
        ALERTS_INGESTED.labels("refused").inc(len(drafts))
        raise
    DECISION_SECONDS.observe(time.perf_counter() - started)
    for kind, count in Tally(outcome.kind.value for outcome in outcomes).items():
        ALERTS_INGESTED.labels(kind).inc(count)
    return outcomes
