"""What `vigil demo` registers before the storm: services, dependencies, on-call, policy.

Every step finds what an earlier run created (by name) and reuses it, so the demo can run
again against the same server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from domain.errors import ValidationError
from vigil.demo_client import DemoClient

SCHEDULE_NAME = "online-boutique-primary"
POLICY_NAME = "online-boutique"

SERVICES = "{ services { id name } }"
CREATE_SERVICE = (
    "mutation($input: CreateServiceInput!) { createService(input: $input) { id name } }"
)
UPDATE_SERVICE = """mutation($id: ID!, $input: UpdateServiceInput!) {
  updateService(id: $id, input: $input) { id } }"""
ME = "{ me { id name } }"
SCHEDULES = "{ schedules { id name } }"
CREATE_SCHEDULE = "mutation($input: CreateScheduleInput!) { createSchedule(input: $input) { id } }"
POLICIES = "{ escalationPolicies { id name } }"
CREATE_POLICY = """mutation($input: EscalationPolicyInput!) {
  createEscalationPolicy(input: $input) { id } }"""


@dataclass(frozen=True, slots=True)
class Topology:
    services: list[str]
    depends_on: dict[str, list[str]]
    """Service -> the services it calls."""


@dataclass
class SetupReport:
    services_created: int = 0
    services: dict[str, str] = field(default_factory=dict)
    """Name -> id."""
    notes: list[str] = field(default_factory=list)


def read_topology(path: Path) -> Topology:
    """A {nodes, edges: [[caller, callee]], optional_nodes} object; optional nodes are left out."""
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        optional = set(raw.get("optional_nodes", []))
        services = [name for name in raw["nodes"] if name not in optional]
        depends_on: dict[str, list[str]] = {name: [] for name in services}
        for caller, callee in raw["edges"]:
            if caller in depends_on and callee in depends_on:
                depends_on[caller].append(callee)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(
            f"cannot read the topology {path}: {exc}",
            suggestion="Reinstall Vigil: the demo's topology fixture is damaged.",
        ) from exc
    return Topology(services, depends_on)


async def register(client: DemoClient, topology: Topology) -> SetupReport:
    report = SetupReport()
    me = (await client.data(ME))["me"]
    await _services(client, topology, report)
    schedule_id = await _schedule(client, me["id"], report)
    if schedule_id is not None:
        await _policy(client, schedule_id, report)
    return report


async def _services(client: DemoClient, topology: Topology, report: SetupReport) -> None:
    known = {s["name"]: s["id"] for s in (await client.data(SERVICES))["services"]}
    # Created first, linked after: a dependency must name a service that exists.
    for name in topology.services:
        if name not in known:
            created = await client.data(CREATE_SERVICE, {"input": {"name": name}})
            known[name] = created["createService"]["id"]
            report.services_created += 1
        report.services[name] = known[name]
    for name in topology.services:
        await client.data(
            UPDATE_SERVICE,
            {"id": known[name], "input": {"dependsOn": topology.depends_on[name]}},
        )


async def _schedule(client: DemoClient, user_id: str, report: SetupReport) -> str | None:
    if not await client.has_mutation("createSchedule"):
        report.notes.append("this server has no schedules: skipped the on-call schedule")
        return None
    for schedule in (await client.data(SCHEDULES))["schedules"]:
        if schedule["name"] == SCHEDULE_NAME:
            schedule_id: str = schedule["id"]
            return schedule_id
    layer = {
        "name": "primary",
        "rotation": {
            "participants": [user_id],
            "handoff": "09:00:00",
            "timeZone": "UTC",
            # A week back: a rotation starting today would leave nobody on call before
            # today's 09:00 hand-off.
            "startsOn": (datetime.now(UTC) - timedelta(weeks=1)).date().isoformat(),
            "shiftLength": {"count": 1, "unit": "WEEKS"},
        },
    }
    created = await client.data(
        CREATE_SCHEDULE, {"input": {"name": SCHEDULE_NAME, "layers": [layer]}}
    )
    report.notes.append(f"created the on-call schedule '{SCHEDULE_NAME}' (you, weekly)")
    schedule_id = created["createSchedule"]["id"]
    return schedule_id


async def _policy(client: DemoClient, schedule_id: str, report: SetupReport) -> None:
    if not await client.has_mutation("createEscalationPolicy"):
        report.notes.append("this server has no escalation policies: skipped the policy")
        return
    policy_id = next(
        (
            p["id"]
            for p in (await client.data(POLICIES))["escalationPolicies"]
            if p["name"] == POLICY_NAME
        ),
        None,
    )
    if policy_id is None:
        step = {"escalateAfterMinutes": 15, "targets": [{"kind": "SCHEDULE", "id": schedule_id}]}
        created = await client.data(
            CREATE_POLICY,
            {"input": {"name": POLICY_NAME, "steps": [step], "repeats": 1}},
        )
        policy_id = created["createEscalationPolicy"]["id"]
        report.notes.append(f"created the escalation policy '{POLICY_NAME}'")
    for service_id in report.services.values():
        await client.data(
            UPDATE_SERVICE, {"id": service_id, "input": {"escalationPolicyId": policy_id}}
        )
