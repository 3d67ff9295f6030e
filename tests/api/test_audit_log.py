"""The audit log records configuration changes (who, what, when, before and after),
never a secret, and only admins read it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from domain.secrets import hash_secret
from tests.api.escalation import CREATE_POLICY, DELETE_POLICY, UPDATE_POLICY, step, user_target
from tests.api.helpers import RoleUser, user_for_role
from tests.api.queries import CREATE_KEY, CREATE_SERVICE, CREATE_TOKEN
from tests.api.schedules import CREATE_SCHEDULE, layer, new_user
from tests.api.statuspage import CREATE_COMPONENT, CREATE_PAGE, UPDATE_COMPONENT
from tests.notifications.scene import CREATE_METHOD
from tests.support import ADMIN_TOKEN, GraphQLClient, unique

AUDIT_LOG = """query($filter: AuditFilter, $first: Int!, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id action resourceType resourceId resourceName before after at
      requestId actor { kind id name } } }
    pageInfo { hasNextPage endCursor } } }"""
UPDATE_SERVICE = """mutation($id: ID!, $input: UpdateServiceInput!) {
  updateService(id: $id, input: $input) { id description } }"""
UPDATE_SCHEDULE = """mutation($id: ID!, $input: UpdateScheduleInput!) {
  updateSchedule(id: $id, input: $input) { id name } }"""
DELETE_SCHEDULE = "mutation($id: ID!) { deleteSchedule(id: $id) }"
CREATE_SILENCE = "mutation($input: SilenceInput!) { createSilence(input: $input) { id } }"
EXPIRE_SILENCE = "mutation($id: ID!) { expireSilence(id: $id) { id endsAt } }"


async def entries(
    client: GraphQLClient, filter: dict[str, Any], *, first: int = 50, token: str | None = None
) -> list[dict[str, Any]]:
    data = await client.data(AUDIT_LOG, {"filter": filter, "first": first}, token=token)
    return [edge["node"] for edge in data["auditLog"]["edges"]]


async def history(client: GraphQLClient, resource_type: str, resource_id: str) -> list[str]:
    """The actions recorded for one resource, newest first."""
    found = await entries(client, {"resourceType": resource_type, "resourceId": resource_id})
    return [entry["action"] for entry in found]


async def admin(client: GraphQLClient) -> RoleUser:
    return await user_for_role(client, "ADMIN")


async def test_service_creation_and_update_record_actor_before_and_after(
    client: GraphQLClient,
) -> None:
    who = await admin(client)
    started = datetime.now(UTC) - timedelta(seconds=1)
    name = unique("audited")
    service = (
        await client.data(
            CREATE_SERVICE, {"input": {"name": name, "description": "old"}}, token=who.token
        )
    )["createService"]
    await client.data(
        UPDATE_SERVICE, {"id": service["id"], "input": {"description": "new"}}, token=who.token
    )

    updated, created = await entries(
        client, {"resourceType": "SERVICE", "resourceId": service["id"]}
    )
    assert created["action"] == "CREATE" and updated["action"] == "UPDATE"
    assert created["before"] is None and created["after"]["name"] == name
    assert created["after"]["description"] == "old"
    assert updated["before"]["description"] == "old" and updated["after"]["description"] == "new"
    for entry in (created, updated):
        assert entry["actor"] == {"kind": "USER", "id": who.id, "name": who.name}
        assert entry["resourceName"] == name
        assert started <= datetime.fromisoformat(entry["at"]) <= datetime.now(UTC)


async def test_schedule_creation_update_and_deletion_are_recorded(client: GraphQLClient) -> None:
    user_id, _, _ = await new_user(client)
    schedule = (
        await client.data(
            CREATE_SCHEDULE,
            {"input": {"name": unique("s"), "layers": [layer([user_id], starts_on="2026-01-01")]}},
        )
    )["createSchedule"]
    await client.data(UPDATE_SCHEDULE, {"id": schedule["id"], "input": {"name": "renamed"}})
    await client.data(DELETE_SCHEDULE, {"id": schedule["id"]})

    deleted, updated, created = await entries(
        client, {"resourceType": "SCHEDULE", "resourceId": schedule["id"]}
    )
    assert [deleted["action"], updated["action"], created["action"]] == [
        "DELETE",
        "UPDATE",
        "CREATE",
    ]
    assert created["after"]["layers"][0]["participants"] == [user_id]
    assert updated["before"]["name"] == schedule["name"] and updated["after"]["name"] == "renamed"
    assert deleted["before"]["name"] == "renamed" and deleted["after"] is None


async def test_escalation_policy_lifecycle_is_recorded(client: GraphQLClient) -> None:
    user_id, _, _ = await new_user(client)
    name = unique("policy")
    policy = (
        await client.data(
            CREATE_POLICY, {"input": {"name": name, "steps": [step(5, user_target(user_id))]}}
        )
    )["createEscalationPolicy"]
    await client.data(
        UPDATE_POLICY,
        {"id": policy["id"], "input": {"name": name, "steps": [step(10, user_target(user_id))]}},
    )
    await client.data(DELETE_POLICY, {"id": policy["id"]})

    deleted, updated, created = await entries(
        client, {"resourceType": "ESCALATION_POLICY", "resourceId": policy["id"]}
    )
    assert (deleted["action"], updated["action"], created["action"]) == (
        "DELETE",
        "UPDATE",
        "CREATE",
    )
    assert updated["before"] == created["after"] and updated["after"] == deleted["before"]
    assert updated["before"] != updated["after"]
    assert deleted["after"] is None and deleted["resourceName"] == name


async def test_silences_are_recorded_with_the_responder_who_set_them(
    client: GraphQLClient,
) -> None:
    responder = await user_for_role(client, "RESPONDER")
    now = datetime.now(UTC)
    silence = (
        await client.data(
            CREATE_SILENCE,
            {
                "input": {
                    "matchers": [{"name": "service", "op": "EQUAL", "value": unique("quiet")}],
                    "endsAt": (now + timedelta(hours=1)).isoformat(),
                    "comment": "deploy",
                }
            },
            token=responder.token,
        )
    )["createSilence"]
    await client.data(EXPIRE_SILENCE, {"id": silence["id"]}, token=responder.token)

    expired, created = await entries(
        client, {"resourceType": "SILENCE", "resourceId": silence["id"]}
    )
    assert (expired["action"], created["action"]) == ("UPDATE", "CREATE")
    assert expired["actor"]["id"] == created["actor"]["id"] == responder.id
    assert created["resourceName"] == "deploy"
    assert expired["after"]["ends_at"] < expired["before"]["ends_at"]


async def test_secrets_never_reach_the_log(client: GraphQLClient) -> None:
    who = await admin(client)
    key = (await client.data(CREATE_KEY, {"input": {"name": unique("key")}}, token=who.token))[
        "createIntegrationKey"
    ]
    token = (
        await client.data(
            CREATE_TOKEN, {"input": {"name": "ci", "userId": who.id}}, token=who.token
        )
    )["createApiToken"]
    method = (
        await client.data(
            CREATE_METHOD,
            {"input": {"kind": "WEBHOOK", "address": "https://hooks.example.com/vigil"}},
            token=who.token,
        )
    )["createContactMethod"]
    secrets = [key["secret"], token["secret"], method["signingSecret"]]
    assert all(secrets)

    logged = await entries(client, {"actorId": who.id})
    kinds = {entry["resourceType"]: entry for entry in logged}
    assert kinds["INTEGRATION_KEY"]["after"]["secret_hash"] == "[redacted]"
    assert kinds["API_TOKEN"]["after"]["secret_hash"] == "[redacted]"
    assert kinds["CONTACT_METHOD"]["after"]["signing_secret"] == "[redacted]"
    assert kinds["CONTACT_METHOD"]["after"]["address"] == "https://hooks.example.com/vigil"
    text = json.dumps(logged)
    for secret in secrets:
        assert secret not in text
    stored = json.dumps(await client.server.stored("audit_log", {"actor_id": who.id}), default=str)
    for secret in secrets:
        assert secret not in stored and hash_secret(secret) not in stored


async def test_only_admins_read_the_log(client: GraphQLClient) -> None:
    key = (await client.data(CREATE_KEY, {"input": {"name": unique("key")}}))[
        "createIntegrationKey"
    ]
    for token in (
        (await user_for_role(client, "VIEWER")).token,
        (await user_for_role(client, "RESPONDER")).token,
        key["secret"],
    ):
        assert await client.error_code(AUDIT_LOG, {"first": 1}, token=token) == "FORBIDDEN"


async def test_pages_run_newest_first_without_overlap_and_filters_narrow(
    client: GraphQLClient,
) -> None:
    who = await admin(client)
    made = [
        (await client.data(CREATE_SERVICE, {"input": {"name": unique("p")}}, token=who.token))[
            "createService"
        ]["id"]
        for _ in range(5)
    ]
    mine = {"actorId": who.id, "resourceType": "SERVICE"}
    seen: list[str] = []
    after: str | None = None
    pages = 0
    while True:
        data = (await client.data(AUDIT_LOG, {"filter": mine, "first": 2, "after": after}))[
            "auditLog"
        ]
        seen += [edge["node"]["resourceId"] for edge in data["edges"]]
        pages += 1
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert pages == 3
    assert seen == list(reversed(made))

    assert await entries(client, {**mine, "resourceId": made[2]}) != []
    assert [e["resourceId"] for e in await entries(client, {**mine, "resourceId": made[2]})] == [
        made[2]
    ]
    assert await entries(client, {**mine, "resourceType": "SCHEDULE"}) == []
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert await entries(client, {**mine, "until": past}) == []
    assert len(await entries(client, {**mine, "since": past})) == 5


async def test_a_bad_filter_or_cursor_is_a_validation_error(client: GraphQLClient) -> None:
    now = datetime.now(UTC)
    backwards = {"since": now.isoformat(), "until": (now - timedelta(hours=1)).isoformat()}
    assert await client.error_code(AUDIT_LOG, {"filter": backwards, "first": 5}) == "VALIDATION"
    assert await client.error_code(AUDIT_LOG, {"first": 5, "after": "nope"}) == "VALIDATION"
    assert await client.error_code(AUDIT_LOG, {"first": 500}) == "VALIDATION"


async def test_an_entry_carries_the_id_of_the_request_that_made_it(
    client: GraphQLClient,
) -> None:
    name = unique("traced")
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"{client.server.url}/graphql",
            json={"query": CREATE_SERVICE, "variables": {"input": {"name": name}}},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "X-Request-ID": "audit-req-1"},
        )
    service = response.json()["data"]["createService"]
    [created] = await entries(client, {"resourceType": "SERVICE", "resourceId": service["id"]})
    assert created["requestId"] == "audit-req-1"


SOON = datetime(2030, 1, 1, tzinfo=UTC)
KINDS: list[tuple[str, str, str, dict[str, Any]]] = [
    # resource type, creating mutation (returning `id`), deleting mutation name, input
    (
        "EVENT_RULE",
        "createEventRule(input: $input) { id }",
        "deleteEventRule",
        {
            "name": "r",
            "matchers": [{"name": "service", "op": "EQUAL", "value": "audit-none"}],
            "actions": {"suppress": True},
        },
    ),
    (
        "MAINTENANCE_WINDOW",
        "createMaintenanceWindow(input: $input) { id }",
        "deleteMaintenanceWindow",
        {
            "name": "w",
            "serviceIds": ["SERVICE"],
            "startsAt": SOON.isoformat(),
            "endsAt": (SOON + timedelta(hours=1)).isoformat(),
        },
    ),
    (
        "HEARTBEAT",
        "createHeartbeat(input: $input) { heartbeat { id } pingPath }",
        "deleteHeartbeat",
        {"name": "nightly", "serviceId": "SERVICE", "intervalSeconds": 3600},
    ),
    (
        "INCIDENT_ROLE",
        "createIncidentRole(input: $input) { id }",
        "deleteIncidentRole",
        {"name": "NAME"},
    ),
    (
        "INCIDENT_TYPE",
        "createIncidentType(input: $input) { id }",
        "deleteIncidentType",
        {"name": "NAME"},
    ),
    (
        "CUSTOM_FIELD",
        "createCustomField(input: $input) { id }",
        "deleteCustomField",
        {"name": "NAME", "kind": "NUMBER"},
    ),
    (
        "STATUS_UPDATE_TEMPLATE",
        "createStatusUpdateTemplate(input: $input) { id }",
        "deleteStatusUpdateTemplate",
        {"name": "NAME", "body": "Investigating {incident.title}."},
    ),
]
INPUT_TYPES = {
    "EVENT_RULE": "EventRuleInput",
    "MAINTENANCE_WINDOW": "MaintenanceWindowInput",
    "HEARTBEAT": "HeartbeatInput",
    "INCIDENT_ROLE": "IncidentRoleInput",
    "INCIDENT_TYPE": "IncidentTypeInput",
    "CUSTOM_FIELD": "CustomFieldInput",
    "STATUS_UPDATE_TEMPLATE": "StatusUpdateTemplateInput",
}


@pytest.mark.parametrize(("kind", "create", "delete", "template"), KINDS, ids=[k[0] for k in KINDS])
async def test_other_configuration_is_recorded_too(
    client: GraphQLClient, kind: str, create: str, delete: str, template: dict[str, Any]
) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("cfg")}}))[
        "createService"
    ]["id"]
    name = unique(kind.lower())
    given = json.loads(
        json.dumps(template)
        .replace('"SERVICE"', json.dumps(service))
        .replace('"NAME"', json.dumps(name))
    )
    document = f"mutation($input: {INPUT_TYPES[kind]}!) {{ made: {create} }}"
    made = (await client.data(document, {"input": given}))["made"]
    item_id = made["heartbeat"]["id"] if "heartbeat" in made else made["id"]
    await client.data(f"mutation($id: ID!) {{ {delete}(id: $id) }}", {"id": item_id})

    deleted, created = await entries(client, {"resourceType": kind, "resourceId": item_id})
    assert (deleted["action"], created["action"]) == ("DELETE", "CREATE")
    assert created["after"] == deleted["before"] and created["before"] is None
    if "pingPath" in made:  # the heartbeat's secret is the last part of its ping path
        secret = made["pingPath"].rsplit("/", 1)[-1]
        assert secret not in json.dumps([deleted, created])
        assert created["after"]["secret_hash"] == "[redacted]"


async def test_status_pages_and_their_components_are_recorded(client: GraphQLClient) -> None:
    page = (await client.data(CREATE_PAGE, {"input": {"slug": unique("audit"), "title": "Shop"}}))[
        "createStatusPage"
    ]
    component = (
        await client.data(CREATE_COMPONENT, {"pageId": page["id"], "input": {"name": "API"}})
    )["createComponent"]
    renamed = {"name": "Public API"}
    await client.data(UPDATE_COMPONENT, {"id": component["id"], "input": renamed})
    await client.data("mutation($id: ID!) { deleteStatusPage(id: $id) }", {"id": page["id"]})

    updated, created = await entries(
        client, {"resourceType": "STATUS_COMPONENT", "resourceId": component["id"]}
    )
    assert (created["action"], updated["action"]) == ("CREATE", "UPDATE")
    assert (updated["before"]["name"], updated["after"]["name"]) == ("API", "Public API")
    deleted, made = await entries(client, {"resourceType": "STATUS_PAGE", "resourceId": page["id"]})
    assert (made["action"], deleted["action"]) == ("CREATE", "DELETE")
    assert deleted["before"]["title"] == "Shop" and deleted["after"] is None
