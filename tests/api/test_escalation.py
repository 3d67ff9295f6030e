"""Escalation end to end, in one server: policies page the right people, in order, on time.

Pages are read back from the engine's page log (``escalation_pages``), which the
engine writes before handing each page to notifications.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from domain.alert.model import Severity
from domain.escalation.page_log import COLLECTION as PAGES
from domain.ids import new_id
from domain.incident.model import Incident, IncidentStatus
from domain.incident.repository import IncidentRepository
from tests.api.escalation import (
    CREATE_POLICY,
    DELETE_POLICY,
    ESCALATE,
    ESCALATION,
    POLICIES,
    REASSIGN,
    UPDATE_SERVICE,
    WHO_IS_ON_CALL,
    create_policy,
    empty_schedule,
    on_call_schedule,
    schedule_target,
    service_with_policy,
    step,
    trigger,
    user_target,
    users,
)
from tests.api.helpers import token_for_role
from tests.api.queries import ACKNOWLEDGE, CREATE_SERVICE, RESOLVE
from tests.support import GraphQLClient, LiveServer, eventually, subscribe, unique

STEP_SECONDS = 3
"""Step 1 is given this long before step 2 fires (0.05 minutes)."""
TICK_SLACK_MS = 2000
"""How late a step may fire: the escalation tick is 1 s, plus a loaded machine."""


async def pages_of(server: LiveServer, incident_id: str) -> list[dict[str, Any]]:
    pages = await server.stored(PAGES, {"incident_id": incident_id})
    return sorted(pages, key=lambda p: (p["cycle"], p["step"], p["requested_ms"]))


async def wait_for_pages(server: LiveServer, incident_id: str, count: int) -> list[dict[str, Any]]:
    async def enough() -> list[dict[str, Any]]:
        pages = await pages_of(server, incident_id)
        return pages if len(pages) >= count else []

    return await eventually(enough, seconds=15)


async def escalation(client: GraphQLClient, incident_id: str) -> dict[str, Any]:
    incident: dict[str, Any] = (await client.data(ESCALATION, {"id": incident_id}))["incident"]
    return incident


async def test_two_steps_page_in_order_and_on_time(
    server: LiveServer, client: GraphQLClient
) -> None:
    first, second = await users(client, 2)
    schedule = await on_call_schedule(client, first)
    policy = await create_policy(
        client,
        [step(STEP_SECONDS / 60, schedule_target(schedule)), step(10, user_target(second))],
    )
    service = await service_with_policy(client, policy["id"])
    created_ms = datetime.now(UTC).timestamp() * 1000
    incident = await trigger(client, service["name"])

    pages = await wait_for_pages(server, incident["id"], 2)
    assert [(p["user_id"], p["cycle"], p["step"]) for p in pages] == [
        (first, 1, 1),
        (second, 1, 2),
    ]
    assert all(p["requests"] == 1 for p in pages)
    assert pages[0]["requested_ms"] - created_ms <= TICK_SLACK_MS
    gap = pages[1]["requested_ms"] - pages[0]["requested_ms"]
    assert STEP_SECONDS * 1000 <= gap <= STEP_SECONDS * 1000 + TICK_SLACK_MS
    assert pages[0]["incident_number"] == incident["number"]
    assert pages[0]["service_name"] == service["name"]

    # Pages are recorded before the run moves on: the run ends a moment later.
    async def exhausted() -> dict[str, Any]:
        state = await escalation(client, incident["id"])
        return state if state["escalation"]["state"] == "EXHAUSTED" else {}

    state = await eventually(exhausted)
    paged = [e["node"] for e in state["timeline"]["edges"] if e["node"]["kind"] == "PAGED"]
    assert len(paged) == 2
    assert all(entry["actor"] == "system:escalation" for entry in paged)
    await asyncio.sleep(1.5)
    assert len(await pages_of(server, incident["id"])) == 2


async def test_acknowledging_stops_step_two(server: LiveServer, client: GraphQLClient) -> None:
    first, second = await users(client, 2)
    policy = await create_policy(
        client, [step(STEP_SECONDS / 60, user_target(first)), step(10, user_target(second))]
    )
    service = await service_with_policy(client, policy["id"])
    incident = await trigger(client, service["name"])
    await wait_for_pages(server, incident["id"], 1)
    await client.data(ACKNOWLEDGE, {"id": incident["id"]})

    state = await escalation(client, incident["id"])
    assert state["escalation"]["state"] == "STOPPED"
    assert state["escalation"]["stoppedReason"] == "incident acknowledged"
    await asyncio.sleep(STEP_SECONDS + 1.5)
    assert [p["user_id"] for p in await pages_of(server, incident["id"])] == [first]


async def test_resolving_stops_escalation(server: LiveServer, client: GraphQLClient) -> None:
    [first] = await users(client, 1)
    policy = await create_policy(client, [step(STEP_SECONDS / 60, user_target(first))], repeats=3)
    service = await service_with_policy(client, policy["id"])
    incident = await trigger(client, service["name"])
    await wait_for_pages(server, incident["id"], 1)
    await client.data(RESOLVE, {"id": incident["id"]})
    await asyncio.sleep(STEP_SECONDS + 1.5)
    assert len(await pages_of(server, incident["id"])) == 1
    assert (await escalation(client, incident["id"]))["escalation"]["state"] == "STOPPED"


async def test_a_step_with_nobody_on_call_is_skipped_at_once(
    server: LiveServer, client: GraphQLClient
) -> None:
    first, second = await users(client, 2)
    nobody = await empty_schedule(client, first)
    policy = await create_policy(
        client, [step(10, schedule_target(nobody)), step(10, user_target(second))]
    )
    service = await service_with_policy(client, policy["id"])
    created_ms = datetime.now(UTC).timestamp() * 1000
    incident = await trigger(client, service["name"])

    [page] = await wait_for_pages(server, incident["id"], 1)
    assert (page["user_id"], page["step"]) == (second, 2)
    assert page["requested_ms"] - created_ms <= TICK_SLACK_MS * 2

    async def skipped_then_paged() -> bool:
        timeline = (await escalation(client, incident["id"]))["timeline"]["edges"]
        kinds = [e["node"]["kind"] for e in timeline]
        return "ESCALATED" in kinds and "PAGED" in kinds

    await eventually(skipped_then_paged)


async def test_the_policy_repeats(server: LiveServer, client: GraphQLClient) -> None:
    [first] = await users(client, 1)
    policy = await create_policy(client, [step(1 / 60, user_target(first))], repeats=2)
    service = await service_with_policy(client, policy["id"])
    incident = await trigger(client, service["name"])
    pages = await wait_for_pages(server, incident["id"], 3)
    assert [p["cycle"] for p in pages] == [1, 2, 3]
    await asyncio.sleep(2.5)
    assert len(await pages_of(server, incident["id"])) == 3


async def test_escalate_by_hand_fires_the_next_step_now(
    server: LiveServer, client: GraphQLClient
) -> None:
    first, second = await users(client, 2)
    policy = await create_policy(
        client, [step(30, user_target(first)), step(30, user_target(second))]
    )
    service = await service_with_policy(client, policy["id"])
    incident = await trigger(client, service["name"])
    await wait_for_pages(server, incident["id"], 1)

    responder = await token_for_role(client, "RESPONDER")
    await client.data(ESCALATE, {"id": incident["id"]}, token=responder)
    pages = await wait_for_pages(server, incident["id"], 2)
    assert [p["user_id"] for p in pages] == [first, second]
    messages = [e["node"] for e in (await escalation(client, incident["id"]))["timeline"]["edges"]]
    assert any(m["kind"] == "ESCALATED" and m["actor"].startswith("user:") for m in messages)

    # The policy is exhausted now: nothing further to escalate to.
    async def exhausted() -> bool:
        state = (await escalation(client, incident["id"]))["escalation"]["state"]
        return bool(state == "EXHAUSTED")

    await eventually(exhausted)
    code = await client.error_code(ESCALATE, {"id": incident["id"]})
    assert code == "INVALID_TRANSITION"


async def test_reassign_restarts_with_a_person_or_a_policy(
    server: LiveServer, client: GraphQLClient
) -> None:
    first, second, third = await users(client, 3)
    policy = await create_policy(client, [step(30, user_target(first))])
    other = await create_policy(client, [step(30, user_target(third))])
    service = await service_with_policy(client, policy["id"])
    incident = await trigger(client, service["name"])
    await wait_for_pages(server, incident["id"], 1)

    await client.data(REASSIGN, {"id": incident["id"], "input": {"userIds": [second]}})
    pages = await wait_for_pages(server, incident["id"], 2)
    assert [p["user_id"] for p in pages][-1] == second
    state = await escalation(client, incident["id"])
    assert state["escalation"]["generation"] == 2
    assert state["escalation"]["policyId"] is None

    await client.data(REASSIGN, {"id": incident["id"], "input": {"policyId": other["id"]}})
    pages = await wait_for_pages(server, incident["id"], 3)
    assert {p["user_id"] for p in pages} == {first, second, third}
    state = await escalation(client, incident["id"])
    assert state["escalation"]["generation"] == 3
    assert state["escalation"]["policyId"] == other["id"]
    assert "REASSIGNED" in [e["node"]["kind"] for e in state["timeline"]["edges"]]

    both = {"userIds": [second], "policyId": other["id"]}
    assert await client.error_code(REASSIGN, {"id": incident["id"], "input": both}) == "VALIDATION"


async def test_pages_and_escalations_are_subscription_events(
    server: LiveServer, client: GraphQLClient
) -> None:
    [first] = await users(client, 1)
    policy = await create_policy(client, [step(30, user_target(first))])
    service = await service_with_policy(client, policy["id"])
    query = """subscription($f: IncidentEventFilter) {
      incidentEvents(filter: $f) { kind incident { id } } }"""
    async with subscribe(
        server, query, {"f": {"serviceIds": [service["id"]], "kinds": ["PAGED"]}}
    ) as events:
        incident = await trigger(client, service["name"])
        event = (await events.next())["data"]["incidentEvents"]
    assert event == {"kind": "PAGED", "incident": {"id": incident["id"]}}


async def test_who_is_on_call_follows_the_first_step_with_someone(
    server: LiveServer, client: GraphQLClient
) -> None:
    first, second = await users(client, 2)
    nobody = await empty_schedule(client, first)
    policy = await create_policy(
        client, [step(5, schedule_target(nobody)), step(5, user_target(second))]
    )
    service = await service_with_policy(client, policy["id"])
    viewer = await token_for_role(client, "VIEWER")
    on_call = (await client.data(WHO_IS_ON_CALL, {"id": service["id"]}, token=viewer))[
        "whoIsOnCall"
    ]
    assert [u["id"] for u in on_call] == [second]
    plain = (await client.data(CREATE_SERVICE, {"input": {"name": unique("plain")}}))[
        "createService"
    ]
    assert (await client.data(WHO_IS_ON_CALL, {"id": plain["id"]}))["whoIsOnCall"] == []


async def test_a_lost_start_is_recovered_by_the_sweep(
    server: LiveServer, client: GraphQLClient
) -> None:
    """An incident written but never announced (a crash in between) still escalates."""
    [first] = await users(client, 1)
    policy = await create_policy(client, [step(30, user_target(first))])
    service = await service_with_policy(client, policy["id"])
    now = datetime.now(UTC)
    repository = IncidentRepository(server.app.state.runtime.db)
    incident = Incident(
        id=new_id(),
        number=await repository.allocate_numbers(1),
        title="written, never announced",
        status=IncidentStatus.TRIGGERED,
        severity=Severity.CRITICAL,
        service_id=service["id"],
        created_at=now,
        first_event_at=now,
        last_event_at=now,
        alert_count=1,
        open_alert_count=1,
    )
    await repository.insert_many([incident])
    [page] = await wait_for_pages(server, incident.id, 1)
    assert page["user_id"] == first


async def test_policies_are_configured_by_admins_and_read_by_responders(
    server: LiveServer, client: GraphQLClient
) -> None:
    [first] = await users(client, 1)
    responder = await token_for_role(client, "RESPONDER")
    steps = [step(5, user_target(first))]
    forbidden = await client.error_code(
        CREATE_POLICY, {"input": {"name": unique("p"), "steps": steps}}, token=responder
    )
    assert forbidden == "FORBIDDEN"
    policy = await create_policy(client, steps)
    listed = (await client.data(POLICIES, token=responder))["escalationPolicies"]
    assert policy in listed

    viewer = await token_for_role(client, "VIEWER")
    service = await service_with_policy(client, policy["id"])
    incident = await trigger(client, service["name"])
    assert await client.error_code(ESCALATE, {"id": incident["id"]}, token=viewer) == "FORBIDDEN"


async def test_invalid_policies_name_the_field(server: LiveServer, client: GraphQLClient) -> None:
    [first] = await users(client, 1)
    body = await client.execute(
        CREATE_POLICY,
        {"input": {"name": unique("p"), "steps": [step(0, user_target(first))]}},
    )
    assert body["errors"][0]["extensions"]["field"] == "steps[0].escalateAfterMinutes"
    # Fuzzing finding: minutes beyond any timedelta used to fail as INTERNAL.
    endless = {"name": unique("p"), "steps": [step(1.44e12, user_target(first))]}
    body = await client.execute(CREATE_POLICY, {"input": endless})
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert body["errors"][0]["extensions"]["field"] == "steps[0].escalateAfterMinutes"
    body = await client.execute(
        CREATE_POLICY,
        {
            "input": {
                "name": unique("p"),
                "steps": [step(5, user_target(first), user_target(new_id()))],
            }
        },
    )
    assert body["errors"][0]["extensions"]["field"] == "steps[0].targets[1].id"
    assert body["errors"][0]["extensions"]["suggestion"]


async def test_a_policy_in_use_cannot_be_deleted(server: LiveServer, client: GraphQLClient) -> None:
    [first] = await users(client, 1)
    policy = await create_policy(client, [step(5, user_target(first))])
    service = await service_with_policy(client, policy["id"])
    assert await client.error_code(DELETE_POLICY, {"id": policy["id"]}) == "CONFLICT"
    cleared = await client.data(
        UPDATE_SERVICE, {"id": service["id"], "input": {"clearEscalationPolicy": True}}
    )
    assert cleared["updateService"]["escalationPolicyId"] is None
    assert (await client.data(DELETE_POLICY, {"id": policy["id"]}))["deleteEscalationPolicy"]
    unknown = await client.error_code(
        UPDATE_SERVICE, {"id": service["id"], "input": {"escalationPolicyId": policy["id"]}}
    )
    assert unknown == "VALIDATION"
