"""Setting the scene for API tests."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class RoleUser:
    id: str
    name: str
    token: str

    @property
    def actor(self) -> str:
        """How timelines name this user."""
        return f"user:{self.name}"


async def user_for_role(client: GraphQLClient, role: str) -> RoleUser:
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
    return RoleUser(id=user["id"], name=name, token=token["secret"])


async def token_for_role(client: GraphQLClient, role: str) -> str:
    """A new user with `role` (VIEWER, RESPONDER, ADMIN) and an API token for them."""
    return (await user_for_role(client, role)).token


CREATE_TEAM = """mutation($input: CreateTeamInput!) { createTeam(input: $input) { slug } }"""
SET_TEAM_MEMBER = """mutation($slug: ID!, $userId: ID!, $role: TeamRole!) {
  setTeamMember(slug: $slug, userId: $userId, role: $role) { role } }"""


async def new_team(admin: GraphQLClient, prefix: str = "team") -> str:
    """A new team (created by an admin); returns its slug."""
    slug = unique(prefix)
    await admin.data(CREATE_TEAM, {"input": {"slug": slug, "name": slug}})
    return slug


async def team_member(admin: GraphQLClient, team: str, role: str) -> RoleUser:
    """A new user (global role VIEWER) with `role` (VIEWER, RESPONDER, MANAGER) in `team`."""
    user = await user_for_role(admin, "VIEWER")
    await admin.data(SET_TEAM_MEMBER, {"slug": team, "userId": user.id, "role": role})
    return user
