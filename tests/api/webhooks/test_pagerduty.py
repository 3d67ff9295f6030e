"""POST /v2/enqueue: PagerDuty's Events API v2, the routing key as the only credential."""

from __future__ import annotations

from typing import Any

from tests.api.webhooks.helpers import (
    Binding,
    alerts_of,
    bound_key,
    incidents_of,
    payload,
    post,
    stored_alerts,
    unbound_key,
)
from tests.support import GraphQLClient, LiveServer

PATH = "/v2/enqueue"


def event(name: str, key: Binding, **changes: Any) -> dict[str, Any]:
    return payload(name) | {"routing_key": key.secret} | changes


async def test_trigger_answers_like_pagerduty_and_stores_the_alert(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    response = await post(server, PATH, event("pagerduty_trigger", key))
    assert response.status_code == 202, response.text
    assert response.json() == {
        "status": "success",
        "message": "Event processed",
        "dedup_key": "prod-orders-db03/disk",
    }
    [incident] = await incidents_of(client, key.service_id)
    assert incident["status"] == "TRIGGERED"
    [alert] = incident["alerts"]
    assert alert["summary"] == "DISK at 97% on machine prod-orders-db03.example.com"
    assert alert["severity"] == "CRITICAL"
    assert alert["source"] == "Sample Monitoring Service"
    assert alert["occurredAt"] == "2026-11-26T06:42:58.315000+00:00"
    assert alert["labels"] == {
        "source": "prod-orders-db03.example.com",
        "component": "postgres",
        "group": "prod-orders",
        "class": "disk",
    }
    assert [link["text"] for link in alert["links"]] == [
        "Host overview",
        "Sample Monitoring Service",
        "Disk usage, last 24h",
    ]
    assert alert["details"]["custom_details"]["load avg"] == 0.75
    assert alert["details"]["images"][0]["href"] == "https://monitoring.example.com/graphs/disk"


async def test_repeated_trigger_dedups(server: LiveServer, client: GraphQLClient) -> None:
    key = await bound_key(client)
    for _ in range(2):
        assert (await post(server, PATH, event("pagerduty_trigger", key))).status_code == 202
    [alert] = (await alerts_of(client, key.service_id)).values()
    assert alert["count"] == 2


async def test_trigger_without_dedup_key_gets_one_back_that_dedups(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    trigger = event("pagerduty_trigger", key)
    del trigger["dedup_key"]
    first = (await post(server, PATH, trigger)).json()["dedup_key"]
    second = (await post(server, PATH, trigger)).json()["dedup_key"]
    assert first != second, "without a key every trigger is a new alert, as with PagerDuty"
    again = (await post(server, PATH, trigger | {"dedup_key": first})).json()["dedup_key"]
    assert again == first
    alerts = await alerts_of(client, key.service_id)
    assert sorted(a["count"] for a in alerts.values()) == [1, 2]


async def test_acknowledge_acknowledges_the_incident(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    await post(server, PATH, event("pagerduty_trigger", key))
    response = await post(server, PATH, event("pagerduty_acknowledge", key))
    assert response.status_code == 202, response.text
    assert response.json()["dedup_key"] == "prod-orders-db03/disk"
    [incident] = await incidents_of(client, key.service_id)
    assert incident["status"] == "ACKNOWLEDGED"
    assert incident["acknowledgedBy"].startswith("integration_key:")


async def test_resolve_resolves_the_alert_and_incident(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    await post(server, PATH, event("pagerduty_trigger", key))
    await post(server, PATH, event("pagerduty_acknowledge", key))
    response = await post(server, PATH, event("pagerduty_resolve", key))
    assert response.status_code == 202, response.text
    [incident] = await incidents_of(client, key.service_id)
    assert incident["status"] == "RESOLVED"
    assert incident["alerts"][0]["status"] == "RESOLVED"


async def test_events_for_unknown_keys_are_accepted_and_change_nothing(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    for name in ("pagerduty_acknowledge", "pagerduty_resolve"):
        response = await post(server, PATH, event(name, key, dedup_key="never-triggered"))
        assert response.status_code == 202, response.text
    assert await stored_alerts(server, key.service_id) == []


async def test_missing_summary_is_an_invalid_event_naming_it(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    trigger = event("pagerduty_trigger", key)
    del trigger["payload"]["summary"]
    trigger["payload"]["severity"] = "disaster"
    response = await post(server, PATH, trigger)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "invalid event"
    assert body["message"] == "Event object is invalid"
    assert body["code"] == "VALIDATION"
    assert body["field"] == "payload.summary"
    assert len(body["errors"]) == 2
    assert any("payload.severity" in error for error in body["errors"])
    assert await stored_alerts(server, key.service_id) == []


async def test_acknowledge_without_dedup_key_is_invalid(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    ack = event("pagerduty_acknowledge", key)
    del ack["dedup_key"]
    response = await post(server, PATH, ack)
    assert response.status_code == 400
    assert response.json()["field"] == "dedup_key"


async def test_unknown_event_action_is_invalid(server: LiveServer, client: GraphQLClient) -> None:
    key = await bound_key(client)
    response = await post(server, PATH, event("pagerduty_trigger", key, event_action="escalate"))
    assert response.status_code == 400
    assert response.json()["field"] == "event_action"
    assert await stored_alerts(server, key.service_id) == []


async def test_timestamp_far_ahead_names_payload_timestamp(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    trigger = event("pagerduty_trigger", key)
    trigger["payload"]["timestamp"] = "2099-01-01T00:00:00Z"
    response = await post(server, PATH, trigger)
    assert response.status_code == 400
    assert response.json()["field"] == "payload.timestamp"
    assert await stored_alerts(server, key.service_id) == []


async def test_routing_key_must_be_bound_to_a_service(client: GraphQLClient) -> None:
    secret = await unbound_key(client)
    response = await post(
        client.server, PATH, payload("pagerduty_trigger") | {"routing_key": secret}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "routing_key"
    assert response.json()["status"] == "invalid event"


async def test_unknown_routing_key_is_unauthorized(server: LiveServer) -> None:
    trigger = payload("pagerduty_trigger") | {"routing_key": "vik_not-a-key"}
    response = await post(server, PATH, trigger)
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHENTICATED"
    assert response.json()["status"] == "unauthorized"


async def test_malformed_json_is_an_invalid_event(server: LiveServer) -> None:
    response = await post(server, PATH, content=b'{"routing_key": "x", "event_action": ')
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "invalid event"
    assert body["code"] == "VALIDATION"
    assert "line 1, column" in body["errors"][0]
