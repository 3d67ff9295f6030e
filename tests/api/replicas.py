"""Two `vigil serve` replicas over one store, with Redis between them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from bench._cluster import Cluster, cluster
from bench.escalation import store_of
from domain.store.database import Database
from domain.store.embedded import free_loopback_port
from tests.drills.load import remote_client
from tests.redis_server import RedisServer, redis_server
from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer

INCIDENT_EVENTS = """subscription {
  incidentEvents { kind incident { id service { name } } }
}"""


@dataclass
class Replicas:
    redis: RedisServer
    cluster: Cluster
    db: Database
    ports: list[int]

    def client(self, replica: int) -> GraphQLClient:
        return remote_client(self.ports[replica])

    def server(self, replica: int) -> LiveServer:
        """Enough of a LiveServer for tests.support.subscribe."""
        port = self.ports[replica]
        return cast(
            LiveServer,
            SimpleNamespace(
                url=f"http://127.0.0.1:{port}", ws_url=f"ws://127.0.0.1:{port}/graphql"
            ),
        )


@contextlib.asynccontextmanager
async def replicas(
    tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    count: int = 2,
    engine: str = "window",
) -> AsyncIterator[Replicas]:
    """`count` replicas; `engine`: the correlation engine, by default the rule, whose
    one incident per service the tests of other things count on."""
    async with redis_server(tmp) as redis:
        # Cluster.env copies the environment when each process starts.
        monkeypatch.setenv("VIGIL_BROADCAST_URL", redis.url)
        monkeypatch.setenv("VIGIL_CORRELATION_ENGINE", engine)
        async with cluster(tmp, name, ADMIN_TOKEN) as running, store_of(running) as db:
            ports = [free_loopback_port() for _ in range(count)]
            for port in ports:
                await running.serve(port)
            yield Replicas(redis, running, db, ports)
