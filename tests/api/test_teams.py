"""Teams through GraphQL: admins create and delete them, a team's managers run its
membership, and a service can be given to a team only by someone who manages it."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import SET_TEAM_MEMBER, new_team, team_member, user_for_role
from tests.api.queries import CREATE_SERVICE
from tests.support import GraphQLClient, eventually, unique

CREATE_TEAM = """mutation($input: CreateTeamInput!) {
  createTeam(input: $input) { slug name description } }"""
UPDATE_TEAM = """mutation($slug: ID!, $input: UpdateTeamInput!) {
  updateTeam(slug: $slug, input: $input) { slug name description } }"""
DELETE_TEAM = "mutation($slug: ID!) { deleteTeam(slug: $slug) { slug } }"
REMOVE_MEMBER = """mutation($slug: ID!, $userId: ID!) {
  removeTeamMember(slug: $slug, userId: $userId) { userId role } }"""
TEAM = """query($slug: ID!) { team(slug: $slug) {
  slug name members { role user { id name } } services { name } } }"""
MY_TEAMS = "{ myTeams { teamSlug role } }"
UPDATE_SERVICE = """mutation($id: ID!, $input: UpdateServiceInput!) {
  updateService(id: $id, input: $input) { id team } }"""
AUDIT = """query($filter: AuditFilter) { auditLog(filter: $filter, first: 10) {
  edges { node { action resourceId before after } } } }"""


async def members(client: GraphQLClient, slug: str) -> dict[str, str]:
    team = (await client.data(TEAM, {"slug": slug}))["team"]
    return {m["user"]["id"]: m["role"] for m in team["members"]}


async def test_an_admin_creates_renames_and_deletes_a_team(client: GraphQLClient) -> None:
    slug = unique("payments")
    created = await client.data(
        CREATE_TEAM, {"input": {"slug": slug, "name": "Payments", "description": "cards"}}
    )
    assert created["createTeam"] == {"slug": slug, "name": "Payments", "description": "cards"}
    renamed = await client.data(UPDATE_TEAM, {"slug": slug, "input": {"name": "Payments EU"}})
    assert renamed["updateTeam"] == {"slug": slug, "name": "Payments EU", "description": "cards"}
    listed = await client.data("{ teams { slug } }")
    assert slug in {t["slug"] for t in listed["teams"]}
    await client.data(DELETE_TEAM, {"slug": slug})
    assert await client.error_code(TEAM, {"slug": slug}) == "NOT_FOUND"


async def test_team_slugs_are_validated_and_unique(client: GraphQLClient) -> None:
    body = await client.execute(CREATE_TEAM, {"input": {"slug": "Payments Team", "name": "x"}})
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert body["errors"][0]["extensions"]["field"] == "slug"
    slug = await new_team(client)
    taken = await client.execute(CREATE_TEAM, {"input": {"slug": slug, "name": "again"}})
    assert taken["errors"][0]["extensions"]["code"] == "CONFLICT"


async def test_only_admins_create_teams(client: GraphQLClient) -> None:
    slug = await new_team(client)
    manager = await team_member(client, slug, "MANAGER")
    code = await client.error_code(
        CREATE_TEAM, {"input": {"slug": unique("rogue"), "name": "x"}}, token=manager.token
    )
    assert code == "FORBIDDEN"


async def test_a_manager_runs_membership_and_others_in_the_team_cannot(
    client: GraphQLClient,
) -> None:
    slug = await new_team(client)
    manager = await team_member(client, slug, "MANAGER")
    responder = await team_member(client, slug, "RESPONDER")
    newcomer = await user_for_role(client, "VIEWER")

    await client.data(
        SET_TEAM_MEMBER,
        {"slug": slug, "userId": newcomer.id, "role": "VIEWER"},
        token=manager.token,
    )
    assert (await members(client, slug))[newcomer.id] == "VIEWER"
    promoted = {"slug": slug, "userId": newcomer.id, "role": "RESPONDER"}
    assert await client.error_code(SET_TEAM_MEMBER, promoted, token=responder.token) == (
        "FORBIDDEN"
    )
    await client.data(SET_TEAM_MEMBER, promoted, token=manager.token)
    assert (await members(client, slug))[newcomer.id] == "RESPONDER"

    mine = await client.data(MY_TEAMS, token=newcomer.token)
    assert {"teamSlug": slug, "role": "RESPONDER"} in mine["myTeams"]

    await client.data(REMOVE_MEMBER, {"slug": slug, "userId": newcomer.id}, token=manager.token)
    assert newcomer.id not in await members(client, slug)
    again = await client.error_code(
        REMOVE_MEMBER, {"slug": slug, "userId": newcomer.id}, token=manager.token
    )
    assert again == "NOT_FOUND"


async def test_a_manager_of_another_team_cannot_touch_this_one(client: GraphQLClient) -> None:
    slug, other = await new_team(client), await new_team(client)
    outsider = await team_member(client, other, "MANAGER")
    viewer = await user_for_role(client, "VIEWER")
    variables = {"slug": slug, "userId": viewer.id, "role": "MANAGER"}
    assert await client.error_code(SET_TEAM_MEMBER, variables, token=outsider.token) == (
        "FORBIDDEN"
    )
    rename = {"slug": slug, "input": {"name": "taken over"}}
    assert await client.error_code(UPDATE_TEAM, rename, token=outsider.token) == "FORBIDDEN"
    assert viewer.id not in await members(client, slug)


async def test_adding_an_unknown_user_is_not_found(client: GraphQLClient) -> None:
    slug = await new_team(client)
    variables = {"slug": slug, "userId": "000000000000000000000000", "role": "VIEWER"}
    assert await client.error_code(SET_TEAM_MEMBER, variables) == "NOT_FOUND"


async def test_a_team_that_owns_a_service_cannot_be_deleted(client: GraphQLClient) -> None:
    slug = await new_team(client)
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("svc"), "team": slug}}))[
        "createService"
    ]
    body = await client.execute(DELETE_TEAM, {"slug": slug})
    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert "1 services" in body["errors"][0]["message"]
    await client.data(UPDATE_SERVICE, {"id": service["id"], "input": {"clearTeam": True}})
    await client.data(DELETE_TEAM, {"slug": slug})


async def test_only_the_teams_managers_may_give_it_a_service(client: GraphQLClient) -> None:
    slug, other = await new_team(client), await new_team(client)
    manager = await team_member(client, slug, "MANAGER")
    responder = await team_member(client, slug, "RESPONDER")
    outsider = await team_member(client, other, "MANAGER")

    name = unique("svc")

    def create(team: str) -> dict[str, Any]:
        return {"input": {"name": name, "team": team}}

    assert await client.error_code(CREATE_SERVICE, create(slug), token=responder.token) == (
        "FORBIDDEN"
    )
    assert await client.error_code(CREATE_SERVICE, create(slug), token=outsider.token) == (
        "FORBIDDEN"
    )
    service = (await client.data(CREATE_SERVICE, create(slug), token=manager.token))[
        "createService"
    ]
    team = (await client.data(TEAM, {"slug": slug}, token=manager.token))["team"]
    assert [s["name"] for s in team["services"]] == [name]

    # Moving it needs the manager role in both teams.
    move = {"id": service["id"], "input": {"team": other}}
    assert await client.error_code(UPDATE_SERVICE, move, token=manager.token) == "FORBIDDEN"
    assert await client.error_code(UPDATE_SERVICE, move, token=outsider.token) == "FORBIDDEN"
    await client.data(SET_TEAM_MEMBER, {"slug": other, "userId": manager.id, "role": "MANAGER"})

    async def moved() -> dict[str, Any]:
        # A new role applies within the 2 s the server remembers a user's principal.
        body = await client.execute(UPDATE_SERVICE, move, token=manager.token)
        return body.get("data") or {}

    assert (await eventually(moved, seconds=5))["updateService"]["team"] == other


async def test_membership_changes_are_audited(client: GraphQLClient) -> None:
    slug = await new_team(client)
    user = await user_for_role(client, "VIEWER")
    await client.data(SET_TEAM_MEMBER, {"slug": slug, "userId": user.id, "role": "VIEWER"})
    await client.data(SET_TEAM_MEMBER, {"slug": slug, "userId": user.id, "role": "MANAGER"})
    await client.data(REMOVE_MEMBER, {"slug": slug, "userId": user.id})
    found = await client.data(
        AUDIT, {"filter": {"resourceType": "TEAM_MEMBER", "resourceId": f"{slug}:{user.id}"}}
    )
    actions = [edge["node"]["action"] for edge in found["auditLog"]["edges"]]
    assert actions == ["DELETE", "UPDATE", "CREATE"]
    update = found["auditLog"]["edges"][1]["node"]
    assert (update["before"]["role"], update["after"]["role"]) == ("viewer", "manager")
