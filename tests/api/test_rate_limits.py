"""Per-credential rate limits through real HTTP: 429 with Retry-After, per token and per
integration key, on GraphQL, webhooks and websocket connections."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from api.rate_limit import TokenBuckets
from tests.api.webhooks.helpers import bound_key, payload, post
from tests.support import (
    ADMIN_TOKEN,
    GRAPHQL_TRANSPORT_WS,
    GraphQLClient,
    LiveServer,
    live_server,
)
from vigil.settings import Settings

ME = "{ me { name } }"


async def graphql(server: LiveServer, token: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(
            f"{server.url}/graphql",
            json={"query": ME},
            headers={"Authorization": f"Bearer {token}"},
        )


@asynccontextmanager
async def server_with(data_dir: Path, **limits: float) -> AsyncIterator[LiveServer]:
    settings = Settings(data_dir=data_dir, admin_token=ADMIN_TOKEN, **limits)  # type: ignore[arg-type]
    async with live_server(data_dir, settings=settings) as running:
        yield running


@pytest.fixture(scope="module")
async def limited(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveServer]:
    """API tokens: 1 request/s, bursts of 3. Integration keys: 1 request/s, bursts of 2."""
    async with server_with(
        tmp_path_factory.mktemp("limited"),
        api_rate_per_s=1,
        api_rate_burst=3,
        ingest_rate_per_s=1,
        ingest_rate_burst=2,
    ) as running:
        yield running


@pytest.fixture(scope="module")
async def unlimited_tokens(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveServer]:
    """Only integration keys limited (1/s, bursts of 2), so set-up calls are free."""
    async with server_with(
        tmp_path_factory.mktemp("keys"), api_rate_per_s=0, ingest_rate_per_s=1, ingest_rate_burst=2
    ) as running:
        yield running


def refusal(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 429, response.text
    error: dict[str, Any] = response.json()["errors"][0]
    return error


async def test_api_token_over_its_burst_gets_429_with_retry_after(limited: LiveServer) -> None:
    token = "vgl_rate-limited-token-a-0000000000"
    answers = [await graphql(limited, token) for _ in range(4)]
    # Within the burst the requests run (and fail authentication: the token is not real).
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    error = refusal(answers[3])
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert "Retry-After" in error["extensions"]["suggestion"]
    assert error["extensions"]["requestId"] == answers[3].headers["x-request-id"]
    retry_after = int(answers[3].headers["retry-after"])
    assert 1 <= retry_after <= 2
    await asyncio.sleep(retry_after)
    assert (await graphql(limited, token)).status_code == 200


async def test_limits_are_per_token(limited: LiveServer) -> None:
    first = "vgl_rate-limited-token-b-0000000000"
    for _ in range(3):
        await graphql(limited, first)
    assert (await graphql(limited, first)).status_code == 429
    other = await graphql(limited, ADMIN_TOKEN)
    assert other.status_code == 200
    assert other.json() == {"data": {"me": {"name": "admin"}}}


async def test_integration_key_over_its_burst_gets_429(
    unlimited_tokens: LiveServer,
) -> None:
    client = GraphQLClient(unlimited_tokens)
    key = await bound_key(client, "rated")
    other = await bound_key(client, "rated-other")
    path = f"/webhooks/generic/{key.secret}"
    answers = [await post(unlimited_tokens, path, payload("generic_single")) for _ in range(3)]
    assert [a.status_code for a in answers[:2]] == [200, 200]
    limited = answers[2]
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 2
    body = limited.json()
    assert body["code"] == "RATE_LIMITED"
    assert "VIGIL_INGEST_RATE_PER_SECOND" in body["suggestion"]
    assert body["requestId"] == limited.headers["x-request-id"]
    # The same key in the header shares the bucket; another key has its own.
    in_header = await post(
        unlimited_tokens, "/webhooks/generic", payload("generic_single"), token=key.secret
    )
    assert in_header.status_code == 429
    fresh = await post(
        unlimited_tokens, f"/webhooks/generic/{other.secret}", payload("generic_single")
    )
    assert fresh.status_code == 200


async def test_integration_key_on_graphql_uses_the_ingest_rate(
    unlimited_tokens: LiveServer,
) -> None:
    key = await bound_key(GraphQLClient(unlimited_tokens), "rated-graphql")
    answers = [await graphql(unlimited_tokens, key.secret) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert refusal(answers[2])["extensions"]["code"] == "RATE_LIMITED"


async def test_websocket_connections_count_against_the_token(limited: LiveServer) -> None:
    token = "vgl_rate-limited-token-c-0000000000"
    for _ in range(3):
        await graphql(limited, token)
    async with websockets.connect(limited.ws_url, subprotocols=[GRAPHQL_TRANSPORT_WS]) as ws:
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


def test_bucket_refills_at_its_rate_and_says_how_long_to_wait() -> None:
    now = [0.0]
    buckets = TokenBuckets(2.0, 3, monotonic=lambda: now[0])
    assert [buckets.take("k") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("k") == pytest.approx(0.5)
    now[0] = 0.25
    assert buckets.take("k") == pytest.approx(0.25)
    now[0] = 0.5
    assert buckets.take("k") == 0.0
    now[0] = 100.0
    assert [buckets.take("k") for _ in range(4)][-1] > 0  # refilled to the burst, not beyond
    assert buckets.take("other") == 0.0


def test_least_recently_used_buckets_go_first() -> None:
    buckets = TokenBuckets(1.0, 1, monotonic=lambda: 0.0, max_buckets=2)
    buckets.take("a")
    buckets.take("b")
    buckets.take("a")  # refused, and now the most recently used
    buckets.take("c")  # evicts "b"
    assert buckets.take("a") > 0
    assert buckets.take("b") == 0.0
