"""API hardening through real HTTP: production mode, cost and size limits, persisted
operations, request ids, and secrets kept out of the logs."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from api.app import create_app
from tests.api.webhooks.helpers import bound_key, payload, post
from tests.support import (
    ADMIN_TOKEN,
    GRAPHQL_TRANSPORT_WS,
    GraphQLClient,
    LiveServer,
    live_server,
)
from vigil.logs import configure_logging
from vigil.settings import ConfigError, Environment, LogFormat, Settings

OPERATIONS = Path(__file__).resolve().parents[2] / "frontend-schema" / "operations"
COSTLY = """{ incidents(first: 100) { edges { node { id
    alerts(first: 100) { edges { node { id summary } } } } } } }"""
ME = "query Me { me { name } }"


async def graphql(
    server: LiveServer,
    body: dict[str, Any],
    *,
    token: str | None = ADMIN_TOKEN,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    sent = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(f"{server.url}/graphql", json=body, headers=sent | (headers or {}))


def first_error(response: httpx.Response) -> dict[str, Any]:
    errors: list[dict[str, Any]] = response.json()["errors"]
    return errors[0]


@pytest.fixture(scope="module")
async def production(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("production")
    settings = Settings(
        data_dir=data_dir,
        admin_token=ADMIN_TOKEN,
        environment=Environment.PRODUCTION,
        max_query_cost=1000,
        max_request_bytes=64 * 1024,
    )
    async with live_server(data_dir, settings=settings) as running:
        yield running


# --- VIGIL_ENV=production ---------------------------------------------------------------------


async def test_production_refuses_introspection_but_answers_typename(
    production: LiveServer,
) -> None:
    for query in ("{ __schema { types { name } } }", '{ __type(name: "Incident") { name } }'):
        error = first_error(await graphql(production, {"query": query}))
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION"
        assert "introspection" in error["message"].lower()
    answer = await graphql(production, {"query": "{ __typename me { name } }"})
    assert answer.json() == {"data": {"__typename": "Query", "me": {"name": "admin"}}}


async def test_development_allows_introspection(client: GraphQLClient) -> None:
    data = await client.data("{ __schema { queryType { name } } }")
    assert data["__schema"]["queryType"]["name"] == "Query"


async def test_production_serves_no_graphiql(production: LiveServer, server: LiveServer) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        development = await http.get(f"{server.url}/graphql", headers={"Accept": "text/html"})
        prod = await http.get(f"{production.url}/graphql", headers={"Accept": "text/html"})
    assert development.status_code == 200
    assert "graphiql" in development.text.lower()
    assert prod.status_code != 200
    assert "graphiql" not in prod.text.lower()


# --- cost ---------------------------------------------------------------------------------------


async def test_costly_query_is_refused_with_code_and_suggestion(production: LiveServer) -> None:
    response = await graphql(production, {"query": COSTLY})
    assert response.status_code == 200
    error = first_error(response)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "limit is 1000" in error["message"]
    assert "'first'" in error["extensions"]["suggestion"]
    assert response.json()["data"] is None


async def test_cost_counts_page_sizes_sent_in_variables(production: LiveServer) -> None:
    query = """query Pages($n: Int!) { incidents(first: $n) { edges { node { id
        alerts(first: $n) { edges { node { id } } } } } } }"""
    small = await graphql(production, {"query": query, "variables": {"n": 5}})
    assert "errors" not in small.json(), small.json()
    large = await graphql(production, {"query": query, "variables": {"n": 50}})
    assert first_error(large)["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_cost_counts_batch_arguments(production: LiveServer) -> None:
    mutation = """mutation Ingest($alerts: [AlertInput!]!) { ingestAlerts(alerts: $alerts) {
        outcome alert { id dedupKey } incident { id number } } }"""
    alerts = [{"summary": "disk full", "service": "cost-batch"}] * 300
    response = await graphql(production, {"query": mutation, "variables": {"alerts": alerts}})
    error = first_error(response)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    # Refused before running: nothing was stored.
    assert await production.stored("alerts", {"service": "cost-batch"}) == []


# --- request size ------------------------------------------------------------------------------


async def test_oversized_body_is_refused_with_413(production: LiveServer) -> None:
    padding = "x" * (70 * 1024)
    response = await graphql(production, {"query": ME, "variables": {"pad": padding}})
    assert response.status_code == 413
    error = first_error(response)
    assert error["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert str(64 * 1024) in error["message"]
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]


async def test_oversized_chunked_body_is_refused_too(production: LiveServer) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ me { name } }", "variables": {"pad": "'
        for _ in range(80):
            yield b"x" * 1024
        yield b'"}}'

    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"{production.url}/graphql",
            content=chunks(),
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"},
        )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert first_error(response)["extensions"]["code"] == "REQUEST_TOO_LARGE"


async def test_body_under_the_limit_runs(production: LiveServer) -> None:
    response = await graphql(production, {"query": ME, "variables": {"pad": "x" * 1000}})
    assert response.status_code == 200
    assert response.json()["data"] == {"me": {"name": "admin"}}


# --- request ids ------------------------------------------------------------------------------


async def test_request_id_is_echoed_and_put_in_graphql_errors(production: LiveServer) -> None:
    response = await graphql(
        production, {"query": "{ me { nope } }"}, headers={"X-Request-ID": "trace-42.a:b"}
    )
    assert response.headers["x-request-id"] == "trace-42.a:b"
    assert first_error(response)["extensions"]["requestId"] == "trace-42.a:b"


async def test_insane_request_id_is_replaced(production: LiveServer) -> None:
    for bad in ("a" * 129, "has space", 'quote"d'):
        response = await graphql(production, {"query": ME}, headers={"X-Request-ID": bad})
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"]), bad


async def test_each_request_gets_its_own_id(production: LiveServer) -> None:
    ids = {(await graphql(production, {"query": ME})).headers["x-request-id"] for _ in range(3)}
    assert len(ids) == 3


async def test_unexpected_and_auth_errors_carry_the_request_id(production: LiveServer) -> None:
    response = await graphql(production, {"query": ME}, token="vgl_not-a-real-token-000000")
    error = first_error(response)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]


async def test_webhook_error_body_carries_the_request_id(production: LiveServer) -> None:
    response = await post(
        production,
        "/webhooks/generic",
        payload("generic_single"),
        token="vik_not-a-real-key-0000000000",
        headers={"X-Request-ID": "hook-7"},
    )
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHENTICATED"
    assert response.json()["requestId"] == "hook-7"
    assert response.headers["x-request-id"] == "hook-7"


# --- persisted operations -------------------------------------------------------------------


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
async def allow_listed(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("persisted")
    operations = data_dir / "operations.json"
    operations.write_text(json.dumps({sha256(ME): ME}))
    settings = Settings(data_dir=data_dir, admin_token=ADMIN_TOKEN, persisted_operations=operations)
    async with live_server(data_dir, settings=settings) as running:
        yield running


async def test_listed_operation_runs_whatever_its_layout(allow_listed: LiveServer) -> None:
    for text in (ME, "# the same\nquery Me {\n  me {\n    name\n  }\n}\n"):
        response = await graphql(allow_listed, {"query": text})
        assert response.json() == {"data": {"me": {"name": "admin"}}}


async def test_unlisted_operation_is_refused(allow_listed: LiveServer) -> None:
    response = await graphql(allow_listed, {"query": "query Me { me { name id } }"})
    error = first_error(response)
    assert error["extensions"]["code"] == "OPERATION_NOT_ALLOWED"
    assert "VIGIL_PERSISTED_OPERATIONS" in error["extensions"]["suggestion"]
    assert response.json()["data"] is None


async def test_operation_sent_by_hash_runs(allow_listed: LiveServer) -> None:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha256(ME)}}
    response = await graphql(allow_listed, {"extensions": extensions})
    assert response.json() == {"data": {"me": {"name": "admin"}}}


async def test_unknown_hash_is_persisted_query_not_found(allow_listed: LiveServer) -> None:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    response = await graphql(allow_listed, {"extensions": extensions})
    error = first_error(response)
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert error["message"].startswith("PersistedQueryNotFound")
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]


async def test_allow_list_applies_to_websocket_operations(allow_listed: LiveServer) -> None:
    async with websockets.connect(allow_listed.ws_url, subprotocols=[GRAPHQL_TRANSPORT_WS]) as ws:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {ADMIN_TOKEN}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        query = "subscription { incidentEvents { kind } }"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"


async def test_directory_of_graphql_files_is_an_allow_list(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, admin_token=ADMIN_TOKEN, persisted_operations=OPERATIONS)
    ingest = (OPERATIONS / "ingest.graphql").read_text()
    alerts = [{"summary": "from the shipped operation", "service": "persisted-dir"}]
    async with live_server(tmp_path, settings=settings) as running:
        shipped = await graphql(running, {"query": ingest, "variables": {"alerts": alerts}})
        other = await graphql(running, {"query": ME})
    assert shipped.json()["data"]["ingestAlerts"][0]["outcome"] == "CREATED"
    assert first_error(other)["extensions"]["code"] == "OPERATION_NOT_ALLOWED"


# --- secrets never logged -------------------------------------------------------------------


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """Everything the process logs, as `vigil serve` formats it (JSON, at DEBUG)."""
    names = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "httpx", "httpcore")
    saved = [
        (logging.getLogger(n), logging.getLogger(n).handlers[:], logging.getLogger(n).level,
         logging.getLogger(n).propagate)
        for n in names
    ]  # fmt: skip
    stream = io.StringIO()
    configure_logging(Settings(log_format=LogFormat.JSON, log_level="DEBUG"), stream)
    try:
        yield stream
    finally:
        for logger, handlers, level, propagate in saved:
            logger.handlers, logger.level, logger.propagate = handlers, level, propagate


async def test_tokens_and_keys_never_reach_the_logs(
    server: LiveServer, client: GraphQLClient, captured_logs: io.StringIO
) -> None:
    key = await bound_key(client, "logged")
    wrong_token = "vgl_wrong-token-that-must-not-be-logged"
    await graphql(server, {"query": ME})
    await graphql(server, {"query": "{ me { nope } }"})
    await graphql(server, {"query": ME}, token=wrong_token)
    await post(server, f"/webhooks/generic/{key.secret}", payload("generic_single"))
    await post(server, "/webhooks/generic", payload("generic_single"), token=key.secret)
    await post(server, f"/webhooks/generic/{key.secret}x", payload("generic_single"))
    async with websockets.connect(server.ws_url, subprotocols=[GRAPHQL_TRANSPORT_WS]) as ws:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {ADMIN_TOKEN}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
    async with websockets.connect(server.ws_url, subprotocols=[GRAPHQL_TRANSPORT_WS]) as ws:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {wrong_token}"}}
        await ws.send(json.dumps(init))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 10)
    await asyncio.sleep(0.2)

    logged = captured_logs.getvalue()
    lines = [json.loads(line) for line in logged.splitlines()]
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    assert len(access) >= 6, logged[-2000:]
    assert all(re.fullmatch(r"[0-9a-f]{32}", line["requestId"]) for line in access)
    assert any(line["path"] == "/webhooks/generic/<redacted>" for line in access)
    for secret in (ADMIN_TOKEN, wrong_token, key.secret, key.secret.removeprefix("vik_")):
        assert secret not in logged


@pytest.mark.parametrize(
    ("content", "in_message"),
    [
        ("not json", "not a readable JSON file"),
        ('["query { me { name } }"]', "JSON object of sha256 -> document"),
        ('{"abc": "query { me { name "}', "is not a GraphQL document"),
    ],
)
def test_unusable_allow_list_stops_start_up(tmp_path: Path, content: str, in_message: str) -> None:
    operations = tmp_path / "operations.json"
    operations.write_text(content)
    with pytest.raises(ConfigError) as caught:
        create_app(Settings(data_dir=tmp_path, persisted_operations=operations))
    assert caught.value.field == "VIGIL_PERSISTED_OPERATIONS"
    assert in_message in caught.value.message


def test_empty_directory_is_not_an_allow_list(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        create_app(Settings(data_dir=tmp_path, persisted_operations=tmp_path))
    assert "no .graphql files" in caught.value.message
