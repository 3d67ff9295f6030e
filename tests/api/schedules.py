"""GraphQL documents and scene-setting shared by the schedule and calendar feed tests."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import token_for_role
from tests.support import GraphQLClient, unique

SCHEDULE_FIELDS = """
id name
layers { index name rotation { participantIds shiftLength { count unit } startsOn handoff
  timeZone } restrictions { weekdays start end } }
overrides { id kind startsAt endsAt userId replaces }
"""
CREATE_SCHEDULE = (
    "mutation($input: CreateScheduleInput!) { createSchedule(input: $input) {"
    + SCHEDULE_FIELDS
    + "} }"
)
SHIFTS = """query($id: ID!, $from: DateTime!, $to: DateTime!) {
  schedule(id: $id) { shifts(from: $from, to: $to) { start end userIds users { name } } } }"""
ONCALL = """query($id: ID!, $at: DateTime) {
  oncall(scheduleId: $id, at: $at) { at userIds users { id name } } }"""
CREATE_OVERRIDE = """mutation($id: ID!, $input: OverrideInput!) {
  createOverride(scheduleId: $id, input: $input) { id kind userId replaces startsAt endsAt } }"""
DELETE_OVERRIDE = "mutation($s: ID!, $id: ID!) { deleteOverride(scheduleId: $s, id: $id) }"


async def new_user(client: GraphQLClient, role: str = "RESPONDER") -> tuple[str, str, str]:
    """(id, name, API token) of a new user with ``role``."""
    token = await token_for_role(client, role)
    me = (await client.data("{ me { id name } }", token=token))["me"]
    return me["id"], me["name"], token


def layer(
    participants: list[str],
    *,
    starts_on: str,
    handoff: str = "09:00:00",
    time_zone: str = "Europe/Berlin",
    count: int = 1,
    unit: str = "DAYS",
    restrictions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "name": "primary",
        "rotation": {
            "participants": participants,
            "shiftLength": {"count": count, "unit": unit},
            "startsOn": starts_on,
            "handoff": handoff,
            "timeZone": time_zone,
        },
        "restrictions": restrictions or [],
    }


async def create_schedule(
    client: GraphQLClient, layers: list[dict[str, Any]], *, token: str | None = None
) -> dict[str, Any]:
    data = await client.data(
        CREATE_SCHEDULE, {"input": {"name": unique("sched"), "layers": layers}}, token=token
    )
    schedule: dict[str, Any] = data["createSchedule"]
    return schedule
