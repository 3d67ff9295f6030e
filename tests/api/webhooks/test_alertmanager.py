"""POST /webhooks/alertmanager: Alertmanager's webhook payload (version 4)."""

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

PATH = "/webhooks/alertmanager"


async def test_firing_group_becomes_alerts_and_an_incident(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    response = await post(server, PATH, payload("alertmanager_firing"), token=key.secret)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["outcomes"] == {"created": 2, "deduplicated": 0, "resolved": 0, "ignored": 0}
    assert [a["dedupKey"] for a in body["alerts"]] == ["5b3c0a1f9d8e7c21", "e1f04c7a22b9d310"]

    [incident] = await incidents_of(client, key.service_id)
    assert incident["status"] == "TRIGGERED"
    assert incident["alertCount"] == 2
    assert incident["severity"] == "CRITICAL"
    alerts = {a["dedupKey"]: a for a in incident["alerts"]}
    latency = alerts["5b3c0a1f9d8e7c21"]
    assert latency["summary"] == "p99 latency above 2s on 10.0.3.17:8080"
    assert latency["description"].startswith("The 99th percentile")
    assert latency["source"] == "alertmanager"
    assert latency["severity"] == "CRITICAL"
    assert latency["labels"]["team"] == "payments"
    # The offset is applied; the store keeps milliseconds.
    assert latency["occurredAt"] == "2026-11-26T08:14:05.123000+00:00"
    assert [link["text"] for link in latency["links"]] == ["Source", "Runbook", "Alertmanager"]
    assert latency["links"][0]["href"].startswith("http://prometheus.example.com:9090/graph?")
    assert latency["links"][2]["href"] == "http://alertmanager.example.com:9093"
    assert latency["details"]["annotations"]["runbook_url"].startswith("https://runbooks.")
    assert latency["details"]["receiver"] == "vigil"
    # No summary annotation: the alert's name stands in.
    target_down = alerts["e1f04c7a22b9d310"]
    assert target_down["summary"] == "TargetDown"
    assert target_down["severity"] == "WARNING"


async def test_the_same_fingerprint_twice_is_one_alert_counted_twice(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    await post(server, PATH, payload("alertmanager_firing"), token=key.secret)
    again = await post(server, PATH, payload("alertmanager_firing"), token=key.secret)
    assert again.json()["outcomes"]["deduplicated"] == 2
    alerts = await alerts_of(client, key.service_id)
    assert len(alerts) == 2
    assert [alerts[k]["count"] for k in ("5b3c0a1f9d8e7c21", "e1f04c7a22b9d310")] == [2, 2]
    assert len(await stored_alerts(server, key.service_id)) == 2


async def test_resolved_group_resolves_the_alerts_and_the_incident(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    await post(server, PATH, payload("alertmanager_firing"), token=key.secret)
    response = await post(server, PATH, payload("alertmanager_resolved"), token=key.secret)
    assert response.json()["outcomes"]["resolved"] == 2
    [incident] = await incidents_of(client, key.service_id)
    assert incident["status"] == "RESOLVED"
    assert incident["openAlertCount"] == 0
    assert {a["status"] for a in incident["alerts"]} == {"RESOLVED"}


async def test_key_in_the_url_path_authenticates(server: LiveServer, client: GraphQLClient) -> None:
    key = await bound_key(client)
    response = await post(server, f"{PATH}/{key.secret}", payload("alertmanager_firing"))
    assert response.status_code == 200, response.text
    assert len(await alerts_of(client, key.service_id)) == 2


async def test_unbound_key_takes_the_service_from_labels_service_then_job(
    server: LiveServer, client: GraphQLClient
) -> None:
    secret = await unbound_key(client)
    group = payload("alertmanager_firing")
    by_service, by_job = unique("by-service"), unique("By_Job")
    group["alerts"][0]["labels"]["service"] = by_service
    for alert in group["alerts"]:
        alert["labels"]["job"] = by_job
    response = await post(server, PATH, group, token=secret)
    assert response.status_code == 200, response.text
    services = {s["name"] for s in (await client.data("{ services { name } }"))["services"]}
    # The service label wins over job; a job is made a slug (lower case, dashes).
    assert by_service in services
    assert by_job.lower().replace("_", "-") in services


async def test_no_service_for_an_unbound_key_names_labels_service(
    server: LiveServer, client: GraphQLClient
) -> None:
    secret = await unbound_key(client)
    group = payload("alertmanager_firing")
    for alert in group["alerts"]:
        del alert["labels"]["job"]
    response = await post(server, PATH, group, token=secret)
    assert response.status_code == 422
    assert response.json()["code"] == "VALIDATION"
    assert response.json()["field"] == "alerts[0].labels.service"


async def test_one_bad_alert_refuses_the_group_and_stores_nothing(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    group = payload("alertmanager_firing")
    group["alerts"][1]["labels"]["port"] = 8080
    response = await post(server, PATH, group, token=key.secret)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "VALIDATION"
    assert body["field"] == "alerts[1].labels.port"
    assert "string" in body["message"]
    assert body["suggestion"]
    assert await stored_alerts(server, key.service_id) == []


async def test_domain_errors_name_the_alertmanager_field(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    group = payload("alertmanager_firing")
    group["alerts"][1]["startsAt"] = "2099-01-01T00:00:00Z"
    response = await post(server, PATH, group, token=key.secret)
    assert response.status_code == 422
    assert response.json()["field"] == "alerts[1].startsAt"
    assert await stored_alerts(server, key.service_id) == []


async def test_alert_without_summary_or_alertname_is_refused(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    group = payload("alertmanager_firing")
    del group["alerts"][1]["labels"]["alertname"]
    response = await post(server, PATH, group, token=key.secret)
    assert response.status_code == 422
    assert response.json()["field"] == "alerts[1].annotations.summary"


async def test_other_payload_versions_are_refused(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    group = payload("alertmanager_firing") | {"version": "5"}
    response = await post(server, PATH, group, token=key.secret)
    assert response.status_code == 422
    assert response.json()["field"] == "version"
    assert await stored_alerts(server, key.service_id) == []


async def test_payload_without_fingerprints_dedups_by_labels(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    group = payload("alertmanager_firing")
    for alert in group["alerts"]:
        del alert["fingerprint"]
    await post(server, PATH, group, token=key.secret)
    for alert in group["alerts"]:
        alert["status"] = "resolved"
    response = await post(server, PATH, group, token=key.secret)
    assert response.json()["outcomes"]["resolved"] == 2
    [incident] = await incidents_of(client, key.service_id)
    assert incident["status"] == "RESOLVED"
