"""Helpers shared by the tests: a live server, a GraphQL client, unique names."""

from __future__ import annotations

import asyncio
import io
import json
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import httpx
import pytest
import uvicorn
import websockets
from pymongo.monitoring import (
    CommandFailedEvent,
    CommandListener,
    CommandStartedEvent,
    CommandSucceededEvent,
)
from starlette.applications import Starlette
from websockets.typing import Subprotocol

from api.app import create_app
from api.request_scope import current_request_id
from domain.alert.model import Alert, AlertStatus, Severity
from domain.ids import new_id
from domain.incident.model import Incident, IncidentStatus
from domain.secrets import hash_secret
from domain.store.database import Database, connect
from domain.store.embedded import EmbeddedStore, free_loopback_port
from vigil.settings import CorrelationEngineKind, Settings

T = TypeVar("T")

ADMIN_TOKEN = "vgl_test-admin-token-0123456789"
GRAPHQL_TRANSPORT_WS = Subprotocol("graphql-transport-ws")


def unique(prefix: str) -> str:
    """A service or user name no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def require_program(name: str) -> str:
    """The path of a system program, or skip (fail under VIGIL_TEST_REQUIRE_ALL=1)."""
    path = shutil.which(name)
    if path is None:
        skip_for_machine(f"{name} is not installed (apt-get install {name})")
    return path


def skip_for_machine(reason: str) -> NoReturn:
    """Skip for something this machine lacks; fail instead under VIGIL_TEST_REQUIRE_ALL=1,
    where CI has installed everything."""
    if os.environ.get("VIGIL_TEST_REQUIRE_ALL") == "1":
        pytest.fail(f"VIGIL_TEST_REQUIRE_ALL=1 but {reason}")
    pytest.skip(reason)


class CommandCounter(CommandListener):
    """Counts the store commands one request makes, by name, to check that relations are
    batched. Commands are told apart by the request id in force when they start, so the
    server's background work (loops, hubs, model reloads) is never counted."""

    def __init__(self) -> None:
        self.commands: list[str] = []
        self.request_id: str | None = None
        """The X-Request-ID of the request whose commands are counted."""

    def started(self, event: CommandStartedEvent) -> None:
        if self.request_id is not None and current_request_id() == self.request_id:
            self.commands.append(event.command_name)

    def succeeded(self, event: CommandSucceededEvent) -> None:
        pass

    def failed(self, event: CommandFailedEvent) -> None:
        pass


@dataclass
class LiveServer:
    url: str
    ws_url: str
    app: Starlette
    counter: CommandCounter = field(default_factory=CommandCounter)

    async def stored(self, collection: str, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Documents as the store holds them, read through the server's own client."""
        documents: list[dict[str, Any]] = await (
            self.app.state.runtime.db[collection].find(query).to_list(None)
        )
        return documents


class GraphQLClient:
    def __init__(self, server: LiveServer, token: str | None = ADMIN_TOKEN) -> None:
        self.server = server
        self.token = token

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        request_id: str | None = None,
    ) -> dict[str, Any]:
        """The whole response: `data` and, if any, `errors`."""
        bearer = token if token is not None else self.token
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        if request_id is not None:
            headers["X-Request-ID"] = request_id
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.post(
                f"{self.server.url}/graphql",
                json={"query": query, "variables": variables or {}},
                headers=headers,
            )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        request_id: str | None = None,
    ) -> dict[str, Any]:
        """`data` of a response that must have no errors."""
        body = await self.execute(query, variables, token=token, request_id=request_id)
        assert not body.get("errors"), body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    async def load_credentials_now(self) -> None:
        """Have the server load this client's token afresh, so that a request sent right
        after reads no credentials: a user's principal is remembered for 2 s from its
        load, and only warming an entry already 1.9 s old would not be enough."""
        assert self.token is not None
        self.server.app.state.authenticator.forget(hash_secret(self.token))
        await self.data("{ me { name } }")

    async def error_code(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> str:
        """The code of the first error of a response that must fail."""
        body = await self.execute(query, variables, token=token)
        assert body.get("errors"), body
        code: str = body["errors"][0]["extensions"]["code"]
        return code


@asynccontextmanager
async def live_server(
    data_dir: Path, *, settings: Settings | None = None, counter: CommandCounter | None = None
) -> AsyncIterator[LiveServer]:
    """Vigil on a free loopback port, with its embedded store under `data_dir`.

    By default with the rule engine: most tests share one server and each opens its
    incidents with its own service's alerts, while the learned engine groups alerts of
    different services by time, so tests running side by side would share incidents.
    The correlation tests start servers with the learned engine.
    """
    port = free_loopback_port()
    settings = settings or Settings(
        data_dir=data_dir,
        admin_token=ADMIN_TOKEN,
        port=port,
        worker_interval_s=1,
        correlation_engine=CorrelationEngineKind.WINDOW,
    )
    counter = counter or CommandCounter()
    app = create_app(settings, command_listeners=[counter])
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws="websockets-sansio",
        lifespan="on",
        # As `vigil serve` does: a websocket left open cannot hold up the fixture's teardown.
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("the server stopped while starting")
        await asyncio.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/graphql", app, counter)
    finally:
        server.should_exit = True
        await _stopped(task)


SERVER_STOP_LIMIT_S = 60.0
"""Well under pytest's timeout, so a server that will not stop says what it waits on."""


async def _stopped(server: asyncio.Task[None]) -> None:
    if not (await asyncio.wait({server}, timeout=SERVER_STOP_LIMIT_S))[0]:
        stacks = io.StringIO()
        for task in asyncio.all_tasks():
            task.print_stack(file=stacks)
        raise AssertionError(
            f"the live server did not stop within {SERVER_STOP_LIMIT_S:.0f} s; "
            f"its tasks:\n{stacks.getvalue()}"
        )
    server.result()


@asynccontextmanager
async def own_store(data_dir: Path) -> AsyncIterator[Database]:
    """The database of an embedded store started for one test alone, so it starts out empty."""
    store = EmbeddedStore(data_dir)
    client = connect(await store.start())
    try:
        yield client.vigil
    finally:
        await client.close()
        await store.stop()


async def eventually(check: Callable[[], Awaitable[T]], *, seconds: float = 10.0) -> T:
    """The first truthy result of `check`, polled until `seconds` pass (then fail)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"still {result!r} after {seconds} s")
        await asyncio.sleep(0.1)


class WsSubscription:
    """One graphql-transport-ws connection carrying one subscription."""

    def __init__(self, ws: websockets.ClientConnection) -> None:
        self.ws = ws

    async def next(self) -> dict[str, Any]:
        """The payload of the next `next` message; fails on an `error` message."""
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
            if message["type"] == "next":
                payload: dict[str, Any] = message["payload"]
                return payload
            if message["type"] == "error":
                raise AssertionError(f"subscription error: {message['payload']}")
            if message["type"] == "ping":
                await self.ws.send(json.dumps({"type": "pong"}))

    async def nothing_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self.ws.recv(), seconds)
        except TimeoutError:
            return True
        return False


@asynccontextmanager
async def subscribe(
    server: LiveServer,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str = ADMIN_TOKEN,
) -> AsyncIterator[WsSubscription]:
    async with websockets.connect(server.ws_url, subprotocols=[GRAPHQL_TRANSPORT_WS]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        ack = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": variables or {}},
                }
            )
        )
        subscription = WsSubscription(ws)
        # The server subscribes to the hub before it runs the first resolver step;
        # a short pause makes "subscribe, then act" ordering deterministic.
        await asyncio.sleep(0.2)
        yield subscription


def stored_alert(
    *,
    service_id: str,
    service: str,
    at: datetime,
    dedup_key: str,
    summary: str = "stored alert",
    severity: Severity = Severity.ERROR,
    incident_id: str | None = None,
) -> Alert:
    """A firing alert as the store holds it, for tests that write the store directly."""
    return Alert(
        id=new_id(),
        service_id=service_id,
        service=service,
        source="api",
        summary=summary,
        description="",
        severity=severity,
        labels={},
        dedup_key=dedup_key,
        occurred_at=at,
        received_at=at,
        status=AlertStatus.FIRING,
        count=1,
        first_seen_at=at,
        last_seen_at=at,
        resolved_at=None,
        incident_id=incident_id,
    )


def stored_incident(
    *,
    service_id: str,
    at: datetime,
    last_event_at: datetime | None = None,
    alerts: int = 1,
    status: IncidentStatus = IncidentStatus.TRIGGERED,
    incident_id: str | None = None,
) -> Incident:
    """An incident as the store holds it, for tests that build one directly: opened at
    `at`, with alerts from `at` to `last_event_at` (default: `at`), all open."""
    return Incident(
        id=incident_id or new_id(),
        number=1,
        title="disk full",
        status=status,
        severity=Severity.WARNING,
        service_id=service_id,
        created_at=at,
        first_event_at=at,
        last_event_at=last_event_at or at,
        alert_count=alerts,
        open_alert_count=alerts,
    )
