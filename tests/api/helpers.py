"""Setting the scene for API tests."""

from __future__ import annotations

from typing import Any

from tests.api.queries import CREATE_TOKEN, CREATE_USER, INGEST
from tests.support import GraphQLClient, unique


async def open_incident(
    client: GraphQLClient, service: str | None = None, summary: str = "error rate above 5%"
) -> dict[str, Any]:
    """Ingest one alert for a fresh service; return the incident it opened."""
    data = await client.data(
        INGEST, {"alerts": [{"summary": summary, "service": service or unique("svc")}]}
    )
    incident: dict[str, Any] = data["ingestAlerts"][0]["incident"]
    return incident


async def token_for_role(client: GraphQLClient, role: str) -> str:
    """A new user with `role` (VIEWER, RESPONDER, ADMIN) and an API token for them."""
    name = unique(role.lower())
    user = (
        await client.data(
            CREATE_USER, {"input": {"name": name, "email": f"{name}@example.com", "role": role}}
        )
    )["createUser"]
    token = (await client.data(CREATE_TOKEN, {"input": {"name": "t", "userId": user["id"]}}))[
        "createApiToken"
    ]
    secret: str = token["secret"]
    return secret
