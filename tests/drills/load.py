"""Alert traffic for the drills: numbered alerts sent in batches through GraphQL
`ingestAlerts` or the generic webhook, each attempt recorded as the client saw it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast

import httpx

from tests.support import GraphQLClient, LiveServer

INGEST = """
mutation($alerts: [AlertInput!]!) {
  ingestAlerts(alerts: $alerts) { outcome alert { id } }
}"""

SERVICES = 20


def remote_client(port: int) -> GraphQLClient:
    """A GraphQL client of a `vigil serve` process on this port, as the admin."""
    return GraphQLClient(cast(LiveServer, SimpleNamespace(url=f"http://127.0.0.1:{port}")))


def alert(number: int, run: str) -> dict[str, Any]:
    """Alert `number` of a drill: its own dedup key, on one of a few services so that
    correlation groups them into incidents."""
    return {
        "summary": f"{run} alert {number}",
        "service": f"{run}-svc-{number % SERVICES}",
        "dedupKey": f"{run}-{number}",
    }


@dataclass(frozen=True, slots=True)
class Attempt:
    channel: str
    """graphql or webhook."""
    status: int | None
    """None: no HTTP answer (refused, reset, timed out)."""
    code: str | None
    """The error code of a refused attempt, from the body."""
    seconds: float
    ignored: int = 0
    """Alerts of an acknowledged batch that the server answered without storing."""

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and self.code is None


@dataclass(frozen=True, slots=True)
class Sender:
    base_url: str
    admin_token: str
    webhook_secret: str

    async def send(
        self, http: httpx.AsyncClient, channel: str, alerts: list[dict[str, Any]]
    ) -> Attempt:
        started = time.monotonic()
        try:
            if channel == "graphql":
                response = await http.post(
                    f"{self.base_url}/graphql",
                    json={"query": INGEST, "variables": {"alerts": alerts}},
                    headers={"Authorization": f"Bearer {self.admin_token}"},
                )
            else:
                response = await http.post(
                    f"{self.base_url}/webhooks/generic/{self.webhook_secret}",
                    json={"alerts": alerts},
                )
        except httpx.HTTPError:
            return Attempt(channel, None, None, time.monotonic() - started)
        seconds = time.monotonic() - started
        return Attempt(
            channel,
            response.status_code,
            _code(channel, response),
            seconds,
            _ignored(channel, response),
        )


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _code(channel: str, response: httpx.Response) -> str | None:
    body = _body(response)
    if channel == "graphql":
        errors = body.get("errors")
        if errors:
            return str(errors[0].get("extensions", {}).get("code", "NO_CODE"))
        return None if response.status_code == 200 and body.get("data") else "NO_DATA"
    if 200 <= response.status_code < 300:
        return None
    return str(body.get("code", f"HTTP_{response.status_code}"))


def _ignored(channel: str, response: httpx.Response) -> int:
    body = _body(response)
    if channel == "graphql":
        results = (body.get("data") or {}).get("ingestAlerts") or []
    else:
        results = [{"alert": item.get("alertId")} for item in body.get("alerts") or []]
    return sum(1 for result in results if result.get("alert") is None)
