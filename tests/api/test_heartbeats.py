"""Heartbeats and auto-resolve, end to end: the server's own periodic worker acts.

"Time passing" is simulated by moving the stored due time or last-seen time into
the past, which is all the worker looks at.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.api.queries import CREATE_SERVICE, INCIDENT, INGEST
from tests.support import GraphQLClient, LiveServer, eventually, unique

CREATE_HEARTBEAT = """mutation($input: HeartbeatInput!) {
  createHeartbeat(input: $input) { pingPath heartbeat { id status intervalSeconds } } }"""
UPDATE_SERVICE = """mutation($id: ID!, $input: UpdateServiceInput!) {
  updateService(id: $id, input: $input) { id autoResolve alertTimeoutSeconds } }"""
OPEN = """query($f: IncidentFilter) { incidents(first: 5, filter: $f) {
  edges { node { id status title } } } }"""


async def incidents_of(client: GraphQLClient, service_id: str) -> list[dict[str, Any]]:
    data = await client.data(OPEN, {"f": {"serviceIds": [service_id]}})
    return [edge["node"] for edge in data["incidents"]["edges"]]


async def test_missed_heartbeat_pages_and_next_ping_resolves(
    server: LiveServer, client: GraphQLClient
) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("cron")}}))[
        "createService"
    ]
    created = (
        await client.data(
            CREATE_HEARTBEAT,
            {
                "input": {
                    "name": "nightly backup",
                    "serviceId": service["id"],
                    "intervalSeconds": 60,
                }
            },
        )
    )["createHeartbeat"]
    assert created["heartbeat"]["status"] == "WAITING"
    async with httpx.AsyncClient(base_url=server.url) as http:
        assert (await http.get(created["pingPath"])).status_code == 200
        unknown = await http.post("/heartbeat/vhb_unknown")
        assert unknown.status_code == 404 and unknown.json()["code"] == "NOT_FOUND"
    assert await incidents_of(client, service["id"]) == []

    heartbeats = server.app.state.runtime.db["heartbeats"]
    await heartbeats.update_one({"_id": created["heartbeat"]["id"]}, {"$set": {"due_ms": 0}})
    [incident] = await eventually(lambda: incidents_of(client, service["id"]))
    assert incident["status"] == "TRIGGERED"
    assert "nightly backup" in incident["title"]

    async def down() -> bool:
        # The alert is ingested before the heartbeat is marked (domain/heartbeat/service.py).
        listed = await client.data("{ heartbeats { id status } }")
        return {"id": created["heartbeat"]["id"], "status": "DOWN"} in listed["heartbeats"]

    assert await eventually(down)

    async with httpx.AsyncClient(base_url=server.url) as http:
        assert (await http.post(created["pingPath"])).status_code == 200

    async def resolved() -> bool:
        [current] = await incidents_of(client, service["id"])
        return bool(current["status"] == "RESOLVED")

    await eventually(resolved)


async def test_heartbeat_that_keeps_pinging_pages_nobody(
    server: LiveServer, client: GraphQLClient
) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("alive")}}))[
        "createService"
    ]
    created = (
        await client.data(
            CREATE_HEARTBEAT,
            {"input": {"name": "alive", "serviceId": service["id"], "intervalSeconds": 60}},
        )
    )["createHeartbeat"]
    async with httpx.AsyncClient(base_url=server.url) as http:
        await http.get(created["pingPath"])
    await asyncio.sleep(1.5)  # more than one round of the worker
    assert await incidents_of(client, service["id"]) == []


async def test_heartbeat_can_be_updated_and_deleted(client: GraphQLClient) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("hbu")}}))[
        "createService"
    ]
    created = (
        await client.data(
            CREATE_HEARTBEAT,
            {"input": {"name": "old", "serviceId": service["id"], "intervalSeconds": 60}},
        )
    )["createHeartbeat"]
    hid = created["heartbeat"]["id"]
    updated = (
        await client.data(
            """mutation($id: ID!, $input: HeartbeatInput!) {
                 updateHeartbeat(id: $id, input: $input) { name intervalSeconds } }""",
            {
                "id": hid,
                "input": {"name": "new", "serviceId": service["id"], "intervalSeconds": 120},
            },
        )
    )["updateHeartbeat"]
    assert updated == {"name": "new", "intervalSeconds": 120}
    await client.data("mutation($id: ID!) { deleteHeartbeat(id: $id) }", {"id": hid})
    listed = await client.data("{ heartbeats { id } }")
    assert hid not in [h["id"] for h in listed["heartbeats"]]


async def test_heartbeat_interval_is_validated(client: GraphQLClient) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("hb")}}))[
        "createService"
    ]
    code = await client.error_code(
        CREATE_HEARTBEAT, {"input": {"name": "x", "serviceId": service["id"], "intervalSeconds": 1}}
    )
    assert code == "VALIDATION"


async def test_alert_not_seen_again_within_timeout_resolves(
    server: LiveServer, client: GraphQLClient
) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("timeout")}}))[
        "createService"
    ]
    updated = (
        await client.data(
            UPDATE_SERVICE, {"id": service["id"], "input": {"alertTimeoutSeconds": 300}}
        )
    )["updateService"]
    assert updated == {"id": service["id"], "autoResolve": True, "alertTimeoutSeconds": 300}
    result = (
        await client.data(
            INGEST, {"alerts": [{"summary": "queue stuck", "service": service["name"]}]}
        )
    )["ingestAlerts"][0]
    alerts = server.app.state.runtime.db["alerts"]
    await alerts.update_one({"_id": result["alert"]["id"]}, {"$set": {"last_seen_ms": 0}})

    async def incident_resolved() -> bool:
        incident = (await client.data(INCIDENT, {"id": result["incident"]["id"]}))["incident"]
        return bool(incident["status"] == "RESOLVED")

    await eventually(incident_resolved)
    incident = (await client.data(INCIDENT, {"id": result["incident"]["id"]}))["incident"]
    assert incident["resolvedBy"] == "system:alert-timeout"


async def test_auto_resolve_off_keeps_incident_open(client: GraphQLClient) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("manual")}}))[
        "createService"
    ]
    await client.data(UPDATE_SERVICE, {"id": service["id"], "input": {"autoResolve": False}})
    alert = {"summary": "x", "service": service["name"], "dedupKey": "k"}
    opened = (await client.data(INGEST, {"alerts": [alert]}))["ingestAlerts"][0]
    closed = (await client.data(INGEST, {"alerts": [{**alert, "status": "RESOLVED"}]}))[
        "ingestAlerts"
    ][0]
    assert closed["outcome"] == "RESOLVED"
    assert closed["incident"]["status"] == "TRIGGERED"
    assert closed["incident"]["id"] == opened["incident"]["id"]
