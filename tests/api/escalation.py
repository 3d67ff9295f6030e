"""GraphQL documents and scene-setting shared by the escalation tests."""

from __future__ import annotations

from typing import Any

from tests.api.queries import CREATE_SERVICE, INGEST
from tests.api.schedules import create_schedule, layer, new_user
from tests.support import GraphQLClient, unique

POLICY_FIELDS = "id name description repeats steps { escalateAfterMinutes targets { kind id } }"
CREATE_POLICY = (
    "mutation($input: EscalationPolicyInput!) { createEscalationPolicy(input: $input) {"
    + POLICY_FIELDS
    + "} }"
)
UPDATE_POLICY = (
    "mutation($id: ID!, $input: EscalationPolicyInput!) {"
    " updateEscalationPolicy(id: $id, input: $input) {" + POLICY_FIELDS + "} }"
)
DELETE_POLICY = "mutation($id: ID!) { deleteEscalationPolicy(id: $id) }"
POLICIES = "{ escalationPolicies { " + POLICY_FIELDS + " } }"
ESCALATE = "mutation($id: ID!) { escalateIncident(id: $id) { id status } }"
REASSIGN = """mutation($id: ID!, $input: ReassignInput!) {
  reassignIncident(id: $id, input: $input) { id status } }"""
WHO_IS_ON_CALL = "query($id: ID!) { whoIsOnCall(serviceId: $id) { id name } }"
ESCALATION = """query($id: ID!) { incident(id: $id) { status
  escalation { state policyId cycle step nextStepAt generation startedAt stoppedReason }
  timeline(first: 50) { edges { node { kind actor message } } } } }"""
UPDATE_SERVICE = """mutation($id: ID!, $input: UpdateServiceInput!) {
  updateService(id: $id, input: $input) { id escalationPolicyId } }"""


def user_target(user_id: str) -> dict[str, str]:
    return {"kind": "USER", "id": user_id}


def schedule_target(schedule_id: str) -> dict[str, str]:
    return {"kind": "SCHEDULE", "id": schedule_id}


def step(minutes: float, *targets: dict[str, str]) -> dict[str, Any]:
    return {"escalateAfterMinutes": minutes, "targets": list(targets)}


async def create_policy(
    client: GraphQLClient, steps: list[dict[str, Any]], *, repeats: int = 0
) -> dict[str, Any]:
    data = await client.data(
        CREATE_POLICY, {"input": {"name": unique("policy"), "steps": steps, "repeats": repeats}}
    )
    policy: dict[str, Any] = data["createEscalationPolicy"]
    return policy


async def on_call_schedule(client: GraphQLClient, user_id: str) -> str:
    """A schedule with ``user_id`` on call around the clock."""
    schedule = await create_schedule(client, [layer([user_id], starts_on="2026-01-01")])
    return str(schedule["id"])


async def empty_schedule(client: GraphQLClient, user_id: str) -> str:
    """A schedule with nobody on call now (its rotation starts in 2030)."""
    schedule = await create_schedule(client, [layer([user_id], starts_on="2030-01-01")])
    return str(schedule["id"])


async def users(client: GraphQLClient, count: int) -> list[str]:
    return [(await new_user(client))[0] for _ in range(count)]


async def service_with_policy(client: GraphQLClient, policy_id: str) -> dict[str, Any]:
    data = await client.data(
        CREATE_SERVICE, {"input": {"name": unique("svc"), "escalationPolicyId": policy_id}}
    )
    service: dict[str, Any] = data["createService"]
    return service


async def trigger(client: GraphQLClient, service_name: str) -> dict[str, Any]:
    """Ingest one alert on the service; the incident it opened."""
    data = await client.data(
        INGEST, {"alerts": [{"summary": "checkout is down", "service": service_name}]}
    )
    incident: dict[str, Any] = data["ingestAlerts"][0]["incident"]
    return incident
