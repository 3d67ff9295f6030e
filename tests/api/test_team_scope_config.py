"""Team scope of configuration through GraphQL (issue 7): schedules and escalation policies
owned by a team, and the integration keys, heartbeats and maintenance windows of a team's
services, are configured by its managers, overridden by its responders where responders
may, read by its members, and hidden from everyone else but admins."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from tests.api.helpers import SET_TEAM_MEMBER, RoleUser, new_team, team_member, user_for_role
from tests.api.queries import CREATE_KEY, CREATE_SERVICE
from tests.api.schedules import CREATE_OVERRIDE, ONCALL, layer
from tests.api.webhooks.helpers import incidents_of, post
from tests.support import GraphQLClient, LiveServer, unique

CREATE_SCHEDULE = """mutation($input: CreateScheduleInput!) {
  createSchedule(input: $input) { id team } }"""
UPDATE_SCHEDULE = """mutation($id: ID!, $input: UpdateScheduleInput!) {
  updateSchedule(id: $id, input: $input) { id name team } }"""
DELETE_SCHEDULE = "mutation($id: ID!) { deleteSchedule(id: $id) }"
SCHEDULE = "query($id: ID!) { schedule(id: $id) { id team } }"
SCHEDULES = "{ schedules { id } }"
UPCOMING = "query($id: ID!) { upcomingShifts(userId: $id) { scheduleId } }"
CREATE_POLICY = """mutation($input: EscalationPolicyInput!) {
  createEscalationPolicy(input: $input) { id team } }"""
UPDATE_POLICY = """mutation($id: ID!, $input: EscalationPolicyInput!) {
  updateEscalationPolicy(id: $id, input: $input) { id team } }"""
DELETE_POLICY = "mutation($id: ID!) { deleteEscalationPolicy(id: $id) }"
POLICY = "query($id: ID!) { escalationPolicy(id: $id) { id team } }"
POLICIES = "{ escalationPolicies { id } }"
KEYS = "query($id: ID) { integrationKeys(serviceId: $id) { id name serviceId } }"
DELETE_KEY = "mutation($id: ID!) { deleteIntegrationKey(id: $id) }"
CREATE_HEARTBEAT = """mutation($input: HeartbeatInput!) {
  createHeartbeat(input: $input) { heartbeat { id } } }"""
UPDATE_HEARTBEAT = """mutation($id: ID!, $input: HeartbeatInput!) {
  updateHeartbeat(id: $id, input: $input) { id } }"""
DELETE_HEARTBEAT = "mutation($id: ID!) { deleteHeartbeat(id: $id) }"
HEARTBEATS = "{ heartbeats { id } }"
CREATE_WINDOW = """mutation($input: MaintenanceWindowInput!) {
  createMaintenanceWindow(input: $input) { id } }"""
DELETE_WINDOW = "mutation($id: ID!) { deleteMaintenanceWindow(id: $id) }"
WINDOWS = "{ maintenanceWindows { id } }"
CREATE_FEED = """mutation($input: CreateCalendarFeedInput!) {
  createCalendarFeed(input: $input) { feed { id } } }"""


@dataclass(frozen=True)
class Scene:
    """Team `team` with a member per role, a manager of `other` (another team), a global
    responder in no team, and a service owned by `team`."""

    team: str
    other: str
    viewer: RoleUser
    responder: RoleUser
    manager: RoleUser
    other_manager: RoleUser
    outsider: RoleUser
    service_id: str

    @property
    def denied(self) -> list[RoleUser]:
        """Callers with no role in `team`."""
        return [self.other_manager, self.outsider]


async def scene(admin: GraphQLClient) -> Scene:
    team, other = await asyncio.gather(new_team(admin), new_team(admin, "other"))
    viewer, responder, manager, other_manager, outsider = await asyncio.gather(
        team_member(admin, team, "VIEWER"),
        team_member(admin, team, "RESPONDER"),
        team_member(admin, team, "MANAGER"),
        team_member(admin, other, "MANAGER"),
        user_for_role(admin, "RESPONDER"),
    )
    service = await admin.data(CREATE_SERVICE, {"input": {"name": unique("svc"), "team": team}})
    return Scene(
        team,
        other,
        viewer,
        responder,
        manager,
        other_manager,
        outsider,
        service["createService"]["id"],
    )


def schedule_input(owner: RoleUser, team: str | None) -> dict[str, Any]:
    return {
        "name": unique("rota"),
        "team": team,
        "layers": [layer([owner.id], starts_on="2026-11-01", time_zone="UTC")],
    }


def policy_input(owner: RoleUser, team: str | None, **extra: Any) -> dict[str, Any]:
    target = {"kind": "USER", "id": owner.id}
    step = {"escalateAfterMinutes": 30.0, "targets": [target]}
    return {"name": unique("policy"), "team": team, "steps": [step], **extra}


def override(user: RoleUser) -> dict[str, Any]:
    window = {"startsAt": "2030-01-01T00:00:00Z", "endsAt": "2030-01-02T00:00:00Z"}
    return {"kind": "ADD", "userId": user.id, **window}


async def ids(client: GraphQLClient, query: str, field: str, user: RoleUser) -> set[str]:
    return {item["id"] for item in (await client.data(query, token=user.token))[field]}


async def test_a_team_schedule_is_configured_by_managers_and_overridden_by_responders(
    client: GraphQLClient,
) -> None:
    s = await scene(client)
    created = await client.data(
        CREATE_SCHEDULE, {"input": schedule_input(s.manager, s.team)}, token=s.manager.token
    )
    schedule = created["createSchedule"]
    assert schedule["team"] == s.team
    variables = {"id": schedule["id"]}
    rename = {**variables, "input": {"name": "renamed"}}

    assert (await client.data(SCHEDULE, variables, token=s.viewer.token))["schedule"] == schedule
    await client.data(ONCALL, variables, token=s.viewer.token)
    for user in (s.viewer, s.responder):
        assert await client.error_code(UPDATE_SCHEDULE, rename, token=user.token) == "FORBIDDEN"
    await client.data(UPDATE_SCHEDULE, rename, token=s.manager.token)
    on_schedule = {"id": schedule["id"], "input": override(s.viewer)}
    assert (
        await client.error_code(CREATE_OVERRIDE, on_schedule, token=s.viewer.token) == "FORBIDDEN"
    )
    await client.data(CREATE_OVERRIDE, on_schedule, token=s.responder.token)

    for user in s.denied:
        for query, given in (
            (SCHEDULE, variables),
            (ONCALL, variables),
            (UPDATE_SCHEDULE, rename),
            (CREATE_OVERRIDE, {"id": schedule["id"], "input": override(user)}),
            (DELETE_SCHEDULE, variables),
            (CREATE_FEED, {"input": {"scheduleId": schedule["id"]}}),
        ):
            assert await client.error_code(query, given, token=user.token) == "FORBIDDEN", query
        assert schedule["id"] not in await ids(client, SCHEDULES, "schedules", user)
        shifts = await client.data(UPCOMING, {"id": s.manager.id}, token=user.token)
        assert schedule["id"] not in {e["scheduleId"] for e in shifts["upcomingShifts"]}

    assert schedule["id"] in await ids(client, SCHEDULES, "schedules", s.viewer)
    await client.data(CREATE_FEED, {"input": {"scheduleId": schedule["id"]}}, token=s.viewer.token)
    await client.data(UPDATE_SCHEDULE, {**variables, "input": {"name": "by admin"}})
    assert await client.error_code(DELETE_SCHEDULE, variables, token=s.responder.token) == (
        "FORBIDDEN"
    )
    assert (await client.data(DELETE_SCHEDULE, variables, token=s.manager.token))["deleteSchedule"]


async def test_only_admins_configure_a_schedule_of_no_team(client: GraphQLClient) -> None:
    s = await scene(client)
    draft = {"input": schedule_input(s.manager, None)}
    assert await client.error_code(CREATE_SCHEDULE, draft, token=s.manager.token) == "FORBIDDEN"
    schedule = (await client.data(CREATE_SCHEDULE, draft))["createSchedule"]
    assert schedule["team"] is None
    # Read by everyone; overridden by global responders, as before teams.
    assert schedule["id"] in await ids(client, SCHEDULES, "schedules", s.other_manager)
    await client.data(
        CREATE_OVERRIDE,
        {"id": schedule["id"], "input": override(s.outsider)},
        token=s.outsider.token,
    )


async def test_moving_a_schedule_needs_a_manager_of_both_teams(client: GraphQLClient) -> None:
    s = await scene(client)
    created = await client.data(
        CREATE_SCHEDULE, {"input": schedule_input(s.manager, s.team)}, token=s.manager.token
    )
    schedule_id = created["createSchedule"]["id"]
    move = {"id": schedule_id, "input": {"team": s.other}}
    for user in (s.manager, s.other_manager):
        assert await client.error_code(UPDATE_SCHEDULE, move, token=user.token) == "FORBIDDEN"
    assert (await client.data(SCHEDULE, {"id": schedule_id}))["schedule"]["team"] == s.team

    both = await team_member(client, s.team, "MANAGER")
    await client.data(SET_TEAM_MEMBER, {"slug": s.other, "userId": both.id, "role": "MANAGER"})
    moved = await client.data(UPDATE_SCHEDULE, move, token=both.token)
    assert moved["updateSchedule"]["team"] == s.other
    assert (
        await client.error_code(SCHEDULE, {"id": schedule_id}, token=s.manager.token) == "FORBIDDEN"
    )
    await client.data(SCHEDULE, {"id": schedule_id}, token=s.other_manager.token)
    unknown = {"id": schedule_id, "input": {"team": unique("nosuch")}}
    assert await client.error_code(UPDATE_SCHEDULE, unknown) == "VALIDATION"
    cleared = await client.data(UPDATE_SCHEDULE, {"id": schedule_id, "input": {"clearTeam": True}})
    assert cleared["updateSchedule"]["team"] is None


async def test_a_team_policy_is_configured_by_managers_and_read_by_members(
    client: GraphQLClient,
) -> None:
    s = await scene(client)
    created = await client.data(
        CREATE_POLICY, {"input": policy_input(s.manager, s.team)}, token=s.manager.token
    )
    policy = created["createEscalationPolicy"]
    assert policy["team"] == s.team
    variables = {"id": policy["id"]}
    change = {**variables, "input": policy_input(s.manager, None)}

    assert (await client.data(POLICY, variables, token=s.viewer.token))["escalationPolicy"] == (
        policy
    )
    assert policy["id"] in await ids(client, POLICIES, "escalationPolicies", s.viewer)
    for user in (s.viewer, s.responder):
        assert await client.error_code(UPDATE_POLICY, change, token=user.token) == "FORBIDDEN"
    for user in s.denied:
        for query, given in (
            (POLICY, variables),
            (UPDATE_POLICY, change),
            (DELETE_POLICY, variables),
        ):
            assert await client.error_code(query, given, token=user.token) == "FORBIDDEN", query
        assert policy["id"] not in await ids(client, POLICIES, "escalationPolicies", user)
    updated = await client.data(UPDATE_POLICY, change, token=s.manager.token)
    assert updated["updateEscalationPolicy"]["team"] == s.team, "no team given: it stays"
    moving = {**variables, "input": policy_input(s.manager, s.other)}
    assert await client.error_code(UPDATE_POLICY, moving, token=s.manager.token) == "FORBIDDEN"
    assert (await client.data(UPDATE_POLICY, moving))["updateEscalationPolicy"]["team"] == s.other
    assert (await client.data(DELETE_POLICY, variables, token=s.other_manager.token))[
        "deleteEscalationPolicy"
    ]


async def test_a_service_points_only_at_a_policy_its_editor_may_read(
    client: GraphQLClient,
) -> None:
    s = await scene(client)
    created = await client.data(
        CREATE_POLICY, {"input": policy_input(s.manager, s.team)}, token=s.manager.token
    )
    policy_id = created["createEscalationPolicy"]["id"]
    elsewhere = {"name": unique("svc"), "team": s.other, "escalationPolicyId": policy_id}
    assert (
        await client.error_code(CREATE_SERVICE, {"input": elsewhere}, token=s.other_manager.token)
        == "FORBIDDEN"
    )
    own = {"name": unique("svc"), "team": s.team, "escalationPolicyId": policy_id}
    await client.data(CREATE_SERVICE, {"input": own}, token=s.manager.token)


async def test_integration_keys_of_a_service_are_managed_by_its_team_managers(
    client: GraphQLClient,
) -> None:
    s = await scene(client)
    draft = {"input": {"name": "prometheus", "serviceId": s.service_id}}
    for user in (s.viewer, s.responder, *s.denied):
        assert await client.error_code(CREATE_KEY, draft, token=user.token) == "FORBIDDEN"
        assert await client.error_code(KEYS, {"id": s.service_id}, token=user.token) == "FORBIDDEN"
    key = (await client.data(CREATE_KEY, draft, token=s.manager.token))["createIntegrationKey"]
    listed = await client.data(KEYS, {"id": s.service_id}, token=s.manager.token)
    assert [k["id"] for k in listed["integrationKeys"]] == [key["id"]]
    for user in (s.responder, *s.denied):
        assert await client.error_code(DELETE_KEY, {"id": key["id"]}, token=user.token) == (
            "FORBIDDEN"
        )
    assert (await client.data(DELETE_KEY, {"id": key["id"]}, token=s.manager.token))[
        "deleteIntegrationKey"
    ]
    assert (await client.data(KEYS, {"id": s.service_id}))["integrationKeys"] == []


async def test_integration_keys_bound_to_no_service_are_for_admins(client: GraphQLClient) -> None:
    s = await scene(client)
    draft = {"input": {"name": "any-service"}}
    assert await client.error_code(CREATE_KEY, draft, token=s.manager.token) == "FORBIDDEN"
    assert await client.error_code(KEYS, {}, token=s.manager.token) == "FORBIDDEN"
    key = (await client.data(CREATE_KEY, draft))["createIntegrationKey"]
    assert key["id"] in {k["id"] for k in (await client.data(KEYS))["integrationKeys"]}
    assert await client.error_code(DELETE_KEY, {"id": key["id"]}, token=s.manager.token) == (
        "FORBIDDEN"
    )
    assert (await client.data(DELETE_KEY, {"id": key["id"]}))["deleteIntegrationKey"]


async def test_heartbeats_of_a_service_are_configured_by_its_team_managers(
    client: GraphQLClient,
) -> None:
    s = await scene(client)
    draft = {"input": {"name": "nightly", "serviceId": s.service_id, "intervalSeconds": 3600}}
    for user in (s.viewer, s.responder, *s.denied):
        assert await client.error_code(CREATE_HEARTBEAT, draft, token=user.token) == "FORBIDDEN"
    created = await client.data(CREATE_HEARTBEAT, draft, token=s.manager.token)
    heartbeat_id = created["createHeartbeat"]["heartbeat"]["id"]
    assert heartbeat_id in await ids(client, HEARTBEATS, "heartbeats", s.viewer)
    for user in s.denied:
        assert heartbeat_id not in await ids(client, HEARTBEATS, "heartbeats", user)
        assert (
            await client.error_code(DELETE_HEARTBEAT, {"id": heartbeat_id}, token=user.token)
            == "FORBIDDEN"
        )
    elsewhere = await client.data(
        CREATE_SERVICE, {"input": {"name": unique("svc"), "team": s.other}}
    )
    move = {
        "id": heartbeat_id,
        "input": {**draft["input"], "serviceId": elsewhere["createService"]["id"]},
    }
    for user in (s.manager, s.other_manager):
        assert await client.error_code(UPDATE_HEARTBEAT, move, token=user.token) == "FORBIDDEN"
    await client.data(UPDATE_HEARTBEAT, move)
    await client.data(DELETE_HEARTBEAT, {"id": heartbeat_id}, token=s.other_manager.token)


async def test_maintenance_windows_need_configure_in_each_service_team(
    client: GraphQLClient,
) -> None:
    s = await scene(client)
    times = {"startsAt": "2030-01-01T00:00:00Z", "endsAt": "2030-01-01T02:00:00Z"}
    draft = {"input": {"name": "upgrade", "serviceIds": [s.service_id], **times}}
    for user in (s.viewer, s.responder, *s.denied):
        assert await client.error_code(CREATE_WINDOW, draft, token=user.token) == "FORBIDDEN"
    created = await client.data(CREATE_WINDOW, draft, token=s.manager.token)
    window_id = created["createMaintenanceWindow"]["id"]
    assert window_id in await ids(client, WINDOWS, "maintenanceWindows", s.viewer)
    for user in s.denied:
        assert window_id not in await ids(client, WINDOWS, "maintenanceWindows", user)
        assert (
            await client.error_code(DELETE_WINDOW, {"id": window_id}, token=user.token)
            == "FORBIDDEN"
        )
    await client.data(DELETE_WINDOW, {"id": window_id}, token=s.manager.token)

    everywhere = {
        "input": {
            "name": "freeze",
            "matchers": [{"name": "env", "op": "EQUAL", "value": "x"}],
            **times,
        }
    }
    assert await client.error_code(CREATE_WINDOW, everywhere, token=s.manager.token) == (
        "FORBIDDEN"
    )
    window_id = (await client.data(CREATE_WINDOW, everywhere))["createMaintenanceWindow"]["id"]
    assert window_id in await ids(client, WINDOWS, "maintenanceWindows", s.other_manager)
    await client.data(DELETE_WINDOW, {"id": window_id})


async def test_a_key_bound_to_a_service_ingests_only_into_that_service(
    server: LiveServer, client: GraphQLClient
) -> None:
    s = await scene(client)
    draft = {"input": {"name": "monitor", "serviceId": s.service_id}}
    key = (await client.data(CREATE_KEY, draft, token=s.manager.token))["createIntegrationKey"]
    target = (await client.data(CREATE_SERVICE, {"input": {"name": unique("target")}}))[
        "createService"
    ]
    alert = {"summary": "disk full", "service": target["name"], "dedupKey": unique("disk")}
    response = await post(server, "/webhooks/generic", alert, token=key["secret"])
    assert response.status_code == 200, response.text
    [incident] = await incidents_of(client, s.service_id)
    assert incident["alerts"][0]["dedupKey"] == alert["dedupKey"]
    assert await incidents_of(client, target["id"]) == []


async def test_a_team_that_owns_a_schedule_or_policy_cannot_be_deleted(
    client: GraphQLClient,
) -> None:
    s = await scene(client)
    delete_team = "mutation($slug: ID!) { deleteTeam(slug: $slug) { slug } }"
    created = await client.data(CREATE_SCHEDULE, {"input": schedule_input(s.manager, s.other)})
    assert await client.error_code(delete_team, {"slug": s.other}) == "CONFLICT"
    await client.data(DELETE_SCHEDULE, {"id": created["createSchedule"]["id"]})
    policy = await client.data(CREATE_POLICY, {"input": policy_input(s.manager, s.other)})
    assert await client.error_code(delete_team, {"slug": s.other}) == "CONFLICT"
    await client.data(DELETE_POLICY, {"id": policy["createEscalationPolicy"]["id"]})
    assert (await client.data(delete_team, {"slug": s.other}))["deleteTeam"] == {"slug": s.other}
