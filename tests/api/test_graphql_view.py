"""The GraphQL endpoint's reading and writing of JSON bodies (strawberry's, with the standard
library: orjson, tried for speed, reads integers beyond 64 bits as floats)."""

from __future__ import annotations

import json

import httpx

from tests.api.queries import CREATE_SERVICE
from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer, unique

INGEST_DETAILS = """mutation($a: [AlertInput!]!) {
    ingestAlerts(alerts: $a) { alert { summary details } } }"""


async def _post(server: LiveServer, content: bytes) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30, trust_env=False) as http:
        return await http.post(
            f"{server.url}/graphql",
            content=content,
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"},
        )


async def test_a_body_that_is_not_json_is_a_bad_request(server: LiveServer) -> None:
    response = await _post(server, b'{"query": "{ me { role } }",')
    assert response.status_code == 400
    assert "Unable to parse request body as JSON" in response.text


async def test_integers_beyond_64_bits_come_back_as_sent(
    server: LiveServer, client: GraphQLClient
) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("bigint")}}))[
        "createService"
    ]
    huge = 2**70 + 1
    variables = {
        "a": [{"summary": "big counter", "service": service["name"], "details": {"n": huge}}]
    }
    response = await _post(
        server, json.dumps({"query": INGEST_DETAILS, "variables": variables}).encode()
    )
    assert response.status_code == 200, response.text
    [result] = json.loads(response.text)["data"]["ingestAlerts"]
    assert result["alert"]["details"] == {"n": huge}


async def test_text_beyond_ascii_is_sent_as_utf8(server: LiveServer, client: GraphQLClient) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("utf8")}}))[
        "createService"
    ]
    summary = "Disque plein — ✓ 東京"
    data = await client.data(
        INGEST_DETAILS, {"a": [{"summary": summary, "service": service["name"]}]}
    )
    assert data["ingestAlerts"][0]["alert"]["summary"] == summary
