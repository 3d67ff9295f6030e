"""A store that is down answers fast with STORE_UNAVAILABLE wherever it is met.

The store here is a real client pointed at a loopback port nothing listens on, so
each failure is the driver's own (ServerSelectionTimeoutError), not an imitation.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import strawberry
from pymongo.errors import ConnectionFailure, ServerSelectionTimeoutError, WriteError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.auth import Authenticator
from api.schema.errors import ErrorPresentation
from api.schema.schema import VigilSchema
from api.store_unavailable import StoreDeadline, store_unavailable
from domain.audit.repository import AuditRepository
from domain.audit.trail import AuditTrail
from domain.clock import SystemClock
from domain.errors import ErrorCode, StoreUnavailableError
from domain.integration.repository import IntegrationKeyRepository
from domain.store.database import Database, connect
from domain.store.embedded import free_loopback_port
from domain.team.repository import TeamRepository
from domain.user.repository import UserRepository
from domain.user.service import UserDirectory
from vigil.background import MAX_BACKOFF_S, PeriodicTasks
from vigil.settings import ConfigError, Settings

TIMEOUT_S = 0.3


@pytest.fixture
async def dead_store() -> AsyncIterator[Database]:
    client = connect(f"mongodb://127.0.0.1:{free_loopback_port()}/", timeout_s=TIMEOUT_S)
    yield client["vigil"]
    await client.close()


async def test_a_store_that_is_down_fails_an_operation_within_the_timeout(
    dead_store: Database,
) -> None:
    started = time.monotonic()
    with pytest.raises(ConnectionFailure):
        await dead_store["alerts"].find_one({})
    assert time.monotonic() - started < TIMEOUT_S + 1


async def test_http_routes_answer_a_lost_store_with_503_and_a_json_error() -> None:
    async def lost(request: Request) -> Response:
        raise ServerSelectionTimeoutError("127.0.0.1:1: connection refused")

    app = Starlette(
        routes=[Route("/lost", lost)], exception_handlers={ConnectionFailure: store_unavailable}
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as http:
        response = await http.get("/lost")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    body = response.json()
    assert body["code"] == ErrorCode.STORE_UNAVAILABLE.value
    assert body["message"] and body["suggestion"]
    assert "connection refused" not in response.text, "driver details stay in the log"


async def test_a_hung_store_fails_a_request_at_its_deadline() -> None:
    # A listener that accepts connections and never answers: a store frozen by SIGSTOP.
    silent = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    client = connect(f"mongodb://127.0.0.1:{port}/?directConnection=true", timeout_s=30)

    async def read(request: Request) -> Response:
        await client["vigil"]["alerts"].find_one({})
        return Response("read")

    app = Starlette(
        routes=[Route("/read", read)],
        middleware=[Middleware(StoreDeadline, seconds=0.5)],
        exception_handlers={ConnectionFailure: store_unavailable},
    )
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url="http://t"
        ) as http:
            started = time.monotonic()
            response = await http.get("/read")
        assert response.status_code == 503
        assert response.json()["code"] == "STORE_UNAVAILABLE"
        assert time.monotonic() - started < 2, "the deadline, not the client's 30 s timeouts"
    finally:
        await client.close()
        silent.close()


async def test_credentials_that_cannot_be_checked_are_store_unavailable(
    dead_store: Database,
) -> None:
    users = UserDirectory(
        users=UserRepository(dead_store),
        integration_keys=IntegrationKeyRepository(dead_store),
        teams=TeamRepository(dead_store),
        audit=AuditTrail(repository=AuditRepository(dead_store), clock=SystemClock()),
        clock=SystemClock(),
    )
    with pytest.raises(StoreUnavailableError) as caught:
        await Authenticator(users).from_header("Bearer vgl_some-token-0123456789")
    assert caught.value.extensions["code"] == "STORE_UNAVAILABLE"


async def test_background_rounds_back_off_while_the_store_is_down_and_resume_after(
    dead_store: Database,
) -> None:
    store = {"up": False}

    async def job() -> int:
        if not store["up"]:
            await dead_store["alerts"].find_one({})
        return 1

    slow = PeriodicTasks(5, {"job": job})
    for _ in range(3):
        await slow.run_once()
    assert slow.next_delay_s == MAX_BACKOFF_S
    tasks = PeriodicTasks(1, {"job": job})
    delays = []
    for _ in range(5):
        assert await tasks.run_once() == {}, "the failing task is skipped, not raised"
        delays.append(tasks.next_delay_s)
    assert delays == [2, 4, 8, 8, 8], "doubling, up to 8 intervals"
    store["up"] = True
    assert await tasks.run_once() == {"job": 1}
    assert tasks.next_delay_s == 1


async def test_a_store_error_in_a_background_task_is_one_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def job() -> int:
        # What the embedded store answered once, a moment after a restart.
        raise WriteError("Failed to get last row id.", 8)

    with caplog.at_level(logging.ERROR, logger="vigil.background"):
        assert await PeriodicTasks(1, {"job": job}).run_once() == {}
    [record] = caplog.records
    assert "Failed to get last row id." in record.getMessage()
    assert record.exc_info is None


def test_store_timeouts_come_from_the_environment_and_are_validated() -> None:
    settings = Settings.from_env(
        {"VIGIL_STORE_TIMEOUT_SECONDS": "1.5", "VIGIL_STORE_SOCKET_TIMEOUT_SECONDS": "4"}
    )
    assert (settings.store_timeout_s, settings.store_socket_timeout_s) == (1.5, 4)
    assert (Settings().store_timeout_s, Settings().store_socket_timeout_s) == (3.0, 10.0)
    for name, value in [
        ("VIGIL_STORE_TIMEOUT_SECONDS", "0"),
        ("VIGIL_STORE_TIMEOUT_SECONDS", "soon"),
        ("VIGIL_STORE_SOCKET_TIMEOUT_SECONDS", "0.1"),
    ]:
        with pytest.raises(ConfigError) as caught:
            Settings.from_env({name: value})
        assert caught.value.field == name


@strawberry.type
class _Query:
    @strawberry.field
    async def alerts(self) -> int:
        raise ServerSelectionTimeoutError("127.0.0.1:1: connection refused")


async def test_graphql_says_store_unavailable_in_one_log_line_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    schema = VigilSchema(query=_Query, extensions=[ErrorPresentation])
    with caplog.at_level(logging.WARNING, logger="api.schema.errors"):
        result = await schema.execute("{ alerts }")
    assert result.errors is not None
    [error] = result.errors
    assert error.extensions is not None
    assert error.extensions["code"] == ErrorCode.STORE_UNAVAILABLE.value
    assert error.extensions["suggestion"]
    assert [(r.levelno, r.exc_info) for r in caplog.records] == [(logging.WARNING, None)]
