"""Live events over graphql-transport-ws on a real server."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from gql import Client, GraphQLRequest, gql
from gql.transport.websockets import WebsocketsTransport

from tests.api.helpers import open_incident
from tests.api.queries import ACKNOWLEDGE, ADD_NOTE, CREATE_SERVICE, INGEST, RESOLVE
from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer, subscribe, unique

EVENTS = """
subscription($filter: IncidentEventFilter) {
  incidentEvents(filter: $filter) {
    kind occurredAt incident { id status alertCount service { name } }
  }
}"""


async def service_id(client: GraphQLClient, name: str) -> str:
    created = await client.data(CREATE_SERVICE, {"input": {"name": name}})
    identifier: str = created["createService"]["id"]
    return identifier


async def test_subscriber_sees_incident_created_by_ingest_elsewhere(
    server: LiveServer, client: GraphQLClient
) -> None:
    name = unique("live")
    sid = await service_id(client, name)
    async with subscribe(server, EVENTS, {"filter": {"serviceIds": [sid]}}) as events:
        data = await client.data(INGEST, {"alerts": [{"summary": "down", "service": name}]})
        created = await events.next()
        event = created["data"]["incidentEvents"]
        assert event["kind"] == "CREATED"
        assert event["incident"]["id"] == data["ingestAlerts"][0]["incident"]["id"]
        assert event["incident"]["service"] == {"name": name}
        await client.data(INGEST, {"alerts": [{"summary": "still down", "service": name}]})
        added = (await events.next())["data"]["incidentEvents"]
        assert added["kind"] == "ALERT_ADDED"
        assert added["incident"]["alertCount"] == 2


async def test_lifecycle_events_arrive_in_order(server: LiveServer, client: GraphQLClient) -> None:
    name = unique("order")
    sid = await service_id(client, name)
    async with subscribe(server, EVENTS, {"filter": {"serviceIds": [sid]}}) as events:
        incident = await open_incident(client, name)
        await client.data(ADD_NOTE, {"id": incident["id"], "body": "looking"})
        await client.data(ACKNOWLEDGE, {"id": incident["id"]})
        await client.data(RESOLVE, {"id": incident["id"]})
        kinds = [(await events.next())["data"]["incidentEvents"]["kind"] for _ in range(4)]
    assert kinds == ["CREATED", "NOTE_ADDED", "ACKNOWLEDGED", "RESOLVED"]


async def test_filter_keeps_other_services_out(server: LiveServer, client: GraphQLClient) -> None:
    mine, other = unique("mine"), unique("other")
    sid = await service_id(client, mine)
    async with subscribe(
        server, EVENTS, {"filter": {"serviceIds": [sid], "kinds": ["CREATED"]}}
    ) as events:
        await open_incident(client, other)
        assert await events.nothing_within(0.5)
        await open_incident(client, mine)
        event = (await events.next())["data"]["incidentEvents"]
        assert event["incident"]["service"]["name"] == mine


async def test_incident_subscription_yields_it_after_each_change(
    server: LiveServer, client: GraphQLClient
) -> None:
    incident = await open_incident(client)
    query = "subscription($id: ID!) { incident(id: $id) { id status acknowledgedBy } }"
    async with subscribe(server, query, {"id": incident["id"]}) as updates:
        await open_incident(client)  # another incident: must not show up
        await client.data(ACKNOWLEDGE, {"id": incident["id"]})
        update = (await updates.next())["data"]["incident"]
    assert update == {
        "id": incident["id"],
        "status": "ACKNOWLEDGED",
        "acknowledgedBy": "user:admin",
    }


async def test_third_party_gql_client_over_websockets(
    server: LiveServer, client: GraphQLClient
) -> None:
    name = unique("gql")
    sid = await service_id(client, name)
    transport = WebsocketsTransport(
        url=server.ws_url,
        init_payload={"authorization": f"Bearer {ADMIN_TOKEN}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    received: list[dict[str, Any]] = []
    async with Client(transport=transport) as session:
        me = await session.execute(gql("{ me { name role } }"))
        assert me == {"me": {"name": "admin", "role": "ADMIN"}}
        subscription = session.subscribe(
            GraphQLRequest(EVENTS, variable_values={"filter": {"serviceIds": [sid]}})
        )

        async def first_event() -> None:
            async for result in subscription:
                received.append(result)
                break
            await subscription.aclose()

        waiter = asyncio.create_task(first_event())
        await asyncio.sleep(0.3)
        await open_incident(client, name)
        await asyncio.wait_for(waiter, 10)
    assert received[0]["incidentEvents"]["kind"] == "CREATED"
    assert received[0]["incidentEvents"]["incident"]["service"]["name"] == name


async def test_subscribing_to_a_missing_incident_is_not_found(server: LiveServer) -> None:
    query = "subscription($id: ID!) { incident(id: $id) { id } }"
    async with subscribe(server, query, {"id": "0" * 24}) as updates:
        message = json.loads(await updates.ws.recv())
    assert message["type"] in {"next", "error"}
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    assert errors[0]["extensions"]["code"] == "NOT_FOUND"
