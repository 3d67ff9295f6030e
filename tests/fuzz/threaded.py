"""A live Vigil on its own thread and event loop, so that synchronous callers (hypothesis
tests, schemathesis' `requests` transport) can reach it over real HTTP while it serves; and
what the fuzz tests set up on it as the admin."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

from tests.api.queries import CREATE_TOKEN, CREATE_USER
from tests.support import ADMIN_TOKEN, LiveServer, live_server, unique
from vigil.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class ThreadedServer:
    live: LiveServer
    loop: asyncio.AbstractEventLoop

    @property
    def url(self) -> str:
        return self.live.url

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the server's loop, where its store client lives."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    def count(self, collection: str) -> int:
        """How many documents `collection` holds, read through the server's own client."""
        db = self.live.app.state.runtime.db
        counted: int = self.run(db[collection].count_documents({}))
        return counted


@contextmanager
def threaded_server(data_dir: Path, settings: Settings) -> Iterator[ThreadedServer]:
    started: list[ThreadedServer] = []
    failed: list[BaseException] = []
    ready = threading.Event()
    stop: list[asyncio.Event] = []

    async def serve() -> None:
        stop.append(asyncio.Event())
        async with live_server(data_dir, settings=settings) as live:
            started.append(ThreadedServer(live, asyncio.get_running_loop()))
            ready.set()
            await stop[0].wait()

    def main() -> None:
        try:
            asyncio.run(serve())
        except BaseException as exc:  # handed to the test thread, which reports it
            failed.append(exc)
        finally:
            ready.set()

    thread = threading.Thread(target=main, name="vigil-fuzz-server", daemon=True)
    thread.start()
    ready.wait(timeout=60)
    if failed or not started:
        raise RuntimeError("the fuzzed server did not start") from (failed[0] if failed else None)
    server = started[0]
    try:
        yield server
    finally:
        server.loop.call_soon_threadsafe(stop[0].set)
        thread.join(timeout=30)
        if failed:
            raise failed[0]


@dataclass(frozen=True)
class Tokens:
    admin: str
    viewer: str


def fuzz_settings(data_dir: Path, port: int) -> Settings:
    return Settings(
        data_dir=data_dir,
        admin_token=ADMIN_TOKEN,
        port=port,
        worker_interval_s=1,
        # The fuzzer is one very busy client: the limits are tested in tests/api.
        api_rate_per_s=0,
        ingest_rate_per_s=0,
    )


def role_token(server: ThreadedServer, role: str) -> str:
    """The API token of a new user with `role`, made by the admin."""
    name = unique(role.lower())
    user = admin_data(
        server, CREATE_USER, {"input": {"name": name, "email": f"{name}@example.com", "role": role}}
    )["createUser"]
    token = admin_data(server, CREATE_TOKEN, {"input": {"name": "fuzz", "userId": user["id"]}})
    secret: str = token["createApiToken"]["secret"]
    return secret


def admin_data(server: ThreadedServer, query: str, variables: dict[str, object]) -> dict[str, Any]:
    response = httpx.post(
        f"{server.url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        timeout=30,
    )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data
