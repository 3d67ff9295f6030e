"""Every operation checks its caller: tokens, roles and integration keys."""

from __future__ import annotations

import json

import httpx
import pytest
import websockets

from tests.api.helpers import open_incident, token_for_role
from tests.api.queries import ACKNOWLEDGE, ADD_NOTE, CREATE_KEY, CREATE_SERVICE, INGEST
from tests.support import GRAPHQL_TRANSPORT_WS, GraphQLClient, LiveServer, unique


async def test_no_token_is_unauthenticated(client: GraphQLClient) -> None:
    body = await client.execute("{ me { name } }", token="")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["data"] is None


async def test_unknown_token_is_unauthenticated(client: GraphQLClient) -> None:
    assert (
        await client.error_code("{ services { id } }", token="vgl_not-a-real-token")
        == "UNAUTHENTICATED"
    )


async def test_malformed_header_is_unauthenticated(client: GraphQLClient) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{client.server.url}/graphql",
            json={"query": "{ me { name } }"},
            headers={"Authorization": "Basic abc"},
        )
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_integration_key_can_only_ingest(client: GraphQLClient) -> None:
    key = (await client.data(CREATE_KEY, {"input": {"name": "only-ingest"}}))[
        "createIntegrationKey"
    ]["secret"]
    [result] = (
        await client.data(
            INGEST, {"alerts": [{"summary": "ok", "service": unique("keyed")}]}, token=key
        )
    )["ingestAlerts"]
    incident_id = result["incident"]["id"]
    for query, variables in [
        ("{ services { id } }", {}),
        ("{ me { name } }", {}),
        (ACKNOWLEDGE, {"id": incident_id}),
        (CREATE_SERVICE, {"input": {"name": unique("nope")}}),
    ]:
        assert await client.error_code(query, variables, token=key) == "FORBIDDEN", query


async def test_viewer_reads_but_cannot_respond_or_configure(client: GraphQLClient) -> None:
    viewer = await token_for_role(client, "VIEWER")
    incident = await open_incident(client)
    assert (await client.data("{ me { role } }", token=viewer))["me"]["role"] == "VIEWER"
    assert await client.error_code(ACKNOWLEDGE, {"id": incident["id"]}, token=viewer) == "FORBIDDEN"
    assert (
        await client.error_code(ADD_NOTE, {"id": incident["id"], "body": "x"}, token=viewer)
        == "FORBIDDEN"
    )
    assert (
        await client.error_code(
            INGEST, {"alerts": [{"summary": "x", "service": unique("v")}]}, token=viewer
        )
        == "FORBIDDEN"
    )


async def test_responder_responds_but_cannot_configure(client: GraphQLClient) -> None:
    responder = await token_for_role(client, "RESPONDER")
    incident = await open_incident(client)
    acked = await client.data(ACKNOWLEDGE, {"id": incident["id"]}, token=responder)
    assert acked["acknowledgeIncident"]["acknowledgedBy"].startswith("user:responder-")
    assert (
        await client.error_code(CREATE_SERVICE, {"input": {"name": unique("r")}}, token=responder)
        == "FORBIDDEN"
    )
    assert (
        await client.error_code(CREATE_KEY, {"input": {"name": "k"}}, token=responder)
        == "FORBIDDEN"
    )


async def test_secrets_are_stored_hashed(client: GraphQLClient, server: LiveServer) -> None:
    key = (await client.data(CREATE_KEY, {"input": {"name": "hashed"}}))["createIntegrationKey"]
    token = await token_for_role(client, "VIEWER")
    stored = await server.stored("integration_keys", {"_id": key["id"]})
    stored += await server.stored("api_tokens", {})
    dump = json.dumps(stored, default=str)
    assert len(stored) > 1
    assert key["secret"] not in dump
    assert token not in dump


@pytest.mark.parametrize("payload", [{"authorization": ""}, {"authorization": "Bearer vgl_wrong"}])
async def test_websocket_without_valid_token_is_rejected(
    server: LiveServer, payload: dict[str, str]
) -> None:
    async with websockets.connect(server.ws_url, subprotocols=[GRAPHQL_TRANSPORT_WS]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_a_deleted_integration_key_is_refused_at_once(client: GraphQLClient) -> None:
    key = (await client.data(CREATE_KEY, {"input": {"name": "short-lived"}}))[
        "createIntegrationKey"
    ]
    alerts = {"alerts": [{"summary": "ok", "service": unique("keyed")}]}
    await client.data(INGEST, alerts, token=key["secret"])  # now remembered by the server
    await client.data("mutation($id: ID!) { deleteIntegrationKey(id: $id) }", {"id": key["id"]})
    assert await client.error_code(INGEST, alerts, token=key["secret"]) == "UNAUTHENTICATED"
