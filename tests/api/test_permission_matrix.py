"""Every operation of the schema, called by every kind of caller, is allowed or denied as
tests/api/permission_matrix.py says (issue 7, scope point 1): global roles for what no team
owns, the role in team T for what T owns."""

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
from tests.api.helpers import new_team, team_member, token_for_role, user_for_role
from tests.api.permission_matrix import (
    MUTATIONS,
    QUERIES,
    SUBSCRIPTIONS,
    Caller,
    Fixture,
    Operation,
)
from tests.api.queries import CREATE_KEY, CREATE_SERVICE, INGEST
from tests.support import GRAPHQL_TRANSPORT_WS, GraphQLClient, LiveServer, live_server, unique

TABLES: dict[OperationType, dict[str, Operation]] = {
    OperationType.QUERY: QUERIES,
    OperationType.MUTATION: MUTATIONS,
    OperationType.SUBSCRIPTION: SUBSCRIPTIONS,
}
DENIALS = {"FORBIDDEN", "UNAUTHENTICATED"}
FIRST_ALERT = """query($id: ID!) {
  incident(id: $id) { alerts(first: 1) { edges { node { id } } } } }"""
CREATE_ACTION_ITEM = """mutation($id: ID!, $user: ID!) {
  createActionItem(postmortemId: $id, input: {ownerId: $user, title: "matrix"}) { id } }"""
CREATE_SCHEDULE = """mutation($input: CreateScheduleInput!) {
  createSchedule(input: $input) { id } }"""
CREATE_POLICY = """mutation($input: EscalationPolicyInput!) {
  createEscalationPolicy(input: $input) { id } }"""
CREATE_HEARTBEAT = """mutation($input: HeartbeatInput!) {
  createHeartbeat(input: $input) { heartbeat { id } } }"""
CREATE_WINDOW = """mutation($input: MaintenanceWindowInput!) {
  createMaintenanceWindow(input: $input) { id } }"""
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
async def team(server: LiveServer) -> str:
    """Team T, which owns every fixture."""
    return await new_team(GraphQLClient(server), "matrix")


@pytest.fixture(scope="module")
async def credentials(server: LiveServer, team: str) -> dict[Caller, str]:
    """A bearer secret per caller; anonymous sends none."""
    client = GraphQLClient(server)
    key = (await client.data(CREATE_KEY, {"input": {"name": "matrix"}}))["createIntegrationKey"]
    other = await new_team(client, "other")
    return {
        Caller.ANONYMOUS: "",
        Caller.INTEGRATION_KEY: key["secret"],
        Caller.VIEWER: await token_for_role(client, "VIEWER"),
        Caller.RESPONDER: await token_for_role(client, "RESPONDER"),
        Caller.ADMIN: await token_for_role(client, "ADMIN"),
        Caller.TEAM_VIEWER: (await team_member(client, team, "VIEWER")).token,
        Caller.TEAM_RESPONDER: (await team_member(client, team, "RESPONDER")).token,
        Caller.TEAM_MANAGER: (await team_member(client, team, "MANAGER")).token,
        Caller.OTHER_TEAM_MANAGER: (await team_member(client, other, "MANAGER")).token,
    }


class Scene:
    """Documents owned by team T, made by an admin the first time a test names them."""

    def __init__(self, admin: GraphQLClient, given: dict[Fixture, str]) -> None:
        self._admin = admin
        self._made = dict(given)

    async def fresh(self) -> Scene:
        """A scene of new documents, in the same team and naming the same user."""
        kept = {f: await self.get(f) for f in (Fixture.TEAM, Fixture.USER)}
        return Scene(self._admin, kept)

    async def get(self, fixture: Fixture) -> str:
        if fixture not in self._made:
            self._made[fixture] = await self._make(fixture)
        return self._made[fixture]

    async def _data(self, document: str, **variables: Any) -> dict[str, Any]:
        return await self._admin.data(document, variables)

    async def _incident(self) -> str:
        """A triggered incident of a new service of T."""
        service = (
            await self._data(
                CREATE_SERVICE,
                input={"name": unique("matrix"), "team": await self.get(Fixture.TEAM)},
            )
        )["createService"]
        alert = {"summary": "matrix", "service": service["name"], "dedupKey": unique("matrix")}
        ingested = await self._data(INGEST, alerts=[alert])
        incident_id: str = ingested["ingestAlerts"][0]["incident"]["id"]
        return incident_id

    async def _make(self, fixture: Fixture) -> str:
        team = await self.get(Fixture.TEAM)
        match fixture:
            case Fixture.SERVICE:
                created = await self._data(
                    CREATE_SERVICE, input={"name": unique("matrix"), "team": team}
                )
                return str(created["createService"]["id"])
            case Fixture.INCIDENT | Fixture.SECOND_INCIDENT:
                return await self._incident()
            case Fixture.ALERT:
                found = await self._data(
                    FIRST_ALERT,
                    id=await self.get(Fixture.INCIDENT),
                )
                return str(found["incident"]["alerts"]["edges"][0]["node"]["id"])
            case Fixture.TIMELINE_ENTRY:
                note = await self._data(
                    'mutation($id: ID!) { addIncidentNote(id: $id, body: "matrix") { id } }',
                    id=await self.get(Fixture.INCIDENT),
                )
                return str(note["addIncidentNote"]["id"])
            case Fixture.POSTMORTEM:
                # Of an incident of its own: a postmortem needs it resolved.
                incident = await self._incident()
                await self._data(
                    "mutation($id: ID!) { resolveIncident(id: $id) { id } }", id=incident
                )
                written = await self._data(
                    "mutation($id: ID!) { createPostmortem(incidentId: $id) { id } }", id=incident
                )
                return str(written["createPostmortem"]["id"])
            case Fixture.ACTION_ITEM:
                item = await self._data(
                    CREATE_ACTION_ITEM,
                    id=await self.get(Fixture.POSTMORTEM),
                    user=await self.get(Fixture.USER),
                )
                return str(item["createActionItem"]["id"])
            case Fixture.SCHEDULE:
                rotation = {
                    "participants": [await self.get(Fixture.USER)],
                    "shiftLength": {"count": 1},
                    "startsOn": "2026-11-01",
                    "handoff": "09:00",
                    "timeZone": "UTC",
                }
                layer = {"name": "matrix", "rotation": rotation}
                schedule = await self._data(
                    CREATE_SCHEDULE,
                    input={"name": unique("matrix"), "team": team, "layers": [layer]},
                )
                return str(schedule["createSchedule"]["id"])
            case Fixture.POLICY:
                target = {"kind": "USER", "id": await self.get(Fixture.USER)}
                step = {"escalateAfterMinutes": 30.0, "targets": [target]}
                policy = await self._data(
                    CREATE_POLICY,
                    input={"name": unique("matrix"), "team": team, "steps": [step]},
                )
                return str(policy["createEscalationPolicy"]["id"])
            case Fixture.INTEGRATION_KEY:
                key = await self._data(
                    CREATE_KEY,
                    input={"name": "matrix", "serviceId": await self.get(Fixture.SERVICE)},
                )
                return str(key["createIntegrationKey"]["id"])
            case Fixture.HEARTBEAT:
                heartbeat = await self._data(
                    CREATE_HEARTBEAT,
                    input={
                        "name": "matrix",
                        "serviceId": await self.get(Fixture.SERVICE),
                        "intervalSeconds": 3600,
                    },
                )
                return str(heartbeat["createHeartbeat"]["heartbeat"]["id"])
            case Fixture.MAINTENANCE_WINDOW:
                window = await self._data(
                    CREATE_WINDOW,
                    input={
                        "name": "matrix",
                        "serviceIds": [await self.get(Fixture.SERVICE)],
                        "startsAt": "2030-01-01T00:00:00Z",
                        "endsAt": "2030-01-02T00:00:00Z",
                    },
                )
                return str(window["createMaintenanceWindow"]["id"])
        raise AssertionError(f"no way to make {fixture}")


@pytest.fixture(scope="module")
async def scene(server: LiveServer, team: str) -> Scene:
    """The documents shared by the operations that leave them usable."""
    client = GraphQLClient(server)
    bystander = await user_for_role(client, "VIEWER")
    return Scene(client, {Fixture.TEAM: team, Fixture.USER: bystander.id})


async def _resolved(operation: Operation, shared: Scene) -> Operation:
    """`operation` with its fixtures filled in: fresh ones when it destroys or changes them."""
    if operation.fresh:
        shared = await shared.fresh()
    variables = {
        name: await shared.get(value) if isinstance(value, Fixture) else value
        for name, value in operation.variables.items()
    }
    return Operation(operation.access, operation.document, variables, operation.scope)


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
    scene: Scene,
    kind: OperationType,
    name: str,
) -> None:
    operation = await _resolved(TABLES[kind][name], scene)
    probe = _ws_codes if kind is OperationType.SUBSCRIPTION else partial(_http_codes, http)
    # Callers who should be denied go first, while what the operation destroys still exists
    # (an allowed caller's delete would turn their FORBIDDEN into NOT_FOUND); the admin last.
    callers = sorted(Caller, key=lambda c: (operation.allows(c), c is Caller.ADMIN))
    calls = [probe(server, operation, credentials[caller]) for caller in callers]
    if kind is OperationType.MUTATION:
        outcomes = [await call for call in calls]
    else:
        outcomes = list(await asyncio.gather(*calls))
    observed = {
        caller: _verdict(caller, codes) for caller, codes in zip(callers, outcomes, strict=True)
    }
    expected = {caller: "allowed" if operation.allows(caller) else "denied" for caller in Caller}
    wrong = {caller.value: seen for caller, seen in observed.items() if seen != expected[caller]}
    codes = {caller.value: sorted(codes) for caller, codes in zip(callers, outcomes, strict=True)}
    assert not wrong, (
        f"{kind.value} {name} needs {operation.access.value} ({operation.scope.value}); "
        f"but {wrong}; codes {codes}"
    )
