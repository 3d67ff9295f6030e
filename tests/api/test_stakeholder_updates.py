"""Stakeholder updates through the API, delivered by the real outbox worker to a real SMTP
server (aiosmtpd) and a real HTTP receiver."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from domain.stakeholder.ports import PublicStatusChannel
from notifications.config import NotificationConfig, SmtpConfig
from tests.api.helpers import open_incident
from tests.api.queries import ACKNOWLEDGE, CREATE_SERVICE, INGEST
from tests.notifications.receivers import HttpReceiver, Received, SmtpReceiver
from tests.notifications.scene import Person, arrived, contact, person
from tests.support import (
    ADMIN_TOKEN,
    GraphQLClient,
    LiveServer,
    eventually,
    live_server,
    subscribe,
    unique,
)
from vigil.settings import Settings

POST = """mutation($input: PostStatusUpdateInput!) { postStatusUpdate(input: $input) {
  notified publicIncidents
  statusUpdate { id incidentId audience body state templateId author authorId postedAt } } }"""
SUBSCRIBE = """mutation($input: StakeholderSubscriptionInput!) {
  subscribeStakeholder(input: $input) { signingSecret
    subscription { id incidentId serviceId userId contactMethodId kind address name } } }"""
UNSUBSCRIBE = "mutation($id: ID!) { unsubscribeStakeholder(id: $id) }"
SUBSCRIPTIONS = """query($incidentId: ID, $serviceId: ID) {
  stakeholderSubscriptions(incidentId: $incidentId, serviceId: $serviceId) { id address kind } }"""
UPDATES = """query($id: ID!) { incident(id: $id) {
  statusUpdates { id body audience state author }
  timeline(first: 50) { edges { node { kind message actor } } }
  notifications { statusUpdateId userId channel status } } }"""
CREATE_TEMPLATE = """mutation($input: StatusUpdateTemplateInput!) {
  createStatusUpdateTemplate(input: $input) { id name body createdBy } }"""
UPDATE_TEMPLATE = """mutation($id: ID!, $input: StatusUpdateTemplateInput!) {
  updateStatusUpdateTemplate(id: $id, input: $input) { id name body createdAt updatedAt } }"""
DELETE_TEMPLATE = "mutation($id: ID!) { deleteStatusUpdateTemplate(id: $id) }"
TEMPLATES = "{ statusUpdateTemplates { id name updatedAt } }"
RENDER = """query($id: ID!, $incidentId: ID!) {
  renderStatusUpdateTemplate(id: $id, incidentId: $incidentId) }"""
POSTED_EVENTS = """subscription {
  incidentEvents(filter: {kinds: [STATUS_UPDATE_POSTED]}) { kind incident { id } } }"""
SERVICE_OF = "query($id: ID!) { incident(id: $id) { serviceId service { name } } }"


@pytest.fixture(scope="module")
async def server(
    tmp_path_factory: pytest.TempPathFactory, smtp: SmtpReceiver
) -> AsyncIterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("vigil-stakeholders")
    settings = Settings(
        data_dir=data_dir,
        admin_token=ADMIN_TOKEN,
        worker_interval_s=1,
        notifications=NotificationConfig(
            smtp=SmtpConfig(port=smtp.port, sender="vigil@test.example")
        ),
    )
    async with live_server(data_dir, settings=settings) as running:
        yield running


async def subscribe_outside(
    client: GraphQLClient, kind: str, address: str, **scope: str
) -> dict[str, Any]:
    created: dict[str, Any] = (
        await client.data(SUBSCRIBE, {"input": {**scope, "kind": kind, "address": address}})
    )["subscribeStakeholder"]
    return created


async def subscribe_own(
    client: GraphQLClient, user: Person, contact_method_id: str, **scope: str
) -> dict[str, Any]:
    """`user` subscribes themself, through one of their own contact methods."""
    created: dict[str, Any] = (
        await client.data(
            SUBSCRIBE, {"input": {**scope, "contactMethodId": contact_method_id}}, token=user.token
        )
    )["subscribeStakeholder"]
    return created


async def subscribed_inbox(client: GraphQLClient, name: str, incident_id: str) -> str:
    """A fresh address outside Vigil, subscribed to the incident by e-mail."""
    address = f"{unique(name)}@example.com"
    await subscribe_outside(client, "EMAIL", address, incidentId=incident_id)
    return address


async def subscribed_hook(
    client: GraphQLClient, receiver: HttpReceiver, **scope: str
) -> tuple[str, dict[str, Any]]:
    """A fresh path on the local receiver, subscribed as a webhook: (path, subscription)."""
    path = f"/{unique('hook')}"
    created = await subscribe_outside(client, "WEBHOOK", f"{receiver.url}{path}", **scope)
    return path, created


async def post(
    client: GraphQLClient, token: str, incident_id: str, audience: str, **input: str
) -> dict[str, Any]:
    variables = {"input": {**input, "incidentId": incident_id, "audience": audience}}
    posted: dict[str, Any] = (await client.data(POST, variables, token=token))["postStatusUpdate"]
    return posted


async def mail_to(smtp: SmtpReceiver, address: str) -> Message:
    return (await arrived(lambda: smtp.to(address)))[0]


def text_of(mail: Message) -> str:
    text = mail.get_payload()
    assert isinstance(text, str), "a single-part text message"
    return text


def signed_by(secret: str, request: Received) -> bool:
    fields = dict(part.split("=", 1) for part in request.headers["vigil-signature"].split(","))
    expected = hmac.new(
        secret.encode(), f"{fields['t']}.".encode() + request.body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


async def test_an_internal_update_reaches_a_subscribed_inbox_and_webhook(
    client: GraphQLClient,
    server: LiveServer,
    smtp: SmtpReceiver,
    receiver: HttpReceiver,
) -> None:
    incident = await open_incident(client, summary="checkout p99 above 2s")
    responder = await person(client)
    inbox = await subscribed_inbox(client, "cto", incident["id"])
    path, hook = await subscribed_hook(client, receiver, incidentId=incident["id"])
    assert hook["signingSecret"].startswith("vws_")
    assert hook["subscription"]["userId"] is None

    async with subscribe(server, POSTED_EVENTS) as events:
        posted = await post(
            client,
            responder.token,
            incident["id"],
            "INTERNAL",
            state="IDENTIFIED",
            body="A bad deploy of payments; rolling back.",
        )
        event = (await events.next())["data"]["incidentEvents"]
    assert event == {"kind": "STATUS_UPDATE_POSTED", "incident": {"id": incident["id"]}}
    update = posted["statusUpdate"]
    assert posted["notified"] == 2 and posted["publicIncidents"] is None
    assert update["author"] == f"user:{responder.name}" and update["authorId"] == responder.id

    mail = await mail_to(smtp, inbox)
    assert mail["Subject"] == (
        f"[Vigil] Update on #{incident['number']} [IDENTIFIED] checkout p99 above 2s"
    )
    text = text_of(mail)
    assert "A bad deploy of payments; rolling back." in text
    assert f"Posted by: user:{responder.name}" in text
    assert "Acknowledge" not in text and "/warroom" not in text

    delivered = (await arrived(lambda: receiver.delivered(path)))[0]
    body = delivered.json()
    assert body["event"] == "incident.status_update"
    assert body["status_update"]["id"] == update["id"]
    assert body["status_update"]["body"] == "A bad deploy of payments; rolling back."
    assert body["status_update"]["state"] == "identified"
    assert body["incident"]["id"] == incident["id"]
    assert body["links"]["acknowledge"] is None
    assert signed_by(hook["signingSecret"], delivered)

    async def all_sent() -> dict[str, Any]:
        found: dict[str, Any] = (await client.data(UPDATES, {"id": incident["id"]}))["incident"]
        statuses = [n["status"] for n in found["notifications"]]
        return found if statuses == ["SENT", "SENT"] else {}

    found = await eventually(all_sent)
    assert [u["id"] for u in found["statusUpdates"]] == [update["id"]]
    timeline = [e["node"] for e in found["timeline"]["edges"]]
    posted_entry = [e for e in timeline if e["kind"] == "STATUS_UPDATE_POSTED"]
    assert posted_entry == [
        {
            "kind": "STATUS_UPDATE_POSTED",
            "message": "Internal update (identified): A bad deploy of payments; rolling back.",
            "actor": f"user:{responder.name}",
        }
    ]
    # Reaching stakeholders is not a page: no NOTIFICATION_SENT entries for them.
    assert "NOTIFICATION_SENT" not in [e["kind"] for e in timeline]
    sent = [n for n in found["notifications"] if n["statusUpdateId"] == update["id"]]
    assert sorted(n["channel"] for n in sent) == ["EMAIL", "WEBHOOK"]
    assert all(n["userId"] is None for n in sent)


async def test_a_service_subscription_receives_updates_of_a_new_incident_of_that_service(
    client: GraphQLClient, smtp: SmtpReceiver, receiver: HttpReceiver
) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("payments")}}))[
        "createService"
    ]
    viewer = await person(client, "VIEWER")
    own = await contact(client, viewer, "EMAIL", f"{viewer.name}@example.com", delay=None)
    mine = await subscribe_own(client, viewer, own["contactMethod"]["id"], serviceId=service["id"])
    assert mine["subscription"]["userId"] == viewer.id
    # The same person subscribed to the service and to the incident hears once.
    path, _ = await subscribed_hook(client, receiver, serviceId=service["id"])

    incident = (
        await client.data(
            INGEST, {"alerts": [{"summary": "card payments failing", "service": service["name"]}]}
        )
    )["ingestAlerts"][0]["incident"]
    await subscribe_own(client, viewer, own["contactMethod"]["id"], incidentId=incident["id"])
    listed = (await client.data(SUBSCRIPTIONS, {"serviceId": service["id"]}))[
        "stakeholderSubscriptions"
    ]
    assert len(listed) == 2

    responder = await person(client)
    posted = await post(
        client,
        responder.token,
        incident["id"],
        "INTERNAL",
        body="Card payments fail for 30% of customers.",
    )
    assert posted["notified"] == 2

    text = text_of(await mail_to(smtp, f"{viewer.name}@example.com"))
    assert "Card payments fail for 30% of customers." in text
    assert f"Service: {service['name']}" in text
    # A user of Vigil gets the link to the incident (never an acknowledge link).
    assert f"/warroom#incident={incident['id']}" in text
    hook = (await arrived(lambda: receiver.delivered(path)))[0].json()
    assert hook["incident"]["id"] == incident["id"]
    assert hook["incident"]["service"] == service["name"]
    assert len(smtp.to(f"{viewer.name}@example.com")) == 1


async def test_a_responders_update_reaches_the_people_on_the_incident_only(
    client: GraphQLClient, smtp: SmtpReceiver
) -> None:
    incident = await open_incident(client)
    acknowledger = await person(client)
    await contact(client, acknowledger, "EMAIL", f"{acknowledger.name}@example.com")
    await client.data(ACKNOWLEDGE, {"id": incident["id"]}, token=acknowledger.token)
    bystander = await subscribed_inbox(client, "board", incident["id"])

    posted = await post(
        client,
        acknowledger.token,
        incident["id"],
        "RESPONDERS",
        body="Handing over to the database team at 18:00.",
    )
    assert posted["notified"] == 1
    mail = await mail_to(smtp, f"{acknowledger.name}@example.com")
    assert "Handing over to the database team" in text_of(mail)

    later = await post(
        client,
        acknowledger.token,
        incident["id"],
        "INTERNAL",
        state="MONITORING",
        body="Fixed; watching.",
    )
    assert later["notified"] == 1
    only = text_of(await mail_to(smtp, bystander))
    assert "Fixed; watching." in only
    assert "Handing over" not in only
    found = (await client.data(UPDATES, {"id": incident["id"]}))["incident"]
    assert [u["body"] for u in found["statusUpdates"]] == [
        "Fixed; watching.",
        "Handing over to the database team at 18:00.",
    ]
    assert [u["audience"] for u in found["statusUpdates"]] == ["INTERNAL", "RESPONDERS"]


async def test_templates_render_placeholders_and_refuse_unknown_ones(
    client: GraphQLClient,
) -> None:
    incident = await open_incident(client, summary="search results empty")
    service = (await client.data(SERVICE_OF, {"id": incident["id"]}))["incident"]
    name = unique("investigating")
    template = (
        await client.data(
            CREATE_TEMPLATE,
            {
                "input": {
                    "name": name,
                    "body": "We are investigating #{incident.number} ({incident.title}) on "
                    "{service.name}; status {incident.status}. {{no placeholder}}",
                }
            },
        )
    )["createStatusUpdateTemplate"]
    assert template["createdBy"] == "user:admin"
    expected = (
        f"We are investigating #{incident['number']} (search results empty) on "
        f"{service['service']['name']}; status triggered. {{no placeholder}}"
    )
    rendered = await client.data(RENDER, {"id": template["id"], "incidentId": incident["id"]})
    assert rendered["renderStatusUpdateTemplate"] == expected

    responder = await person(client)
    posted = await post(
        client, responder.token, incident["id"], "INTERNAL", templateId=template["id"]
    )
    assert posted["statusUpdate"]["body"] == expected
    assert posted["statusUpdate"]["templateId"] == template["id"]

    typo = await client.execute(
        CREATE_TEMPLATE, {"input": {"name": unique("t"), "body": "Fixed {servce.name}"}}
    )
    error = typo["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION"
    assert "Did you mean '{service.name}'?" in error["extensions"]["suggestion"]
    assert error["extensions"]["field"] == "body"

    taken = await client.error_code(CREATE_TEMPLATE, {"input": {"name": name, "body": "x"}})
    assert taken == "CONFLICT"
    other = await client.data(CREATE_TEMPLATE, {"input": {"name": unique("t"), "body": "x"}})
    other_id = other["createStatusUpdateTemplate"]["id"]
    renamed = {"id": other_id, "input": {"name": name, "body": "x"}}
    assert await client.error_code(UPDATE_TEMPLATE, renamed) == "CONFLICT"
    changed = (
        await client.data(
            UPDATE_TEMPLATE,
            {"id": template["id"], "input": {"name": name, "body": "Resolved: {incident.title}"}},
        )
    )["updateStatusUpdateTemplate"]
    assert changed["body"] == "Resolved: {incident.title}"
    assert datetime.fromisoformat(changed["updatedAt"]) > datetime.fromisoformat(
        changed["createdAt"]
    )
    rendered = await client.data(RENDER, {"id": template["id"], "incidentId": incident["id"]})
    assert rendered["renderStatusUpdateTemplate"] == "Resolved: search results empty"
    stored = {t["id"]: t for t in (await client.data(TEMPLATES))["statusUpdateTemplates"]}
    assert stored[template["id"]]["updatedAt"] == changed["updatedAt"]
    assert await client.data(DELETE_TEMPLATE, {"id": template["id"]})
    names = [t["name"] for t in (await client.data(TEMPLATES))["statusUpdateTemplates"]]
    assert name not in names


async def test_roles_viewers_read_responders_post_admins_write_templates(
    client: GraphQLClient,
) -> None:
    incident = await open_incident(client)
    viewer = await person(client, "VIEWER")
    responder = await person(client)
    update = {"incidentId": incident["id"], "audience": "INTERNAL", "body": "Looking into it."}

    assert await client.error_code(POST, {"input": update}, token=viewer.token) == "FORBIDDEN"
    outside = {"incidentId": incident["id"], "kind": "EMAIL", "address": "ceo@example.com"}
    assert await client.error_code(SUBSCRIBE, {"input": outside}, token=viewer.token) == "FORBIDDEN"
    template = {"name": unique("t"), "body": "{incident.title}"}
    assert (
        await client.error_code(CREATE_TEMPLATE, {"input": template}, token=responder.token)
        == "FORBIDDEN"
    )
    # Someone else's contact method is not the viewer's to subscribe with.
    other = await contact(client, responder, "EMAIL", f"{responder.name}@example.com", delay=None)
    foreign = {"incidentId": incident["id"], "contactMethodId": other["contactMethod"]["id"]}
    assert await client.error_code(SUBSCRIBE, {"input": foreign}, token=viewer.token) == "FORBIDDEN"

    await post(client, responder.token, incident["id"], "INTERNAL", body=update["body"])
    read = (await client.data(UPDATES, {"id": incident["id"]}, token=viewer.token))["incident"]
    assert [u["body"] for u in read["statusUpdates"]] == ["Looking into it."]

    created = await subscribe_outside(client, "EMAIL", "ceo@example.com", incidentId=incident["id"])
    assert await client.error_code(SUBSCRIBE, {"input": outside}) == "CONFLICT"
    assert (
        await client.error_code(
            UNSUBSCRIBE, {"id": created["subscription"]["id"]}, token=viewer.token
        )
        == "FORBIDDEN"
    )
    assert await client.data(
        UNSUBSCRIBE, {"id": created["subscription"]["id"]}, token=responder.token
    )


async def test_invalid_input_is_refused_with_the_field_named(client: GraphQLClient) -> None:
    incident = await open_incident(client)
    neither = await client.execute(
        POST, {"input": {"incidentId": incident["id"], "audience": "PUBLIC"}}
    )
    assert neither["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert neither["errors"][0]["extensions"]["field"] == "body"
    both_scopes = {
        "incidentId": incident["id"],
        "serviceId": "nope",
        "kind": "EMAIL",
        "address": "a@example.com",
    }
    assert await client.error_code(SUBSCRIBE, {"input": both_scopes}) == "VALIDATION"
    bad_address = {"incidentId": incident["id"], "kind": "EMAIL", "address": "not-an-address"}
    assert await client.error_code(SUBSCRIBE, {"input": bad_address}) == "VALIDATION"
    missing = {"incidentId": "0" * 24, "audience": "INTERNAL", "body": "x"}
    assert await client.error_code(POST, {"input": missing}) == "NOT_FOUND"


@dataclass
class RecordingStatusPage:
    """Stands in for the status pages (H3's service, which the lead wires in
    api/container.py): it only records what the PublicStatusChannel port is asked."""

    calls: list[tuple[str, str, str | None, datetime]] = field(default_factory=list)

    async def post_incident_update(
        self, incident_id: str, *, body: str, state: str | None, at: datetime
    ) -> int:
        self.calls.append((incident_id, body, state, at))
        return 1


async def test_a_public_update_goes_to_the_public_status_channel(
    client: GraphQLClient, server: LiveServer, smtp: SmtpReceiver
) -> None:
    """The real PublicStatusChannel (the status pages) is wired by the lead; this test attaches
    a recording implementation of the port to the running server, and checks that only
    PUBLIC updates reach it, with their state, and that subscribers hear them too."""
    incident = await open_incident(client)
    inbox = await subscribed_inbox(client, "press", incident["id"])
    responder = await person(client)
    page = RecordingStatusPage()
    channel: PublicStatusChannel = page
    updates = server.app.state.container.stakeholders.updates
    updates.publish_publicly_through(channel)
    try:
        internal = await post(client, responder.token, incident["id"], "INTERNAL", body="Internal.")
        public = await post(
            client,
            responder.token,
            incident["id"],
            "PUBLIC",
            state="MONITORING",
            body="A fix is live; we are monitoring.",
        )
    finally:
        updates.publish_publicly_through(None)
    assert internal["publicIncidents"] is None
    assert public["publicIncidents"] == 1
    posted_at = datetime.fromisoformat(public["statusUpdate"]["postedAt"])
    assert page.calls == [
        (incident["id"], "A fix is live; we are monitoring.", "monitoring", posted_at)
    ]
    mails = await arrived(lambda: smtp.to(inbox) if len(smtp.to(inbox)) == 2 else [])
    texts = [text_of(m) for m in mails]
    assert any("A fix is live; we are monitoring." in t for t in texts)
    assert any("Internal." in t for t in texts)


async def test_without_a_public_channel_a_public_update_still_reaches_subscribers(
    client: GraphQLClient, smtp: SmtpReceiver
) -> None:
    incident = await open_incident(client)
    inbox = await subscribed_inbox(client, "press", incident["id"])
    responder = await person(client)
    public = await post(client, responder.token, incident["id"], "PUBLIC", body="Degraded.")
    assert public["publicIncidents"] is None and public["notified"] == 1
    assert "Degraded." in text_of(await mail_to(smtp, inbox))
