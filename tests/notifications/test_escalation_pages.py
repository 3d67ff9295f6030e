"""The whole path: an alert, its service's policy, a page, a signed webhook, the ack link."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from tests.api.escalation import create_policy, service_with_policy, step, trigger, user_target
from tests.notifications.receivers import HttpReceiver
from tests.notifications.scene import arrived, contact, person
from tests.support import GraphQLClient, LiveServer, eventually, subscribe, unique

EVENTS = """subscription($f: IncidentEventFilter) {
  incidentEvents(filter: $f) { kind } }"""
STATUS = """query($id: ID!) { incident(id: $id) { status acknowledgedBy
  notifications { status step } } }"""


async def test_an_escalation_step_pages_and_the_link_stops_it(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    path = f"/oncall/{unique('e')}"
    await contact(notify_client, who, "WEBHOOK", receiver.url + path)
    policy = await create_policy(notify_client, [step(30, user_target(who.id))])
    service = await service_with_policy(notify_client, policy["id"])
    async with subscribe(notify_server, EVENTS, {"f": {"serviceIds": [service["id"]]}}) as events:
        opened = await trigger(notify_client, service["name"])
        [delivery] = await arrived(lambda: receiver.delivered(path), seconds=30)
        kinds = [(await events.next())["data"]["incidentEvents"]["kind"] for _ in range(3)]
    assert kinds == ["CREATED", "PAGED", "NOTIFIED"]

    body = delivery.json()
    assert body["incident"]["id"] == opened["id"]
    assert body["incident"]["service"] == service["name"]

    link = notify_server.url + urlsplit(body["links"]["acknowledge"]).path
    async with httpx.AsyncClient() as http:
        assert (await http.post(link)).status_code == 200

    async def acknowledged() -> dict[str, object]:
        found: dict[str, object] = (await notify_client.data(STATUS, {"id": opened["id"]}))[
            "incident"
        ]
        return found if found["status"] == "ACKNOWLEDGED" else {}

    found = await eventually(acknowledged)
    assert found["acknowledgedBy"] == f"user:{who.name}"
    assert found["notifications"] == [{"status": "SENT", "step": 1}]
