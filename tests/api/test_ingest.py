"""ingestAlerts: normalising, deduplicating, correlating, and refusing bad input."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.api.queries import (
    ACKNOWLEDGE,
    ADD_NOTE,
    CREATE_KEY,
    CREATE_SERVICE,
    INCIDENT,
    INGEST,
    RESOLVE,
)
from tests.support import GraphQLClient, unique


def alert(service: str, summary: str = "CPU above 90%", **fields: Any) -> dict[str, Any]:
    return {"summary": summary, "service": service, **fields}


async def ingest(client: GraphQLClient, alerts: list[dict[str, Any]], **kw: Any) -> list[Any]:
    data = await client.data(INGEST, {"alerts": alerts}, **kw)
    results: list[Any] = data["ingestAlerts"]
    return results


async def test_new_alert_opens_an_incident_with_normalised_fields(client: GraphQLClient) -> None:
    service = unique("checkout")
    [result] = await ingest(
        client,
        [
            alert(
                service,
                severity="CRITICAL",
                labels={"pod": "checkout-1"},
                occurredAt="2026-11-26T10:00:00+02:00",
            )
        ],
    )
    assert result["outcome"] == "CREATED"
    assert result["deduplicated"] is False
    assert result["alert"]["occurredAt"] == "2026-11-26T08:00:00+00:00"
    assert result["alert"]["receivedAt"] != result["alert"]["occurredAt"]
    assert result["alert"]["serviceName"] == service
    assert result["alert"]["labels"] == {"pod": "checkout-1"}
    assert result["alert"]["dedupKey"].startswith("fp:")
    incident = result["incident"]
    assert incident["status"] == "TRIGGERED"
    assert incident["severity"] == "CRITICAL"
    assert incident["title"] == "CPU above 90%"
    assert incident["alertCount"] == 1


async def test_resending_the_same_batch_creates_no_duplicates(client: GraphQLClient) -> None:
    service = unique("cart")
    batch = [
        alert(service, "disk full", labels={"host": "a"}),
        alert(service, "latency high", dedupKey="latency-1"),
    ]
    first = await ingest(client, batch)
    again = await ingest(client, batch)
    assert [r["outcome"] for r in again] == ["DEDUPLICATED", "DEDUPLICATED"]
    assert [r["alert"]["id"] for r in again] == [r["alert"]["id"] for r in first]
    assert [r["alert"]["count"] for r in again] == [2, 2]
    incident = (await client.data(INCIDENT, {"id": first[0]["incident"]["id"]}))["incident"]
    assert incident["alertCount"] == 2
    assert len(incident["alerts"]["edges"]) == 2


async def test_repeats_within_one_batch_count_on_one_alert(client: GraphQLClient) -> None:
    service = unique("search")
    results = await ingest(client, [alert(service, dedupKey="k")] * 3)
    assert [r["outcome"] for r in results] == ["CREATED", "DEDUPLICATED", "DEDUPLICATED"]
    assert len({r["alert"]["id"] for r in results}) == 1
    assert results[0]["alert"]["count"] == 3


async def test_same_service_within_the_window_joins_one_incident(client: GraphQLClient) -> None:
    service, other = unique("payments"), unique("shipping")
    results = await ingest(
        client,
        [
            alert(service, "a", occurredAt="2026-11-26T10:00:00Z"),
            alert(service, "b", occurredAt="2026-11-26T10:03:00Z"),
            alert(service, "c", occurredAt="2026-11-26T11:00:00Z"),
            alert(other, "d", occurredAt="2026-11-26T10:01:00Z"),
        ],
    )
    incident_ids = [r["incident"]["id"] for r in results]
    assert incident_ids[0] == incident_ids[1]
    assert len(set(incident_ids)) == 3
    later = await ingest(client, [alert(service, "e", occurredAt="2026-11-26T10:05:00Z")])
    assert later[0]["incident"]["id"] == incident_ids[0]
    assert later[0]["incident"]["alertCount"] == 3


async def test_a_repeat_names_its_incident_when_asked_also_through_a_fragment(
    client: GraphQLClient,
) -> None:
    service = unique("fragment")
    [first] = await ingest(client, [alert(service, "queue deep")])
    by_fragment = """
    fragment Named on IngestResult { incident { id status } }
    mutation($alerts: [AlertInput!]!) { ingestAlerts(alerts: $alerts) { outcome ...Named } }"""

    [again] = (await client.data(by_fragment, {"alerts": [alert(service, "queue deep")]}))[
        "ingestAlerts"
    ]

    assert again["outcome"] == "DEDUPLICATED"
    assert again["incident"] == {"id": first["incident"]["id"], "status": "TRIGGERED"}


async def test_resolve_event_resolves_alert_and_then_incident(client: GraphQLClient) -> None:
    service = unique("auth")
    opened = await ingest(
        client, [alert(service, "x", dedupKey="x"), alert(service, "y", dedupKey="y")]
    )
    incident_id = opened[0]["incident"]["id"]
    [first] = await ingest(client, [alert(service, "x", dedupKey="x", status="RESOLVED")])
    assert first["outcome"] == "RESOLVED"
    assert first["alert"]["status"] == "RESOLVED"
    assert first["incident"]["status"] == "TRIGGERED"
    assert first["incident"]["openAlertCount"] == 1
    [second] = await ingest(client, [alert(service, "y", dedupKey="y", status="RESOLVED")])
    assert second["incident"]["status"] == "RESOLVED"
    incident = (await client.data(INCIDENT, {"id": incident_id}))["incident"]
    assert incident["resolvedBy"] == "user:admin"
    assert "STATUS_CHANGED" in [e["node"]["kind"] for e in incident["timeline"]["edges"]]
    # Firing again after resolution is a new alert, not a repeat of the resolved one.
    [again] = await ingest(client, [alert(service, "x", dedupKey="x")])
    assert again["outcome"] == "CREATED"
    assert again["alert"]["id"] != opened[0]["alert"]["id"]


TIMELINE_WITH_IDS = """
query($id: ID!) {
  incident(id: $id) { timeline(first: 10) { edges { node { id kind actor message alertIds } } } }
}"""


async def test_the_opening_is_kept_on_the_incident_and_heads_its_timeline(
    client: GraphQLClient,
) -> None:
    service = unique("opening")
    [opened, joined] = await ingest(client, [alert(service, "queue deep"), alert(service, "lag")])
    incident_id = opened["incident"]["id"]
    await client.data(ADD_NOTE, {"id": incident_id, "body": "looking"})

    incident = (await client.data(TIMELINE_WITH_IDS, {"id": incident_id}))["incident"]

    entries = [edge["node"] for edge in incident["timeline"]["edges"]]
    assert [e["kind"] for e in entries] == ["OPENED", "NOTE_ADDED"]
    assert entries[0]["id"] == incident_id
    assert entries[0]["message"] == "Opened by alert: queue deep"
    assert entries[0]["actor"] == "user:admin"
    assert entries[0]["alertIds"] == [opened["alert"]["id"], joined["alert"]["id"]]
    timeline = client.server.app.state.runtime.db["timeline"]
    stored = await timeline.count_documents({"incident_id": incident_id, "kind": "opened"})
    assert stored == 0, "the opening is not a timeline document"


async def test_an_acknowledged_incident_is_joined_and_a_resolved_one_is_not(
    client: GraphQLClient,
) -> None:
    service = unique("ledger")
    [opened] = await ingest(client, [alert(service, "queue deep")])
    incident_id = opened["incident"]["id"]
    await client.data(ACKNOWLEDGE, {"id": incident_id})
    [joined] = await ingest(client, [alert(service, "consumer lag")])
    assert joined["incident"]["id"] == incident_id
    assert joined["incident"]["status"] == "ACKNOWLEDGED"
    await client.data(RESOLVE, {"id": incident_id})
    [after] = await ingest(client, [alert(service, "disk slow")])
    assert after["incident"]["id"] != incident_id
    assert after["incident"]["status"] == "TRIGGERED"


async def test_resolve_of_an_unknown_key_is_ignored(client: GraphQLClient) -> None:
    [result] = await ingest(client, [alert(unique("svc"), dedupKey="nope", status="RESOLVED")])
    assert result == {"outcome": "IGNORED", "deduplicated": False, "alert": None, "incident": None}


async def test_invalid_alert_rejects_the_whole_batch(client: GraphQLClient) -> None:
    service = unique("bad")
    body = await client.execute(
        INGEST,
        {
            "alerts": [
                alert(service, "fine"),
                alert(service, "naive", occurredAt="2026-11-26T10:00:00"),
            ]
        },
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION"
    assert error["extensions"]["field"] == "alerts[1].occurredAt"
    assert error["extensions"]["suggestion"]
    services = (await client.data("{ services { name } }"))["services"]
    assert service not in [s["name"] for s in services], "nothing may be half-written"


async def test_label_values_must_be_strings(client: GraphQLClient) -> None:
    code = await client.error_code(INGEST, {"alerts": [alert(unique("s"), labels={"port": 80})]})
    assert code == "VALIDATION"


async def test_more_than_1000_alerts_is_a_clear_error(client: GraphQLClient) -> None:
    service = unique("big")
    body = await client.execute(INGEST, {"alerts": [alert(service, f"a{i}") for i in range(1001)]})
    assert body["errors"][0]["extensions"]["code"] == "BATCH_TOO_LARGE"
    assert "1000" in body["errors"][0]["message"]


async def test_unknown_service_name_registers_the_service(client: GraphQLClient) -> None:
    service = unique("autoreg")
    await ingest(client, [alert(service)])
    names = [s["name"] for s in (await client.data("{ services { name } }"))["services"]]
    assert service in names


async def test_integration_key_bound_to_a_service_routes_there(client: GraphQLClient) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("bound")}}))[
        "createService"
    ]
    key = (await client.data(CREATE_KEY, {"input": {"name": "prom", "serviceId": service["id"]}}))[
        "createIntegrationKey"
    ]
    assert key["secret"].startswith("vik_")
    [result, named] = await ingest(
        client, [{"summary": "no service named"}, alert(unique("elsewhere"))], token=key["secret"]
    )
    assert result["alert"]["serviceName"] == service["name"]
    assert named["alert"]["serviceName"] == service["name"], "the key's service wins"


async def test_unbound_key_needs_a_service_on_each_alert(client: GraphQLClient) -> None:
    key = (await client.data(CREATE_KEY, {"input": {"name": "generic"}}))["createIntegrationKey"]
    body = await client.execute(INGEST, {"alerts": [{"summary": "where?"}]}, token=key["secret"])
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert body["errors"][0]["extensions"]["field"] == "alerts[0].service"
    [ok] = await ingest(client, [alert(unique("routed"))], token=key["secret"])
    assert ok["outcome"] == "CREATED"


async def test_event_time_far_in_the_future_is_refused(client: GraphQLClient) -> None:
    code = await client.error_code(
        INGEST, {"alerts": [alert(unique("f"), occurredAt="2099-01-01T00:00:00Z")]}
    )
    assert code == "VALIDATION"


async def test_links_and_details_are_kept(client: GraphQLClient) -> None:
    query = """mutation($a: [AlertInput!]!) { ingestAlerts(alerts: $a) {
        alert { links { href text } details } } }"""
    details = {"annotations": {"runbook": "https://runbooks/x"}, "value": 0.97, "a.b": {"$x": 1}}
    data = await client.data(
        query,
        {
            "a": [
                alert(
                    unique("linked"),
                    links=[{"href": "https://grafana/d/1", "text": "Dashboard"}],
                    details=details,
                )
            ]
        },
    )
    stored = data["ingestAlerts"][0]["alert"]
    assert stored["links"] == [{"href": "https://grafana/d/1", "text": "Dashboard"}]
    assert stored["details"] == details


async def test_links_must_be_http_urls(client: GraphQLClient) -> None:
    body = await client.execute(
        INGEST, {"alerts": [alert(unique("badlink"), links=[{"href": "javascript:alert(1)"}])]}
    )
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert body["errors"][0]["extensions"]["field"].startswith("alerts[0].links")


async def test_concurrent_senders_of_one_new_alert_store_it_once(client: GraphQLClient) -> None:
    service = unique("race")
    batches = [[alert(service, "same", dedupKey="k")] for _ in range(6)]
    results = await asyncio.gather(*(ingest(client, batch) for batch in batches))
    ids = {r[0]["alert"]["id"] for r in results}
    assert len(ids) == 1
    final = await ingest(client, [alert(service, "same", dedupKey="k")])
    assert final[0]["alert"]["count"] == 7
    incident = (await client.data(INCIDENT, {"id": final[0]["incident"]["id"]}))["incident"]
    assert incident["alertCount"] == 1
    assert incident["openAlertCount"] == 1
    listed = await client.data(
        "query($f: IncidentFilter) { incidents(first: 10, filter: $f) { edges { node { id } } } }",
        {"f": {"serviceIds": [incident["service"]["id"]]}},
    )
    assert len(listed["incidents"]["edges"]) == 1, "no empty incident left behind"


async def test_concurrent_batches_of_one_service_grow_one_incident(client: GraphQLClient) -> None:
    """Batches decide one after another but write at the same time: later ones must see
    the incident an earlier one opened before it is stored, and count into it."""
    service = unique("burst")
    batches = [[alert(service, f"disk {b}-{i}") for i in range(20)] for b in range(8)]
    results = await asyncio.gather(*(ingest(client, batch) for batch in batches))
    incident_ids = {outcome["incident"]["id"] for result in results for outcome in result}
    assert len(incident_ids) == 1
    incident = (await client.data(INCIDENT, {"id": incident_ids.pop()}))["incident"]
    assert incident["alertCount"] == 160
    assert incident["openAlertCount"] == 160


class GatedWrites:
    """The incidents collection, with the first incident write held at a gate: a batch whose
    incident insert is slow to land."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection
        self.gate = asyncio.Event()
        self.held = asyncio.Event()
        self.one_written = asyncio.Event()
        """Set when a write other than the held one has landed."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)

    async def bulk_write(self, *args: Any, **kwargs: Any) -> Any:
        if not self.held.is_set():
            self.held.set()
            await self.gate.wait()
            return await self._collection.bulk_write(*args, **kwargs)
        result = await self._collection.bulk_write(*args, **kwargs)
        self.one_written.set()
        return result


async def test_a_batch_waiting_to_grow_another_batchs_incident_writes_its_own_at_once(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batch A opens incident X and its write is slow; B joins X and opens Y; C joins Y.
    B's growth of X waits for A, but B's insert of Y does not, so C finishes before A."""
    repository = client.server.app.state.runtime.container.ingest._incidents
    gated = GatedWrites(repository._incidents)
    monkeypatch.setattr(repository, "_incidents", gated)
    first, second = unique("gated-x"), unique("gated-y")

    batch_a = asyncio.create_task(ingest(client, [alert(first, "disk a")]))
    batch_b: asyncio.Task[list[Any]] | None = None
    try:
        async with asyncio.timeout(10):
            await gated.held.wait()
        batch_b = asyncio.create_task(
            ingest(client, [alert(first, "disk b"), alert(second, "cpu b")])
        )
        async with asyncio.timeout(10):
            await gated.one_written.wait()  # B's own incident, Y, is stored
            [joined_y] = await ingest(client, [alert(second, "cpu c")])
        assert not batch_a.done() and not batch_b.done(), "C did not wait for A"
    finally:
        gated.gate.set()  # whatever happened, A and B finish
        [opened_x] = await batch_a
        joined_x, opened_y = await batch_b if batch_b else (None, None)
    assert joined_x is not None and opened_y is not None
    assert joined_x["incident"]["id"] == opened_x["incident"]["id"]
    assert joined_y["incident"]["id"] == opened_y["incident"]["id"]
    for incident_id in (opened_x["incident"]["id"], opened_y["incident"]["id"]):
        incident = (await client.data(INCIDENT, {"id": incident_id}))["incident"]
        assert incident["alertCount"] == 2


async def test_a_resolved_alert_reads_back_when_it_was_resolved(client: GraphQLClient) -> None:
    service = unique("resolvedat")
    [opened] = await ingest(client, [alert(service, "disk", dedupKey="disk")])
    [closed] = await ingest(client, [alert(service, "disk", dedupKey="disk", status="RESOLVED")])
    assert closed["outcome"] == "RESOLVED"
    query = """query($id: ID!) { incident(id: $id) { alerts(first: 5) { edges { node {
        status receivedAt lastSeenAt resolvedAt } } } } }"""
    data = await client.data(query, {"id": opened["incident"]["id"]})
    [stored] = [e["node"] for e in data["incident"]["alerts"]["edges"]]
    assert stored["status"] == "RESOLVED"
    assert stored["resolvedAt"] is not None
    assert stored["resolvedAt"] == stored["lastSeenAt"] >= stored["receivedAt"]
