"""GET /metrics through real HTTP: the token, and each family moving with what happened."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.api.webhooks.helpers import bound_key, payload, post
from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer, live_server
from vigil.settings import Settings

METRICS_TOKEN = "metrics-token-0123456789"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture(scope="module")
async def metered(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("metered")
    settings = Settings(data_dir=data_dir, admin_token=ADMIN_TOKEN, metrics_token=METRICS_TOKEN)
    async with live_server(data_dir, settings=settings) as running:
        yield running


async def scrape(server: LiveServer, *, token: str | None = METRICS_TOKEN) -> Samples:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.get(f"{server.url}/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_need_the_token_when_one_is_set(metered: LiveServer) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        missing = await http.get(f"{metered.url}/metrics")
        wrong = await http.get(
            f"{metered.url}/metrics", headers={"Authorization": "Bearer not-the-token-at-all"}
        )
    for response in (missing, wrong):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        body = response.json()
        assert body["code"] == "UNAUTHENTICATED"
        assert "VIGIL_METRICS_TOKEN" in body["suggestion"]
        assert body["requestId"] == response.headers["x-request-id"]


async def test_metrics_are_open_without_a_token(server: LiveServer) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.get(f"{server.url}/metrics")
    assert response.status_code == 200
    assert "vigil_queue_depth" in response.text


async def test_requests_are_counted_by_route_template_not_url(metered: LiveServer) -> None:
    key = await bound_key(GraphQLClient(metered), "metered")
    label = {"route": "/webhooks/generic/{key}", "method": "POST", "status": "200"}
    before = await scrape(metered)
    for _ in range(2):
        response = await post(metered, f"/webhooks/generic/{key.secret}", payload("generic_single"))
        assert response.status_code == 200
    after = await scrape(metered)
    assert (
        value(after, "vigil_http_requests_total", **label)
        - value(before, "vigil_http_requests_total", **label)
        == 2
    )
    assert not any(key.secret in str(labels) for _, labels in after)


async def test_alerts_ingested_by_outcome_and_decision_latency(metered: LiveServer) -> None:
    key = await bound_key(GraphQLClient(metered), "ingested")
    before = await scrape(metered)
    single = payload("generic_single")
    await post(metered, "/webhooks/generic", single, token=key.secret)
    await post(metered, "/webhooks/generic", single, token=key.secret)
    await post(metered, "/webhooks/generic", {"alerts": "not a list"}, token=key.secret)
    after = await scrape(metered)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("vigil_alerts_ingested_total", outcome="created") == 1
    assert delta("vigil_alerts_ingested_total", outcome="deduplicated") == 1
    assert delta("vigil_correlation_decision_seconds_count") == 2
    assert delta("vigil_correlation_decision_seconds_sum") > 0


async def test_graphql_operations_by_type_and_outcome(metered: LiveServer) -> None:
    client = GraphQLClient(metered)
    before = await scrape(metered)
    await client.data("{ me { name } }")
    await client.execute("{ me { nope } }")
    await client.execute('{ incident(id: "missing") { id } }')
    await client.data(
        "mutation($a: [AlertInput!]!) { ingestAlerts(alerts: $a) { outcome } }",
        {"a": [{"summary": "counted", "service": "metered-graphql"}]},
    )
    after = await scrape(metered)

    def delta(**labels: str) -> float:
        name = "vigil_graphql_operations_total"
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta(type="query", outcome="ok") == 1
    assert delta(type="query", outcome="refused") == 1
    assert delta(type="query", outcome="error") == 1
    assert delta(type="mutation", outcome="ok") == 1


async def test_queue_depths_come_from_the_store(metered: LiveServer) -> None:
    db = metered.app.state.runtime.db
    await db["notification_outbox"].insert_many(
        [{"_id": f"metrics-test-{i}", "status": "pending", "due_ms": 0} for i in range(3)]
        + [{"_id": "metrics-test-dead", "status": "dead", "due_ms": 0}]
    )
    await db["escalation_runs"].insert_one(
        {"_id": "metrics-test-run", "state": "active", "due_ms": 0, "lease_until_ms": 0}
    )
    try:
        samples = await scrape(metered)
    finally:
        await db["notification_outbox"].delete_many({"_id": {"$regex": "^metrics-test-"}})
        await db["escalation_runs"].delete_one({"_id": "metrics-test-run"})
    assert value(samples, "vigil_queue_depth", queue="notification_outbox_pending") >= 3
    assert value(samples, "vigil_queue_depth", queue="escalation_runs_due") >= 1
    assert value(samples, "vigil_notifications_dead") >= 1
    assert value(samples, "vigil_store_up") == 1
    after = await scrape(metered)
    assert (
        value(after, "vigil_queue_depth", queue="notification_outbox_pending")
        == value(samples, "vigil_queue_depth", queue="notification_outbox_pending") - 3
    )


async def test_rate_limited_requests_are_counted(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        admin_token=ADMIN_TOKEN,
        api_rate_per_s=0.5,
        api_rate_burst=1,
    )
    async with live_server(tmp_path, settings=settings) as running:
        before = await scrape(running, token=None)
        client = GraphQLClient(running)
        async with httpx.AsyncClient(timeout=30) as http:
            answers = [
                await http.post(
                    f"{running.url}/graphql",
                    json={"query": "{ me { name } }"},
                    headers={"Authorization": f"Bearer {client.token}"},
                )
                for _ in range(3)
            ]
        after = await scrape(running, token=None)
    assert [a.status_code for a in answers] == [200, 429, 429]
    name = "vigil_rate_limited_requests_total"
    assert (
        value(after, name, credential="api_token") - value(before, name, credential="api_token")
        == 2
    )
