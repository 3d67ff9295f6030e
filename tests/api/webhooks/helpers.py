"""Sending webhooks to the live server, and reading back what they stored."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.api.queries import CREATE_KEY, CREATE_SERVICE
from tests.support import GraphQLClient, LiveServer, unique

PAYLOADS = Path(__file__).parent / "payloads"

INCIDENTS_OF_SERVICE = """
query($ids: [ID!]) {
  incidents(first: 50, filter: {serviceIds: $ids}) {
    edges { node {
      id number title status severity alertCount openAlertCount acknowledgedBy resolvedBy
      alerts(first: 50) { edges { node {
        id summary description source severity labels dedupKey occurredAt status count
        links { href text } details
      } } }
    } }
  }
}"""


def payload(name: str) -> dict[str, Any]:
    """A payload as the monitor sends it, from payloads/<name>.json."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
    return data


@dataclass(frozen=True)
class Binding:
    """An integration key bound to a fresh service: its alerts meet no other test's."""

    service_id: str
    service: str
    secret: str


async def bound_key(client: GraphQLClient, prefix: str = "hooked") -> Binding:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique(prefix)}}))[
        "createService"
    ]
    key = (
        await client.data(CREATE_KEY, {"input": {"name": "monitor", "serviceId": service["id"]}})
    )["createIntegrationKey"]
    return Binding(service["id"], service["name"], key["secret"])


async def unbound_key(client: GraphQLClient) -> str:
    key = (await client.data(CREATE_KEY, {"input": {"name": "any-service"}}))[
        "createIntegrationKey"
    ]
    secret: str = key["secret"]
    return secret


async def post(
    server: LiveServer,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST `body` as JSON (or raw `content`), with `token` as a bearer token if given."""
    sent = {"Content-Type": "application/json"}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    sent.update(headers or {})
    data = content if content is not None else json.dumps(body).encode()
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(f"{server.url}{path}", content=data, headers=sent)


async def incidents_of(client: GraphQLClient, service_id: str) -> list[dict[str, Any]]:
    """The service's incidents, oldest first, each with its alerts (`alerts` as a list)."""
    data = await client.data(INCIDENTS_OF_SERVICE, {"ids": [service_id]})
    incidents = [edge["node"] for edge in data["incidents"]["edges"]]
    for incident in incidents:
        incident["alerts"] = [edge["node"] for edge in incident["alerts"]["edges"]]
    return sorted(incidents, key=lambda incident: incident["number"])


async def alerts_of(client: GraphQLClient, service_id: str) -> dict[str, dict[str, Any]]:
    """The service's alerts by dedup key, whichever incident holds them."""
    return {
        alert["dedupKey"]: alert
        for incident in await incidents_of(client, service_id)
        for alert in incident["alerts"]
    }


async def stored_alerts(server: LiveServer, service_id: str) -> list[dict[str, Any]]:
    """The service's alerts as the store holds them, attached to an incident or not."""
    return await server.stored("alerts", {"service_id": service_id})
