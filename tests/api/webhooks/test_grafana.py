"""POST /webhooks/grafana: unified alerting's payload, and legacy alerting's."""

from __future__ import annotations

from tests.api.webhooks.helpers import (
    alerts_of,
    bound_key,
    incidents_of,
    payload,
    post,
    stored_alerts,
    unbound_key,
)
from tests.support import GraphQLClient, LiveServer, unique

PATH = "/webhooks/grafana"


async def test_unified_alerts_carry_grafana_links_and_values(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    response = await post(server, PATH, payload("grafana_unified_firing"), token=key.secret)
    assert response.status_code == 200, response.text
    [incident] = await incidents_of(client, key.service_id)
    assert incident["alertCount"] == 2
    alerts = {a["dedupKey"]: a for a in incident["alerts"]}
    priority = alerts["8d41b63c0e0f5a77"]
    assert priority["summary"] == "orders-priority queue backing up"
    assert priority["source"] == "grafana"
    assert priority["severity"] == "ERROR"
    assert [link["text"] for link in priority["links"]] == [
        "Source",
        "Dashboard",
        "Panel",
        "Silence",
        "Image",
        "Grafana",
    ]
    assert priority["details"]["values"] == {"A": 12840, "B": 1}
    assert priority["details"]["valueString"].startswith("[ var='A'")
    # Empty dashboard and panel URLs are no links; the summary falls back to alertname.
    bulk = alerts["2a90e5c17b3d4f08"]
    assert bulk["summary"] == "Queue depth high"
    assert [link["text"] for link in bulk["links"]] == ["Source", "Silence", "Grafana"]


async def test_unified_repeat_dedups_and_resolution_resolves(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    await post(server, PATH, payload("grafana_unified_firing"), token=key.secret)
    await post(server, PATH, payload("grafana_unified_firing"), token=key.secret)
    assert {a["count"] for a in (await alerts_of(client, key.service_id)).values()} == {2}
    response = await post(server, PATH, payload("grafana_unified_resolved"), token=key.secret)
    assert response.json()["outcomes"]["resolved"] == 2
    [incident] = await incidents_of(client, key.service_id)
    assert incident["status"] == "RESOLVED"


async def test_legacy_alerting_opens_and_ok_resolves(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    response = await post(server, PATH, payload("grafana_legacy_alerting"), token=key.secret)
    assert response.status_code == 200, response.text
    [incident] = await incidents_of(client, key.service_id)
    [alert] = incident["alerts"]
    assert alert["summary"] == "Disk usage alert"
    assert alert["description"] == "The database volume on db-1 is over 90% full."
    assert alert["dedupKey"] == "grafana-legacy:1:7"
    assert alert["severity"] == "CRITICAL"
    assert alert["labels"] == {"severity": "critical", "team": "dba"}
    assert [link["text"] for link in alert["links"]] == ["Grafana rule", "Image"]
    assert alert["details"]["evalMatches"][0]["value"] == 91.4

    await post(server, PATH, payload("grafana_legacy_ok"), token=key.secret)
    [incident] = await incidents_of(client, key.service_id)
    assert incident["status"] == "RESOLVED"
    assert incident["alerts"][0]["status"] == "RESOLVED"


async def test_legacy_no_data_fires_as_a_warning(server: LiveServer, client: GraphQLClient) -> None:
    key = await bound_key(client)
    rule = payload("grafana_legacy_alerting") | {"state": "no_data", "tags": {}}
    await post(server, PATH, rule, token=key.secret)
    [alert] = (await alerts_of(client, key.service_id)).values()
    assert alert["status"] == "FIRING"
    assert alert["severity"] == "WARNING"


async def test_legacy_unknown_state_is_refused_naming_state(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    rule = payload("grafana_legacy_alerting") | {"state": "exploded"}
    response = await post(server, PATH, rule, token=key.secret)
    assert response.status_code == 422
    assert response.json()["field"] == "state"
    assert '"alerting"' in response.json()["message"]
    assert await stored_alerts(server, key.service_id) == []


async def test_legacy_without_service_names_tags_service(
    server: LiveServer, client: GraphQLClient
) -> None:
    secret = await unbound_key(client)
    response = await post(server, PATH, payload("grafana_legacy_alerting"), token=secret)
    assert response.status_code == 422
    assert response.json()["field"] == "tags.service"
    service = unique("legacy-routed")
    rule = payload("grafana_legacy_alerting")
    rule["tags"]["service"] = service
    assert (await post(server, PATH, rule, token=secret)).status_code == 200
    services = {s["name"] for s in (await client.data("{ services { name } }"))["services"]}
    assert service in services


async def test_unified_bad_values_are_refused_naming_the_field(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    group = payload("grafana_unified_firing")
    group["alerts"][0]["values"] = [1, 2]
    response = await post(server, PATH, group, token=key.secret)
    assert response.status_code == 422
    assert response.json()["field"] == "alerts[0].values"
    assert await stored_alerts(server, key.service_id) == []
