"""What every webhook endpoint checks before any alert is stored: the caller, the media
type, the size and the JSON syntax. Each refusal leaves the store unchanged."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.webhooks.common import MAX_BODY_BYTES
from tests.api.helpers import token_for_role
from tests.api.webhooks.helpers import bound_key, payload, post, stored_alerts
from tests.support import GraphQLClient, LiveServer, unique

# Each keyed endpoint with a payload it accepts.
ENDPOINTS = [
    ("/webhooks/alertmanager", "alertmanager_firing"),
    ("/webhooks/grafana", "grafana_unified_firing"),
    ("/webhooks/grafana", "grafana_legacy_alerting"),
    ("/webhooks/generic", "generic_batch"),
]
PATHS = sorted({path for path, _ in ENDPOINTS})


@pytest.mark.parametrize(("path", "name"), ENDPOINTS)
async def test_every_format_is_accepted_with_a_bearer_key(
    server: LiveServer, client: GraphQLClient, path: str, name: str
) -> None:
    key = await bound_key(client)
    response = await post(server, path, payload(name), token=key.secret)
    assert response.status_code == 200, response.text
    assert response.json()["received"] == len(await stored_alerts(server, key.service_id))


@pytest.mark.parametrize("path", PATHS)
async def test_no_credentials_is_401(server: LiveServer, path: str) -> None:
    response = await post(server, path, {"alerts": []})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "UNAUTHENTICATED"
    assert response.json()["suggestion"]


@pytest.mark.parametrize("path", PATHS)
async def test_unknown_key_is_401_in_header_or_path(server: LiveServer, path: str) -> None:
    for response in (
        await post(server, path, {"alerts": []}, token="vik_unknown"),
        await post(server, f"{path}/vik_unknown", {"alerts": []}),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "UNAUTHENTICATED"


async def test_refused_key_stores_nothing(server: LiveServer, client: GraphQLClient) -> None:
    group = payload("generic_single") | {"service": unique("never")}
    response = await post(server, "/webhooks/generic", group, token="vik_unknown")
    assert response.status_code == 401
    services = {s["name"] for s in (await client.data("{ services { name } }"))["services"]}
    assert group["service"] not in services


async def test_viewer_token_is_forbidden(client: GraphQLClient) -> None:
    viewer = await token_for_role(client, "VIEWER")
    response = await post(
        client.server, "/webhooks/generic", payload("generic_single"), token=viewer
    )
    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"


async def test_responder_token_may_send(server: LiveServer, client: GraphQLClient) -> None:
    responder = await token_for_role(client, "RESPONDER")
    single = payload("generic_single") | {"service": unique("by-user")}
    response = await post(server, "/webhooks/generic", single, token=responder)
    assert response.status_code == 200, response.text
    assert response.json()["outcomes"]["created"] == 1


@pytest.mark.parametrize("path", PATHS)
async def test_other_media_types_are_415(
    server: LiveServer, client: GraphQLClient, path: str
) -> None:
    key = await bound_key(client)
    body = json.dumps(payload("generic_single")).encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        response = await post(
            server, path, content=body, token=key.secret, headers={"Content-Type": content_type}
        )
        assert response.status_code == 415
        assert response.json()["code"] == "VALIDATION"
        assert content_type in response.json()["message"]
    assert await stored_alerts(server, key.service_id) == []


async def test_json_with_a_charset_is_accepted(server: LiveServer, client: GraphQLClient) -> None:
    key = await bound_key(client)
    response = await post(
        server,
        "/webhooks/generic",
        payload("generic_single"),
        token=key.secret,
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200, response.text


async def test_compressed_bodies_are_415(server: LiveServer, client: GraphQLClient) -> None:
    key = await bound_key(client)
    response = await post(
        server,
        "/webhooks/generic",
        payload("generic_single"),
        token=key.secret,
        headers={"Content-Encoding": "gzip"},
    )
    assert response.status_code == 415
    assert "gzip" in response.json()["message"]


def _oversized_group() -> dict[str, Any]:
    """A valid Alertmanager group just over the size limit."""
    group = payload("alertmanager_firing")
    group["alerts"][0]["annotations"]["description"] = "x" * MAX_BODY_BYTES
    return group


@pytest.mark.parametrize("path", [*PATHS, "/v2/enqueue"])
async def test_bodies_over_512_kb_are_413(
    server: LiveServer, client: GraphQLClient, path: str
) -> None:
    key = await bound_key(client)
    body = _oversized_group() | {"routing_key": key.secret}
    response = await post(server, path, body, token=key.secret)
    assert response.status_code == 413
    assert response.json()["code"] == "VALIDATION"
    assert "524288" in response.json()["message"]
    assert await stored_alerts(server, key.service_id) == []


async def test_chunked_bodies_over_512_kb_are_413(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    data = json.dumps(_oversized_group()).encode()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 65536):
            yield data[start : start + 65536]

    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"{server.url}/webhooks/alertmanager",
            content=chunks(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {key.secret}"},
        )
    assert response.status_code == 413
    assert await stored_alerts(server, key.service_id) == []


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b'{"alerts": [', "line 1, column 13"),
        (b"", "empty"),
        (b'{"alerts": NaN}', "NaN"),
        (b"\xff\xfe\xfa", "UTF-8"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
async def test_malformed_json_is_400_naming_the_problem(
    server: LiveServer, client: GraphQLClient, path: str, body: bytes, problem: str
) -> None:
    key = await bound_key(client)
    response = await post(server, path, content=body, token=key.secret)
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION"
    assert problem in response.json()["message"]
    assert await stored_alerts(server, key.service_id) == []


@pytest.mark.parametrize("path", PATHS)
async def test_a_body_that_is_not_an_object_is_422(
    server: LiveServer, client: GraphQLClient, path: str
) -> None:
    key = await bound_key(client)
    response = await post(server, path, [payload("generic_single")], token=key.secret)
    assert response.status_code == 422
    assert response.json()["message"] == "'body' must be an object."


async def test_other_methods_are_405(server: LiveServer) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.get(f"{server.url}/webhooks/alertmanager")
    assert response.status_code == 405


async def test_refusals_do_not_log_the_key_in_the_url(
    server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "vik_secret-in-the-path"
    await post(server, f"/webhooks/generic/{secret}", content=b"{", headers={})
    assert caplog.records, "refusals are logged"
    assert secret not in caplog.text
