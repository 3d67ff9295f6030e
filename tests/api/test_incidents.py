"""Incident lifecycle, notes, timeline, listing and keyset pagination."""

from __future__ import annotations

import asyncio
import uuid

from tests.api.helpers import open_incident
from tests.api.queries import ACKNOWLEDGE, ADD_NOTE, INCIDENT, INGEST, RESOLVE
from tests.support import GraphQLClient, LiveServer, unique

LIST = """
query($first: Int!, $after: String, $filter: IncidentFilter) {
  incidents(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id number status service { name } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def test_acknowledge_then_resolve_records_who_and_when(client: GraphQLClient) -> None:
    incident = await open_incident(client)
    acked = (await client.data(ACKNOWLEDGE, {"id": incident["id"]}))["acknowledgeIncident"]
    assert acked == {"id": incident["id"], "status": "ACKNOWLEDGED", "acknowledgedBy": "user:admin"}
    resolved = (await client.data(RESOLVE, {"id": incident["id"]}))["resolveIncident"]
    assert resolved["status"] == "RESOLVED"
    full = (await client.data(INCIDENT, {"id": incident["id"]}))["incident"]
    assert full["acknowledgedAt"] is not None and full["resolvedAt"] is not None
    assert full["acknowledgedAt"] <= full["resolvedAt"]
    kinds = [e["node"]["kind"] for e in full["timeline"]["edges"]]
    assert kinds == ["OPENED", "STATUS_CHANGED", "STATUS_CHANGED"]


async def test_acknowledging_writes_first_with_the_permission_in_its_filter(
    server: LiveServer, client: GraphQLClient
) -> None:
    incident = await open_incident(client)
    await client.load_credentials_now()
    server.counter.commands.clear()
    server.counter.request_id = request_id = uuid.uuid4().hex
    try:
        await client.data(ACKNOWLEDGE, {"id": incident["id"]}, request_id=request_id)
    finally:
        server.counter.request_id = None
    assert server.counter.commands[:2] == ["findAndModify", "insert"], server.counter.commands


async def test_illegal_transitions_are_typed_errors(client: GraphQLClient) -> None:
    incident = await open_incident(client)
    await client.data(RESOLVE, {"id": incident["id"]})
    assert await client.error_code(ACKNOWLEDGE, {"id": incident["id"]}) == "INVALID_TRANSITION"
    assert await client.error_code(RESOLVE, {"id": incident["id"]}) == "INVALID_TRANSITION"
    other = await open_incident(client)
    await client.data(ACKNOWLEDGE, {"id": other["id"]})
    assert await client.error_code(ACKNOWLEDGE, {"id": other["id"]}) == "INVALID_TRANSITION"


async def test_unknown_incident_is_not_found(client: GraphQLClient) -> None:
    missing = "0" * 24
    assert await client.error_code(INCIDENT, {"id": missing}) == "NOT_FOUND"
    assert await client.error_code(ACKNOWLEDGE, {"id": missing}) == "NOT_FOUND"


async def test_notes_land_on_the_timeline_with_their_author(client: GraphQLClient) -> None:
    incident = await open_incident(client)
    note = (await client.data(ADD_NOTE, {"id": incident["id"], "body": "  rolled back  "}))[
        "addIncidentNote"
    ]
    assert note == {"kind": "NOTE_ADDED", "message": "rolled back", "actor": "user:admin"}
    timeline = (await client.data(INCIDENT, {"id": incident["id"]}))["incident"]["timeline"]
    assert timeline["edges"][-1]["node"]["message"] == "rolled back"
    assert await client.error_code(ADD_NOTE, {"id": incident["id"], "body": "  "}) == "VALIDATION"


async def test_alerts_joining_an_incident_appear_on_its_timeline(client: GraphQLClient) -> None:
    service = unique("timeline")
    incident = await open_incident(client, service)
    data = await client.data(INGEST, {"alerts": [{"summary": "second", "service": service}]})
    alert_id = data["ingestAlerts"][0]["alert"]["id"]
    timeline = (await client.data(INCIDENT, {"id": incident["id"]}))["incident"]["timeline"]
    added = timeline["edges"][-1]["node"]
    assert added["kind"] == "ALERTS_ADDED"
    assert added["alertIds"] == [alert_id]


async def test_pagination_walks_every_incident_once_newest_first(client: GraphQLClient) -> None:
    services = [unique("page") for _ in range(7)]
    for service in services:
        await open_incident(client, service)
    listed = await client.data("{ services { id name } }")
    service_ids = [s["id"] for s in listed["services"] if s["name"] in services]
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = await client.data(
            LIST, {"first": 3, "after": after, "filter": {"serviceIds": service_ids}}
        )
        connection = data["incidents"]
        seen += [edge["node"]["service"]["name"] for edge in connection["edges"]]
        pages += 1
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert pages == 3
    assert seen == list(reversed(services))


async def test_filter_by_status(client: GraphQLClient) -> None:
    service = unique("filtered")
    first = await open_incident(client, service)
    await client.data(RESOLVE, {"id": first["id"]})
    await open_incident(client, service)
    service_id = (await client.data(INCIDENT, {"id": first["id"]}))["incident"]["service"]["id"]
    data = await client.data(
        LIST, {"first": 10, "filter": {"serviceIds": [service_id], "status": ["RESOLVED"]}}
    )
    assert [e["node"]["id"] for e in data["incidents"]["edges"]] == [first["id"]]


async def test_bad_cursor_and_page_size_are_validation_errors(client: GraphQLClient) -> None:
    assert await client.error_code(LIST, {"first": 3, "after": "garbage!"}) == "VALIDATION"
    assert await client.error_code(LIST, {"first": 1000}) == "VALIDATION"


async def test_pagination_across_concurrent_batches_sees_each_incident_once(
    client: GraphQLClient,
) -> None:
    batches = [[unique("tie") for _ in range(10)] for _ in range(4)]
    # Concurrent batches share creation times and interleave their ids.
    await asyncio.gather(
        *(
            client.data(INGEST, {"alerts": [{"summary": "x", "service": s} for s in batch]})
            for batch in batches
        )
    )
    services = {s for batch in batches for s in batch}
    listed = await client.data("{ services { id name } }")
    service_ids = [s["id"] for s in listed["services"] if s["name"] in services]
    seen: list[str] = []
    after = None
    while True:
        data = await client.data(
            LIST, {"first": 7, "after": after, "filter": {"serviceIds": service_ids}}
        )
        seen += [edge["node"]["id"] for edge in data["incidents"]["edges"]]
        if not data["incidents"]["pageInfo"]["hasNextPage"]:
            break
        after = data["incidents"]["pageInfo"]["endCursor"]
    assert len(seen) == 40
    assert len(set(seen)) == 40
