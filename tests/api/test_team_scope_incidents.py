"""Incidents and what hangs off them are in the scope of the team owning their service.

A team T owns a service S. T's members read S's incidents and act on them as their team
role allows; a member of another team and a global responder in no team are refused and
do not see S's things in any list. Incidents of a service no team owns keep the global
roles' rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api.helpers import RoleUser, new_team, team_member, user_for_role
from tests.api.queries import ACKNOWLEDGE, ADD_NOTE, CREATE_SERVICE, INGEST, RESOLVE
from tests.support import GraphQLClient, LiveServer, eventually, subscribe, unique

CREATE_TEAM_SERVICE = """mutation($input: CreateServiceInput!) {
  createService(input: $input) { id name team } }"""
INCIDENT = "query($id: ID!) { incident(id: $id) { id status service { id } } }"
INCIDENTS = """query($first: Int!, $filter: IncidentFilter) {
  incidents(first: $first, filter: $filter) { edges { node { id } } } }"""
ALERTS = "query { alerts(first: 100) { edges { node { id serviceName } } } }"
POSTMORTEMS = "query { postmortems(first: 100) { edges { node { id incidentId } } } }"
CREATE_POSTMORTEM = "mutation($id: ID!) { createPostmortem(incidentId: $id) { id } }"
ANALYTICS = """query($from: DateTime!, $until: DateTime!) {
  analytics(from: $from, until: $until, groupBy: SERVICE) { groups { label } } }"""
SET_PRIORITY = """mutation($id: ID!) {
  setIncidentPriority(incidentId: $id, priority: P1) { id } }"""
MERGE = """mutation($target: ID!, $sources: [ID!]!) {
  mergeIncidents(input: {targetId: $target, sourceIds: $sources}) { id alertCount } }"""
POST_UPDATE = """mutation($id: ID!) {
  postStatusUpdate(input: {incidentId: $id, audience: INTERNAL, body: "on it"}) {
    statusUpdate { id } } }"""
REMOVE_MEMBER = """mutation($slug: ID!, $userId: ID!) {
  removeTeamMember(slug: $slug, userId: $userId) { role } }"""
EVENTS = """subscription($filter: IncidentEventFilter) {
  incidentEvents(filter: $filter) { kind incident { id } } }"""
INCIDENT_UPDATES = "subscription($id: ID!) { incident(id: $id) { id status } }"


@dataclass(frozen=True)
class Scene:
    team: str
    service_id: str
    service_name: str
    viewer: RoleUser
    responder: RoleUser
    manager: RoleUser
    outsider: RoleUser
    """A responder of another team."""
    loner: RoleUser
    """A global responder in no team."""


@pytest.fixture
async def scene(client: GraphQLClient) -> Scene:
    team, other = await new_team(client), await new_team(client)
    name = unique("scoped")
    service = (await client.data(CREATE_TEAM_SERVICE, {"input": {"name": name, "team": team}}))[
        "createService"
    ]
    return Scene(
        team=team,
        service_id=service["id"],
        service_name=name,
        viewer=await team_member(client, team, "VIEWER"),
        responder=await team_member(client, team, "RESPONDER"),
        manager=await team_member(client, team, "MANAGER"),
        outsider=await team_member(client, other, "RESPONDER"),
        loner=await user_for_role(client, "RESPONDER"),
    )


async def incident_of(client: GraphQLClient, service: str, summary: str = "down") -> str:
    data = await client.data(INGEST, {"alerts": [{"summary": summary, "service": service}]})
    incident_id: str = data["ingestAlerts"][0]["incident"]["id"]
    return incident_id


async def listed_ids(client: GraphQLClient, query: str, token: str, **variables: Any) -> set[str]:
    data = await client.data(query, variables, token=token)
    [connection] = data.values()
    return {edge["node"]["id"] for edge in connection["edges"]}


async def test_members_of_the_owning_team_act_as_their_team_role_allows(
    client: GraphQLClient, scene: Scene
) -> None:
    incident = await incident_of(client, scene.service_name)
    read = await client.data(INCIDENT, {"id": incident}, token=scene.viewer.token)
    assert read["incident"]["service"]["id"] == scene.service_id
    assert await client.error_code(ACKNOWLEDGE, {"id": incident}, token=scene.viewer.token) == (
        "FORBIDDEN"
    )
    assert await client.error_code(
        ADD_NOTE, {"id": incident, "body": "x"}, token=scene.viewer.token
    ) == ("FORBIDDEN")
    acked = await client.data(ACKNOWLEDGE, {"id": incident}, token=scene.responder.token)
    assert acked["acknowledgeIncident"]["acknowledgedBy"] == scene.responder.actor
    note = await client.data(ADD_NOTE, {"id": incident, "body": "x"}, token=scene.responder.token)
    assert note["addIncidentNote"]["actor"] == scene.responder.actor
    await client.data(SET_PRIORITY, {"id": incident}, token=scene.responder.token)
    await client.data(POST_UPDATE, {"id": incident}, token=scene.responder.token)
    resolved = await client.data(RESOLVE, {"id": incident}, token=scene.manager.token)
    assert resolved["resolveIncident"]["status"] == "RESOLVED"
    await client.data(CREATE_POSTMORTEM, {"id": incident}, token=scene.manager.token)
    # The admin may do everything with any team's incident.
    other = await incident_of(client, scene.service_name, "also down")
    assert (await client.data(ACKNOWLEDGE, {"id": other}))["acknowledgeIncident"]["id"] == other


@pytest.mark.parametrize("who", ["outsider", "loner"])
async def test_others_are_refused_and_see_nothing_of_the_teams_service(
    client: GraphQLClient, scene: Scene, who: str
) -> None:
    start = datetime.now(UTC) - timedelta(seconds=2)
    stranger: RoleUser = getattr(scene, who)
    incident = await incident_of(client, scene.service_name)
    await client.data(RESOLVE, {"id": incident})
    postmortem = (await client.data(CREATE_POSTMORTEM, {"id": incident}))["createPostmortem"]
    token = stranger.token
    for mutation in (INCIDENT, ACKNOWLEDGE, RESOLVE, SET_PRIORITY, POST_UPDATE):
        assert await client.error_code(mutation, {"id": incident}, token=token) == "FORBIDDEN"
    assert await client.error_code(ADD_NOTE, {"id": incident, "body": "x"}, token=token) == (
        "FORBIDDEN"
    )
    assert incident not in await listed_ids(client, INCIDENTS, token, first=100)
    alerts = await client.data(ALERTS, token=token)
    assert scene.service_name not in {e["node"]["serviceName"] for e in alerts["alerts"]["edges"]}
    assert postmortem["id"] not in await listed_ids(client, POSTMORTEMS, token)
    window = {"from": start.isoformat(), "until": datetime.now(UTC).isoformat()}
    groups = (await client.data(ANALYTICS, window, token=token))["analytics"]["groups"]
    assert scene.service_name not in {group["label"] for group in groups}
    # What they are refused, the team's viewer sees.
    viewer = scene.viewer.token
    assert incident in await listed_ids(client, INCIDENTS, viewer, first=100)
    assert postmortem["id"] in await listed_ids(client, POSTMORTEMS, viewer)
    groups = (await client.data(ANALYTICS, window, token=viewer))["analytics"]["groups"]
    assert scene.service_name in {group["label"] for group in groups}


async def test_a_page_of_incidents_is_full_of_readable_ones(
    client: GraphQLClient, scene: Scene
) -> None:
    """Filtered in the store query: other teams' newer incidents do not shorten the page."""
    second = unique("second")
    created = await client.data(
        CREATE_TEAM_SERVICE, {"input": {"name": second, "team": scene.team}}
    )
    # Two services, so that correlation cannot fold the two incidents into one.
    mine = {await incident_of(client, name, "mine") for name in (scene.service_name, second)}
    elsewhere = await new_team(client)
    hidden = unique("hidden")
    theirs = await client.data(CREATE_TEAM_SERVICE, {"input": {"name": hidden, "team": elsewhere}})
    for n in range(3):
        await incident_of(client, hidden, f"theirs {n}")
    # Only these three services: incidents other tests left behind are not in the way.
    services = [scene.service_id, created["createService"]["id"], theirs["createService"]["id"]]
    page = await listed_ids(
        client, INCIDENTS, scene.viewer.token, first=2, filter={"serviceIds": services}
    )
    assert len(mine) == 2 and page == mine


async def test_merging_needs_respond_on_every_incident(client: GraphQLClient, scene: Scene) -> None:
    second = unique("scoped")
    await client.data(CREATE_TEAM_SERVICE, {"input": {"name": second, "team": scene.team}})
    target = await incident_of(client, scene.service_name, "first")
    source = await incident_of(client, second, "second")
    assert source != target
    unowned = await incident_of(client, unique("unowned"))
    # Team responders are global viewers: an incident no team owns is not theirs to merge.
    assert await client.error_code(
        MERGE, {"target": target, "sources": [unowned]}, token=scene.responder.token
    ) == ("FORBIDDEN")
    assert await client.error_code(
        MERGE, {"target": target, "sources": [source]}, token=scene.loner.token
    ) == ("FORBIDDEN")
    merged = await client.data(
        MERGE, {"target": target, "sources": [source]}, token=scene.responder.token
    )
    assert merged["mergeIncidents"]["alertCount"] == 2


SUBSCRIBE = """mutation($input: StakeholderSubscriptionInput!) {
  subscribeStakeholder(input: $input) { subscription { id } } }"""
SUBSCRIPTIONS = "query { stakeholderSubscriptions { id } }"
UNSUBSCRIBE = "mutation($id: ID!) { unsubscribeStakeholder(id: $id) }"
CREATE_ACTION_ITEM = """mutation($id: ID!, $owner: ID!) {
  createActionItem(postmortemId: $id, input: {ownerId: $owner, title: "fix it"}) { id } }"""
ACTION_ITEMS = "query { actionItems(first: 100) { edges { node { id } } } }"
CHANGE_EVENTS = """query($id: ID!, $since: DateTime!) {
  changeEvents(serviceId: $id, since: $since) { id } }"""


async def test_subscriptions_action_items_and_changes_follow_the_service_team(
    client: GraphQLClient, scene: Scene
) -> None:
    incident = await incident_of(client, scene.service_name)
    outside = {"incidentId": incident, "kind": "EMAIL", "address": "boss@example.com"}
    assert await _code(client, SUBSCRIBE, {"input": outside}, scene.outsider.token) == ("FORBIDDEN")
    # Subscribing an outside address needs RESPOND in the team: not a viewer's to do.
    assert await _code(client, SUBSCRIBE, {"input": outside}, scene.viewer.token) == "FORBIDDEN"
    subscribed = await client.data(SUBSCRIBE, {"input": outside}, token=scene.responder.token)
    subscription = subscribed["subscribeStakeholder"]["subscription"]["id"]
    listed = await client.data(SUBSCRIPTIONS, token=scene.viewer.token)
    assert subscription in {s["id"] for s in listed["stakeholderSubscriptions"]}
    listed = await client.data(SUBSCRIPTIONS, token=scene.loner.token)
    assert subscription not in {s["id"] for s in listed["stakeholderSubscriptions"]}
    assert await _code(client, UNSUBSCRIBE, {"id": subscription}, scene.loner.token) == (
        "FORBIDDEN"
    )
    await client.data(RESOLVE, {"id": incident})
    postmortem = (await client.data(CREATE_POSTMORTEM, {"id": incident}))["createPostmortem"]
    owner = {"id": postmortem["id"], "owner": scene.viewer.id}
    assert await _code(client, CREATE_ACTION_ITEM, owner, scene.outsider.token) == "FORBIDDEN"
    item = (await client.data(CREATE_ACTION_ITEM, owner, token=scene.responder.token))[
        "createActionItem"
    ]
    assert item["id"] in await listed_ids(client, ACTION_ITEMS, scene.viewer.token)
    assert item["id"] not in await listed_ids(client, ACTION_ITEMS, scene.outsider.token)
    since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    changes = {"id": scene.service_id, "since": since}
    assert await _code(client, CHANGE_EVENTS, changes, scene.outsider.token) == "FORBIDDEN"
    await client.data(CHANGE_EVENTS, changes, token=scene.viewer.token)


async def test_incidents_of_a_service_no_team_owns_keep_the_global_roles(
    client: GraphQLClient, scene: Scene
) -> None:
    name = unique("unowned")
    await client.data(CREATE_SERVICE, {"input": {"name": name}})
    incident = await incident_of(client, name)
    # Team members are global viewers: they read it but may not act on it.
    await client.data(INCIDENT, {"id": incident}, token=scene.outsider.token)
    assert incident in await listed_ids(client, INCIDENTS, scene.viewer.token, first=100)
    assert await client.error_code(ACKNOWLEDGE, {"id": incident}, token=scene.responder.token) == (
        "FORBIDDEN"
    )
    acked = await client.data(ACKNOWLEDGE, {"id": incident}, token=scene.loner.token)
    assert acked["acknowledgeIncident"]["acknowledgedBy"] == scene.loner.actor


async def test_event_stream_stops_once_the_member_is_removed(
    server: LiveServer, client: GraphQLClient, scene: Scene
) -> None:
    member = scene.viewer
    created = {"filter": {"serviceIds": [scene.service_id], "kinds": ["CREATED"]}}
    async with subscribe(server, EVENTS, created, token=member.token) as events:
        first = await incident_of(client, scene.service_name, "first")
        event = (await events.next())["data"]["incidentEvents"]
        assert event["incident"]["id"] == first
        await client.data(REMOVE_MEMBER, {"slug": scene.team, "userId": member.id})
        # The caller is checked again at most a second later; allow for that.
        await eventually(lambda: _forbidden(client, member.token, first))
        for n in range(3):
            await incident_of(client, scene.service_name, f"after {n}")
        assert await events.nothing_within(1.5)


async def _forbidden(client: GraphQLClient, token: str, incident: str) -> bool:
    return await _code(client, INCIDENT, {"id": incident}, token) == "FORBIDDEN"


async def _code(
    client: GraphQLClient, query: str, variables: dict[str, Any], token: str
) -> str | None:
    """The code of the first error, None when the call succeeded."""
    errors = (await client.execute(query, variables, token=token)).get("errors")
    return errors[0]["extensions"]["code"] if errors else None


async def test_incident_subscription_ends_forbidden_once_the_member_is_removed(
    server: LiveServer, client: GraphQLClient, scene: Scene
) -> None:
    member = scene.viewer
    incident = await incident_of(client, scene.service_name)
    async with subscribe(server, INCIDENT_UPDATES, {"id": incident}, token=member.token) as live:
        await client.data(ACKNOWLEDGE, {"id": incident})
        assert (await live.next())["data"]["incident"]["status"] == "ACKNOWLEDGED"
        await client.data(REMOVE_MEMBER, {"slug": scene.team, "userId": member.id})
        await eventually(lambda: _forbidden(client, member.token, incident))
        await client.data(RESOLVE, {"id": incident})
        ended = await live.next()
        assert ended["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_revoked_token_ends_the_event_stream(
    server: LiveServer, client: GraphQLClient, scene: Scene
) -> None:
    member = scene.responder
    filter_ = {"filter": {"serviceIds": [scene.service_id]}}
    async with subscribe(server, EVENTS, filter_, token=member.token) as events:
        first = await incident_of(client, scene.service_name, "first")
        assert (await events.next())["data"]["incidentEvents"]["incident"]["id"] == first
        tokens = server.app.state.runtime.db["api_tokens"]
        await tokens.delete_many({"user_id": member.id})
        await eventually(lambda: _unauthenticated(client, member.token))
        await incident_of(client, scene.service_name, "second")
        ended = await events.next()
        assert ended["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def _unauthenticated(client: GraphQLClient, token: str) -> bool:
    return await _code(client, "{ me { id } }", {}, token) == "UNAUTHENTICATED"
