"""Setting the scene: a user with contact methods, an incident, a page for them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from domain.escalation.paging import PageRequest
from notifications.outbox import OutboxEntry
from tests.api.helpers import open_incident
from tests.api.queries import CREATE_TOKEN, CREATE_USER
from tests.support import GraphQLClient, LiveServer, eventually, unique

T = TypeVar("T")

CREATE_METHOD = """mutation($input: ContactMethodInput!) { createContactMethod(input: $input) {
  signingSecret contactMethod { id kind address label userId } } }"""
CREATE_RULE = """mutation($input: NotificationRuleInput!) { createNotificationRule(input: $input) {
  id contactMethodId delayMinutes } }"""
NOTIFICATIONS = """query($id: ID!) { incident(id: $id) { status acknowledgedBy
  notifications { id status channel contactMethodId lastError sendAfter
    attempts { at outcome error statusCode } }
  timeline(first: 50) { edges { node { kind message } } } } }"""


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    token: str


async def person(client: GraphQLClient, role: str = "RESPONDER") -> Person:
    name = unique(role.lower())
    user = (
        await client.data(
            CREATE_USER, {"input": {"name": name, "email": f"{name}@example.com", "role": role}}
        )
    )["createUser"]
    token = (await client.data(CREATE_TOKEN, {"input": {"name": "t", "userId": user["id"]}}))[
        "createApiToken"
    ]
    return Person(user["id"], name, token["secret"])


async def contact(
    client: GraphQLClient, who: Person, kind: str, address: str, *, delay: int | None = 0
) -> dict[str, Any]:
    """A contact method the person makes for themselves, with a rule (unless delay is None)."""
    created: dict[str, Any] = (
        await client.data(
            CREATE_METHOD, {"input": {"kind": kind, "address": address}}, token=who.token
        )
    )["createContactMethod"]
    if delay is not None:
        await client.data(
            CREATE_RULE,
            {"input": {"contactMethodId": created["contactMethod"]["id"], "delayMinutes": delay}},
            token=who.token,
        )
    return created


async def incident(client: GraphQLClient, title: str = "checkout p99 above 2s") -> dict[str, Any]:
    return await open_incident(client, summary=title)


async def page(
    server: LiveServer, opened: dict[str, Any], who: Person, *, key: str | None = None
) -> PageRequest:
    """What the escalation engine hands the pager, handed to the server's pager."""
    request = await page_request(opened, who, key=key)
    await server.app.state.container.notifications.pager.page([request])
    return request


async def page_request(
    opened: dict[str, Any], who: Person, step: int = 1, *, key: str | None = None
) -> PageRequest:
    return PageRequest(
        key=key or unique("page"),
        incident_id=opened["id"],
        incident_number=opened["number"],
        incident_title=opened["title"],
        severity=opened["severity"],
        service_id="svc",
        service_name="checkout",
        alert_count=opened["alertCount"],
        user_id=who.id,
        step=step,
        cycle=0,
        requested_at=datetime.now(UTC),
    )


async def notifications_of(client: GraphQLClient, incident_id: str) -> dict[str, Any]:
    found: dict[str, Any] = (await client.data(NOTIFICATIONS, {"id": incident_id}))["incident"]
    return found


async def settled(client: GraphQLClient, incident_id: str, count: int = 1) -> dict[str, Any]:
    """The incident once `count` notifications are no longer pending."""

    async def check() -> dict[str, Any]:
        found = await notifications_of(client, incident_id)
        done = [n for n in found["notifications"] if n["status"] != "PENDING"]
        return found if len(done) >= count else {}

    return await eventually(check, seconds=30)


def stored(entries: list[dict[str, Any]]) -> list[OutboxEntry]:
    return [OutboxEntry.from_document(doc) for doc in entries]


async def arrived(check: Callable[[], T], seconds: float = 20) -> T:
    """The first truthy result of a synchronous check (what a receiver has seen so far)."""

    async def poll() -> T:
        return check()

    return await eventually(poll, seconds=seconds)


async def timeline_kinds(client: GraphQLClient, incident_id: str, kind: str) -> list[str]:
    """The incident's timeline kinds once `kind` is on it (it follows the delivery record)."""

    async def check() -> list[str]:
        found = await notifications_of(client, incident_id)
        kinds = [e["node"]["kind"] for e in found["timeline"]["edges"]]
        return kinds if kind in kinds else []

    return await eventually(check)
