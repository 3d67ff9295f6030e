"""Every operation of the schema, called by every kind of caller, is allowed or denied as
tests/api/permission_matrix.py says (issue 7, scope point 1)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from graphql import FieldNode, OperationDefinitionNode, OperationType, parse, validate

from api.schema.schema import schema
from tests.api.helpers import open_incident, token_for_role
from tests.api.permission_matrix import (
    MUTATIONS,
    QUERIES,
    SUBSCRIPTIONS,
    Caller,
    Fixture,
    Operation,
)
from tests.api.queries import CREATE_KEY
from tests.support import GRAPHQL_TRANSPORT_WS, GraphQLClient, LiveServer, live_server, unique

TABLES: dict[OperationType, dict[str, Operation]] = {
    OperationType.QUERY: QUERIES,
    OperationType.MUTATION: MUTATIONS,
    OperationType.SUBSCRIPTION: SUBSCRIPTIONS,
}
DENIALS = {"FORBIDDEN", "UNAUTHENTICATED"}
SILENCE_S = 1.0
"""How long a subscription that is allowed may stay quiet (it waits for events)."""


def _schema_fields(kind: OperationType) -> set[str]:
    root = schema._schema.get_root_type(kind)
    return set(root.fields) if root else set()


CASES = [
    pytest.param(kind, name, id=f"{kind.value}.{name}")
    for kind, table in TABLES.items()
    for name in sorted(table)
]


@pytest.fixture(scope="module")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveServer]:
    """A server of its own: admins' calls change settings (correlation, silences) that the
    session's other tests rely on."""
    data_dir: Path = tmp_path_factory.mktemp("matrix")
    async with live_server(data_dir) as running:
        yield running


@pytest.fixture(scope="module")
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """One connection pool for the hundreds of calls."""
    async with httpx.AsyncClient(timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
async def credentials(server: LiveServer) -> dict[Caller, str]:
    """A bearer secret per caller; anonymous sends none."""
    client = GraphQLClient(server)
    key = (await client.data(CREATE_KEY, {"input": {"name": "matrix"}}))["createIntegrationKey"]
    return {
        Caller.ANONYMOUS: "",
        Caller.INTEGRATION_KEY: key["secret"],
        Caller.VIEWER: await token_for_role(client, "VIEWER"),
        Caller.RESPONDER: await token_for_role(client, "RESPONDER"),
        Caller.ADMIN: await token_for_role(client, "ADMIN"),
    }


@pytest.fixture(scope="module")
async def fixtures(server: LiveServer) -> dict[Fixture, str]:
    """The documents `Fixture` variables stand for, created once by the admin."""
    client = GraphQLClient(server)
    incident = await open_incident(client, unique("matrix"))
    found = await client.data("query($id: ID!) { incident(id: $id) { service { id } } }", incident)
    return {Fixture.INCIDENT: incident["id"], Fixture.SERVICE: found["incident"]["service"]["id"]}


def _resolved(operation: Operation, fixtures: dict[Fixture, str]) -> Operation:
    variables = {
        name: fixtures[value] if isinstance(value, Fixture) else value
        for name, value in operation.variables.items()
    }
    return Operation(operation.access, operation.document, variables)


@pytest.mark.parametrize("kind", list(TABLES))
def test_every_schema_field_has_an_entry(kind: OperationType) -> None:
    table = TABLES[kind]
    missing = sorted(_schema_fields(kind) - set(table))
    assert not missing, (
        f"{kind.value} fields without a permission matrix entry: {', '.join(missing)}. "
        "Add each to tests/api/permission_matrix.py with the least access that may call it "
        "and a minimal document (see README, 'Permission matrix')."
    )
    stale = sorted(set(table) - _schema_fields(kind))
    assert not stale, f"permission matrix entries for no {kind.value} field: {', '.join(stale)}"


@pytest.mark.parametrize(("kind", "name"), CASES)
def test_document_calls_the_field_it_is_filed_under(kind: OperationType, name: str) -> None:
    document = parse(TABLES[kind][name].document)
    assert not validate(schema._schema, document), validate(schema._schema, document)
    [operation] = document.definitions
    assert isinstance(operation, OperationDefinitionNode)
    assert operation.operation is kind
    assert [
        selection.name.value
        for selection in operation.selection_set.selections
        if isinstance(selection, FieldNode)
    ] == [name]


async def _http_codes(
    http: httpx.AsyncClient, server: LiveServer, operation: Operation, secret: str
) -> set[str]:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    response = await http.post(
        f"{server.url}/graphql",
        json={"query": operation.document, "variables": operation.variables},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    errors = response.json().get("errors") or []
    return {error.get("extensions", {}).get("code", "") for error in errors}


async def _ws_codes(server: LiveServer, operation: Operation, secret: str) -> set[str]:
    """The codes of the subscription's first message; none if it is data or nothing comes."""
    init: dict[str, Any] = {"type": "connection_init"}
    if secret:
        init["payload"] = {"authorization": f"Bearer {secret}"}
    async with websockets.connect(server.ws_url, subprotocols=[GRAPHQL_TRANSPORT_WS]) as ws:
        await ws.send(json.dumps(init))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        payload = {"query": operation.document, "variables": operation.variables}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        try:
            message = json.loads(await asyncio.wait_for(ws.recv(), SILENCE_S))
        except TimeoutError:
            return set()
    if message["type"] == "error":
        errors = message["payload"]
    else:
        errors = message.get("payload", {}).get("errors") or []
    return {error.get("extensions", {}).get("code", "") for error in errors}


def _verdict(caller: Caller, codes: set[str]) -> str:
    """'allowed', 'denied', or what went wrong instead."""
    if "GRAPHQL_VALIDATION" in codes:
        return f"invalid document {sorted(codes)}"
    denied = codes & DENIALS
    if not denied:
        return "allowed"
    expected = "UNAUTHENTICATED" if caller is Caller.ANONYMOUS else "FORBIDDEN"
    return "denied" if denied == {expected} else f"denied with {sorted(denied)}"


@pytest.mark.parametrize(("kind", "name"), CASES)
async def test_callers_are_allowed_or_denied_as_the_matrix_says(
    server: LiveServer,
    http: httpx.AsyncClient,
    credentials: dict[Caller, str],
    fixtures: dict[Fixture, str],
    kind: OperationType,
    name: str,
) -> None:
    operation = _resolved(TABLES[kind][name], fixtures)
    probe = _ws_codes if kind is OperationType.SUBSCRIPTION else partial(_http_codes, http)
    calls = [probe(server, operation, credentials[caller]) for caller in Caller]
    if kind is OperationType.MUTATION:
        # One caller after the other, so the admin's effects come last.
        outcomes = [await call for call in calls]
    else:
        outcomes = list(await asyncio.gather(*calls))
    observed = {
        caller: _verdict(caller, codes) for caller, codes in zip(Caller, outcomes, strict=True)
    }
    expected = {caller: "allowed" if operation.allows(caller) else "denied" for caller in Caller}
    wrong = {caller.value: seen for caller, seen in observed.items() if seen != expected[caller]}
    codes = {caller.value: sorted(codes) for caller, codes in zip(Caller, outcomes, strict=True)}
    assert not wrong, (
        f"{kind.value} {name} needs {operation.access.value}; but {wrong}; codes {codes}"
    )
