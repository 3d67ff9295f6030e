"""Context for the responder: `Incident.context`, change events (GraphQL and PagerDuty's
Change Events webhook), runbooks on services, the resolution note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.api.helpers import token_for_role
from tests.api.queries import CREATE_KEY, CREATE_SERVICE, INGEST
from tests.api.webhooks.helpers import Binding, bound_key, payload, post, unbound_key
from tests.support import GraphQLClient, LiveServer, unique

CHANGE_PATH = "/v2/change/enqueue"

CONTEXT = """
query($id: ID!, $window: Float! = 60) {
  incident(id: $id) {
    context(changeWindowMinutes: $window) {
      service { name }
      alerts { summary links { href text } }
      serviceHistory { incident { id } durationSeconds resolutionNote }
      similarIncidents { incident { id title } similarity resolutionNote postmortem { id } }
      recentChanges { summary kind serviceName occurredAt }
      changeWindowMinutes
      runbooks { href text }
    }
  }
}"""

RESOLVE = """
mutation($id: ID!, $note: String) {
  resolveIncident(id: $id, resolutionNote: $note) { id status resolutionNote }
}"""

RECORD_CHANGES = """
mutation($input: [ChangeEventInput!]!) {
  changeEvents(input: $input) { id kind summary source serviceName occurredAt sentBy }
}"""

CHANGES_OF = """
query($id: ID!, $since: DateTime!) {
  changeEvents(serviceId: $id, since: $since) {
    kind summary source serviceName occurredAt receivedAt sentBy links { href text }
    customDetails
  }
}"""

SERVICE_RUNBOOKS = """
mutation($input: CreateServiceInput!) {
  createService(input: $input) { id runbooks { href text } }
}"""

UPDATE_RUNBOOKS = """
mutation($id: ID!, $input: UpdateServiceInput!) {
  updateService(id: $id, input: $input) { runbooks { href text } }
}"""

TIMELINE = """
query($id: ID!) {
  incident(id: $id) { timeline(first: 20) { edges { node { kind message } } } }
}"""


async def create_service(client: GraphQLClient, name: str, **extra: Any) -> dict[str, Any]:
    created: dict[str, Any] = (
        await client.data(CREATE_SERVICE, {"input": {"name": name, **extra}})
    )["createService"]
    return created


async def incident_of(
    client: GraphQLClient, service: str, summary: str, labels: dict[str, str]
) -> str:
    """Ingest one alert; return the id of the incident it opened."""
    data = await client.data(
        INGEST, {"alerts": [{"summary": summary, "service": service, "labels": labels}]}
    )
    incident_id: str = data["ingestAlerts"][0]["incident"]["id"]
    return incident_id


async def resolved_incident(
    client: GraphQLClient, service: str, summary: str, labels: dict[str, str], note: str
) -> str:
    incident_id = await incident_of(client, service, summary, labels)
    await client.data(RESOLVE, {"id": incident_id, "note": note})
    return incident_id


async def context_of(client: GraphQLClient, incident_id: str, window: float = 60) -> Any:
    data = await client.data(CONTEXT, {"id": incident_id, "window": window})
    return data["incident"]["context"]


def change(key: Binding | str, summary: str, at: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "routing_key": key.secret if isinstance(key, Binding) else key,
        "payload": {"summary": summary, "timestamp": at.isoformat(), **extra},
    }


# --- similar past incidents --------------------------------------------------------------


async def test_similar_incidents_rank_the_true_resemblance_first(client: GraphQLClient) -> None:
    checkout, orders_db, payments = unique("checkout"), unique("orders-db"), unique("payments")
    disk = {"alertname": "DiskSpaceLow", "mountpoint": "/var/lib/postgresql", "env": "prod"}
    # History: the disk incident happened on another service; the same service had others.
    truth = await resolved_incident(
        client,
        orders_db,
        "Disk usage above 91% on /var/lib/postgresql node db-3",
        disk | {"instance": "db-3:9100"},
        "Pruned the WAL archive and raised the archive cleanup frequency.",
    )
    await resolved_incident(
        client,
        checkout,
        "p99 latency above 2s on checkout",
        {"alertname": "HighLatency", "env": "prod"},
        "Scaled out the checkout pods.",
    )
    await resolved_incident(
        client,
        checkout,
        "TLS certificate for checkout.example.com expires in 3 days",
        {"alertname": "CertificateExpiry", "env": "prod"},
        "Renewed the certificate by hand; cert-manager was stuck.",
    )
    await resolved_incident(
        client,
        payments,
        "Pod payments-7d9f8c6b5-x2k4q OOMKilled",
        {"alertname": "OOMKilled", "env": "prod"},
        "Raised the memory limit to 1 GiB.",
    )

    new = await incident_of(
        client,
        checkout,
        "Disk usage above 97% on /var/lib/postgresql node db-7",
        disk | {"instance": "db-7:9100"},
    )
    similar = (await context_of(client, new))["similarIncidents"]

    assert similar[0]["incident"]["id"] == truth
    assert similar[0]["resolutionNote"] == (
        "Pruned the WAL archive and raised the archive cleanup frequency."
    )
    assert similar[0]["postmortem"] is None, "no postmortem index is wired in this server"
    scores = [found["similarity"] for found in similar]
    assert scores == sorted(scores, reverse=True)
    assert 0.5 < scores[0] <= 1
    assert new not in [found["incident"]["id"] for found in similar]


async def test_service_history_lists_resolved_incidents_with_duration_and_note(
    client: GraphQLClient,
) -> None:
    service = unique("history")
    first = await resolved_incident(client, service, "queue depth above 1000", {}, "Drained.")
    second = await resolved_incident(client, service, "consumer stalled", {}, "Restarted it.")
    current = await incident_of(client, service, "queue depth above 5000", {})

    history = (await context_of(client, current))["serviceHistory"]

    assert [past["incident"]["id"] for past in history] == [second, first]
    assert [past["resolutionNote"] for past in history] == ["Restarted it.", "Drained."]
    assert all(past["durationSeconds"] >= 0 for past in history)


# --- recent changes ----------------------------------------------------------------------


async def test_recent_changes_show_the_deploy_just_before_and_not_one_hours_earlier(
    server: LiveServer, client: GraphQLClient
) -> None:
    dependency = await create_service(client, unique("inventory"))
    key = await bound_key(client, "storefront")
    await client.data(
        UPDATE_RUNBOOKS,
        {"id": key.service_id, "input": {"dependsOn": [dependency["name"]]}},
    )
    now = datetime.now(UTC)
    recent = await post(
        server, CHANGE_PATH, change(key, "Deploy storefront v2.3.1", now - timedelta(minutes=5))
    )
    old = await post(
        server, CHANGE_PATH, change(key, "Deploy storefront v2.3.0", now - timedelta(hours=3))
    )
    assert (recent.status_code, old.status_code) == (202, 202), (recent.text, old.text)
    responder = await token_for_role(client, "RESPONDER")
    await client.data(
        RECORD_CHANGES,
        {
            "input": [
                {
                    "summary": "Raised inventory cache TTL to 10 min",
                    "kind": "CONFIG",
                    "service": dependency["name"],
                    "timestamp": (now - timedelta(minutes=10)).isoformat(),
                }
            ]
        },
        token=responder,
    )
    unrelated = await create_service(client, unique("unrelated"))
    await client.data(
        RECORD_CHANGES,
        {"input": [{"summary": "Deploy unrelated v9", "service": unrelated["name"]}]},
    )

    incident = await incident_of(client, key.service, "5xx rate above 2%", {})
    context = await context_of(client, incident)

    assert [(c["summary"], c["kind"], c["serviceName"]) for c in context["recentChanges"]] == [
        ("Deploy storefront v2.3.1", "OTHER", key.service),
        ("Raised inventory cache TTL to 10 min", "CONFIG", dependency["name"]),
    ]
    assert context["changeWindowMinutes"] == 60
    wider = await context_of(client, incident, window=240)
    assert "Deploy storefront v2.3.0" in [c["summary"] for c in wider["recentChanges"]]


async def test_change_webhook_answers_like_pagerduty_and_stores_the_change(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client, "pipeline")
    at = datetime(2026, 11, 26, 8, 42, 58, 315000, tzinfo=UTC)
    body = change(
        key,
        "Build Success: increase snapshot create timeout to 30 seconds",
        at,
        source="acme-build-pipeline-tool-default-i-9999",
        custom_details={"build_state": "passed", "build_number": "2", "run_time": "1236s"},
    ) | {"links": [{"href": "https://acme.pagerduty.dev/build/2", "text": "View more details"}]}
    body["payload"]["timestamp"] = "2026-11-26T08:42:58.315+0000"  # PagerDuty's own example form

    response = await post(server, CHANGE_PATH, body)

    assert response.status_code == 202, response.text
    assert response.json() == {"status": "success", "message": "Change event processed"}
    [stored] = (
        await client.data(CHANGES_OF, {"id": key.service_id, "since": "2026-11-01T00:00:00Z"})
    )["changeEvents"]
    assert stored["summary"] == "Build Success: increase snapshot create timeout to 30 seconds"
    assert stored["source"] == "acme-build-pipeline-tool-default-i-9999"
    assert stored["occurredAt"] == at.isoformat()
    assert stored["receivedAt"] > stored["occurredAt"]
    assert stored["customDetails"]["build_number"] == "2"
    assert stored["links"] == [
        {"href": "https://acme.pagerduty.dev/build/2", "text": "View more details"}
    ]
    assert stored["sentBy"] == "integration_key:monitor"
    assert stored["kind"] == "OTHER"


async def test_change_webhook_refuses_bad_requests_and_stores_nothing(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client, "refused")
    now = datetime.now(UTC)
    good = change(key, "Deploy v1", now)

    unknown_key = await post(server, CHANGE_PATH, good | {"routing_key": "vik_not-a-key"})
    assert unknown_key.status_code == 401
    assert unknown_key.json()["status"] == "unauthorized"
    assert unknown_key.json()["code"] == "UNAUTHENTICATED"

    unbound = await post(server, CHANGE_PATH, good | {"routing_key": await unbound_key(client)})
    assert unbound.status_code == 400
    assert unbound.json()["field"] == "routing_key"

    broken = await post(server, CHANGE_PATH, content=b'{"routing_key": "x", "payload": {')
    assert broken.status_code == 400
    assert broken.json()["status"] == "invalid event"
    assert broken.json()["code"] == "VALIDATION"

    no_summary = await post(server, CHANGE_PATH, good | {"payload": {"source": "ci"}})
    assert no_summary.status_code == 400
    assert any("summary" in error for error in no_summary.json()["errors"])

    bad_time = await post(
        server,
        CHANGE_PATH,
        change(key, "Deploy v1", now) | {"payload": {"summary": "x", "timestamp": "yesterday"}},
    )
    assert bad_time.status_code == 400
    assert bad_time.json()["field"] == "payload.timestamp"

    future = await post(server, CHANGE_PATH, change(key, "Deploy v1", now + timedelta(hours=2)))
    assert future.status_code == 400
    assert future.json()["field"] == "payload.timestamp"

    not_json = await post(server, CHANGE_PATH, good, headers={"Content-Type": "text/plain"})
    assert not_json.status_code == 415

    stored = await client.data(
        CHANGES_OF, {"id": key.service_id, "since": (now - timedelta(days=1)).isoformat()}
    )
    assert stored["changeEvents"] == []
    assert await server.stored("change_events", {"service_id": key.service_id}) == []


async def test_change_events_mutation_is_for_integration_keys_and_responders(
    client: GraphQLClient,
) -> None:
    key = await bound_key(client, "mutated")
    recorded = (
        await client.data(
            RECORD_CHANGES,
            {"input": [{"summary": "Deploy api v7", "service": "ignored-for-a-bound-key"}]},
            token=key.secret,
        )
    )["changeEvents"]
    assert [(c["serviceName"], c["kind"], c["source"]) for c in recorded] == [
        (key.service, "DEPLOY", "api")
    ]

    viewer = await token_for_role(client, "VIEWER")
    forbidden = await client.error_code(
        RECORD_CHANGES, {"input": [{"summary": "x", "service": key.service}]}, token=viewer
    )
    assert forbidden == "FORBIDDEN"

    body = await client.execute(
        RECORD_CHANGES, {"input": [{"summary": "Deploy", "kind": "DEPLOY"}]}
    )
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert body["errors"][0]["extensions"]["field"] == "input[0].service"

    late = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    body = await client.execute(
        RECORD_CHANGES,
        {"input": [{"summary": "Deploy", "service": key.service, "timestamp": late}]},
    )
    assert body["errors"][0]["extensions"]["field"] == "input[0].timestamp"
    since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    listed = (await client.data(CHANGES_OF, {"id": key.service_id, "since": since}))["changeEvents"]
    assert [c["summary"] for c in listed] == ["Deploy api v7"]


# --- alerts' monitor links -----------------------------------------------------------------


async def test_context_alerts_carry_the_monitors_links(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client, "grafana")
    grafana = payload("grafana_unified_firing")
    response = await post(server, f"/webhooks/grafana/{key.secret}", grafana)
    assert response.status_code == 200, response.text
    manager = payload("alertmanager_firing")
    response = await post(server, f"/webhooks/alertmanager/{key.secret}", manager)
    assert response.status_code == 200, response.text
    incidents = (
        await client.data(
            "query($ids: [ID!]) { incidents(filter: {serviceIds: $ids}) "
            "{ edges { node { id } } } }",
            {"ids": [key.service_id]},
        )
    )["incidents"]["edges"]

    links = {
        (link["text"], link["href"])
        for edge in incidents
        for alert in (await context_of(client, edge["node"]["id"]))["alerts"]
        for link in alert["links"]
    }

    first = grafana["alerts"][0]
    assert ("Dashboard", first["dashboardURL"]) in links
    assert ("Panel", first["panelURL"]) in links
    for alert in grafana["alerts"] + manager["alerts"]:
        assert ("Source", alert["generatorURL"]) in links


# --- runbooks ---------------------------------------------------------------------------


async def test_runbooks_are_validated_kept_replaced_and_shown_in_context(
    client: GraphQLClient,
) -> None:
    runbooks = [
        {"href": "https://wiki.example.com/runbooks/checkout", "text": "Checkout runbook"},
        {"href": "https://grafana.example.com/d/checkout"},
    ]
    created = (
        await client.data(SERVICE_RUNBOOKS, {"input": {"name": unique("rb"), "runbooks": runbooks}})
    )["createService"]
    assert created["runbooks"] == [runbooks[0], runbooks[1] | {"text": ""}]

    body = await client.execute(
        SERVICE_RUNBOOKS,
        {"input": {"name": unique("rb"), "runbooks": [{"href": "javascript:alert(1)"}]}},
    )
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert body["errors"][0]["extensions"]["field"] == "runbooks[0].href"
    too_many = [{"href": f"https://wiki.example.com/{n}"} for n in range(21)]
    assert (
        await client.error_code(
            SERVICE_RUNBOOKS, {"input": {"name": unique("rb"), "runbooks": too_many}}
        )
        == "VALIDATION"
    )

    untouched = await client.data(UPDATE_RUNBOOKS, {"id": created["id"], "input": {}})
    assert untouched["updateService"]["runbooks"] == created["runbooks"]
    replaced = await client.data(
        UPDATE_RUNBOOKS,
        {"id": created["id"], "input": {"runbooks": [{"href": "https://runbooks.example.com/v2"}]}},
    )
    assert replaced["updateService"]["runbooks"] == [
        {"href": "https://runbooks.example.com/v2", "text": ""}
    ]
    services = await client.data(
        "query($id: ID!) { service(id: $id) { name } }", {"id": created["id"]}
    )
    incident = await incident_of(client, services["service"]["name"], "checkout down", {})
    assert (await context_of(client, incident))["runbooks"] == [
        {"href": "https://runbooks.example.com/v2", "text": ""}
    ]
    cleared = await client.data(UPDATE_RUNBOOKS, {"id": created["id"], "input": {"runbooks": []}})
    assert cleared["updateService"]["runbooks"] == []


# --- the resolution note ------------------------------------------------------------------


async def test_resolution_note_is_stored_and_shown_on_the_timeline(client: GraphQLClient) -> None:
    incident = await incident_of(client, unique("noted"), "disk full", {})

    blank = await client.execute(RESOLVE, {"id": incident, "note": "   "})
    assert blank["errors"][0]["extensions"]["field"] == "resolutionNote"
    resolved = (await client.data(RESOLVE, {"id": incident, "note": "Rotated the logs."}))[
        "resolveIncident"
    ]

    assert resolved == {"id": incident, "status": "RESOLVED", "resolutionNote": "Rotated the logs."}
    entries = (await client.data(TIMELINE, {"id": incident}))["incident"]["timeline"]["edges"]
    messages = [e["node"]["message"] for e in entries if e["node"]["kind"] == "STATUS_CHANGED"]
    assert messages == ["Status changed to resolved. Resolution note: Rotated the logs."]

    other = await incident_of(client, unique("unnoted"), "disk full", {})
    plain = (await client.data(RESOLVE, {"id": other}))["resolveIncident"]
    assert plain["resolutionNote"] is None


async def test_context_needs_a_reader_and_checks_its_arguments(client: GraphQLClient) -> None:
    incident = await incident_of(client, unique("args"), "disk full", {})
    key = (await client.data(CREATE_KEY, {"input": {"name": "k"}}))["createIntegrationKey"]
    assert await client.error_code(CONTEXT, {"id": incident}, token=key["secret"]) == "FORBIDDEN"
    assert await client.error_code(CONTEXT, {"id": incident, "window": 0}) == "VALIDATION"
    # Fuzzing finding: beyond any timedelta, the window used to fail as INTERNAL.
    endless = await client.execute(CONTEXT, {"id": incident, "window": 1e300})
    assert endless["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert endless["errors"][0]["extensions"]["field"] == "changeWindowMinutes"
