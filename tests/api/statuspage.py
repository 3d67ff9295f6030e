"""Setting the scene for status page tests: a Vigil that mails a local SMTP server."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from notifications.config import NotificationConfig, SmtpConfig
from tests.notifications.receivers import SmtpReceiver
from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer, eventually, live_server, unique
from vigil.settings import Settings

CREATE_PAGE = """
mutation($input: StatusPageInput!) {
  createStatusPage(input: $input) { id slug title description }
}"""
CREATE_GROUP = """
mutation($pageId: ID!, $name: String!) {
  createComponentGroup(pageId: $pageId, name: $name) { id name }
}"""
UPDATE_COMPONENT = """
mutation($id: ID!, $input: StatusPageComponentInput!) {
  updateComponent(id: $id, input: $input) { id name serviceIds groupId }
}"""
CREATE_COMPONENT = """
mutation($pageId: ID!, $input: StatusPageComponentInput!) {
  createComponent(pageId: $pageId, input: $input) { id name groupId serviceIds status }
}"""
SET_STATUSES = """
mutation($statuses: [ComponentStatusInput!]!, $incidentId: ID) {
  setComponentStatuses(statuses: $statuses, incidentId: $incidentId) { id status }
}"""
OPEN_PUBLIC = """
mutation($input: PublicIncidentInput!) {
  openPublicIncident(input: $input) { id state internalIncidentId updates { body state author } }
}"""
POST_UPDATE = """
mutation($id: ID!, $body: String!, $state: PublicIncidentState) {
  postPublicIncidentUpdate(id: $id, body: $body, state: $state) { id state resolvedAt }
}"""
SUBSCRIBE = """
mutation($slug: String!, $kind: StatusSubscriberKind!, $address: String!) {
  subscribeToStatusPage(slug: $slug, kind: $kind, address: $address) { message signingSecret }
}"""
PUBLIC_PAGE = """
query($slug: String!) {
  publicStatusPage(slug: $slug) {
    slug title description status summary generatedAt
    groups { id name status components { ...component } }
    components { ...component }
    incidents { ...incident }
    pastIncidents { ...incident }
    maintenance { id title description startsAt endsAt active affected }
  }
}
fragment component on PublicComponent {
  id name description status statusText uptimePercent uptime { date worst operationalPercent }
}
fragment incident on PublicIncident {
  id title impact state affected createdAt updatedAt resolvedAt updates { id body state at }
}"""


def smtp_settings(data_dir: Path, smtp: SmtpReceiver) -> Settings:
    return Settings(
        data_dir=data_dir,
        admin_token=ADMIN_TOKEN,
        worker_interval_s=1,
        escalation_tick_s=0.2,
        notifications=NotificationConfig(
            smtp=SmtpConfig(port=smtp.port, sender="status@test.example"),
            public_url="https://status.example.test",
        ),
    )


@asynccontextmanager
async def status_server(data_dir: Path, smtp: SmtpReceiver) -> AsyncIterator[LiveServer]:
    async with live_server(data_dir, settings=smtp_settings(data_dir, smtp)) as running:
        yield running


async def make_page(
    client: GraphQLClient, components: tuple[str, ...] = ("API", "Dashboard")
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A fresh page with one group holding the named components."""
    slug = unique("status")
    page = (
        await client.data(
            CREATE_PAGE, {"input": {"slug": slug, "title": f"Acme {slug}", "description": "Acme"}}
        )
    )["createStatusPage"]
    group = (await client.data(CREATE_GROUP, {"pageId": page["id"], "name": "Core"}))[
        "createComponentGroup"
    ]
    created = [
        (
            await client.data(
                CREATE_COMPONENT,
                {"pageId": page["id"], "input": {"name": name, "groupId": group["id"]}},
            )
        )["createComponent"]
        for name in components
    ]
    return page, created


async def open_public(
    client: GraphQLClient, page_id: str, title: str, body: str, **more: Any
) -> dict[str, Any]:
    """A public incident opened on the page; `more` takes the other PublicIncidentInput fields."""
    variables = {"input": {"pageId": page_id, "title": title, "body": body, **more}}
    opened: dict[str, Any] = (await client.data(OPEN_PUBLIC, variables))["openPublicIncident"]
    return opened


def local(server: LiveServer, url: str) -> str:
    """A link from a message (built on VIGIL_PUBLIC_URL), pointed at the test server."""
    return server.url + urlsplit(url).path


def link_in(text: str, purpose: str) -> str:
    match = re.search(rf"https?://\S+/{purpose}/\S+", text)
    assert match is not None, f"no {purpose} link in {text!r}"
    return match.group(0)


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


async def mail_to(smtp: SmtpReceiver, address: str, containing: str) -> str:
    """The body of the first message to `address` that contains `containing`."""

    async def find() -> str:
        for message in smtp.to(address):
            text = body_of(message)
            if containing in text or containing in str(message["Subject"]):
                return text
        return ""

    found: str = await eventually(find, seconds=20)
    return found


async def confirmed_subscriber(
    server: LiveServer, client: GraphQLClient, smtp: SmtpReceiver, slug: str
) -> str:
    """An e-mail address subscribed to the page and confirmed through its link."""
    address = f"{unique('reader')}@example.com"
    await client.data(SUBSCRIBE, {"slug": slug, "kind": "EMAIL", "address": address}, token="")
    confirm = link_in(await mail_to(smtp, address, "Confirm"), "confirm")
    async with httpx.AsyncClient() as http:
        response = await http.post(local(server, confirm))
    assert response.status_code == 200, response.text
    return address
