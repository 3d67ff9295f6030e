"""The one-click acknowledge link: GET asks, POST acknowledges, bad links get a clear 4xx."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx

from notifications.ack_links import AckLinks
from notifications.secret_key import SecretKey
from tests.notifications.receivers import HttpReceiver
from tests.notifications.scene import arrived, contact, incident, page, person
from tests.support import GraphQLClient, LiveServer, unique

STATUS = """query($id: ID!) { incident(id: $id) { status acknowledgedBy } }"""


def on(server: LiveServer, link: str) -> str:
    """The link as sent (on VIGIL_PUBLIC_URL), pointed at the test's server."""
    return server.url + urlsplit(link).path


async def links_of(server: LiveServer) -> AckLinks:
    """Links signed with the server's own stored key, at any time we like."""
    key = SecretKey(server.app.state.runtime.db, None)
    return AckLinks(key=key, public_url=server.url, ttl=timedelta(hours=24))


async def test_get_asks_and_post_acknowledges_as_the_paged_user(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    path = f"/ack/{unique('a')}"
    await contact(notify_client, who, "WEBHOOK", receiver.url + path)
    opened = await incident(notify_client, "Login <script>alert(1)</script> failing")
    await page(notify_server, opened, who)
    link = on(
        notify_server,
        (await arrived(lambda: receiver.delivered(path)))[0].json()["links"]["acknowledge"],
    )

    async with httpx.AsyncClient() as http:
        shown = await http.get(link)
        assert shown.status_code == 200
        assert "Acknowledge this incident?" in shown.text
        assert '<form method="post">' in shown.text
        assert "&lt;script&gt;" in shown.text and "<script>" not in shown.text
        assert shown.headers["cache-control"] == "no-store"
        assert shown.headers["referrer-policy"] == "no-referrer"
        again = await http.get(link)  # a link scanner, or a second look
        assert again.status_code == 200
        status = (await notify_client.data(STATUS, {"id": opened["id"]}))["incident"]
        assert status == {"status": "TRIGGERED", "acknowledgedBy": None}

        done = await http.post(link)
        assert done.status_code == 200
        assert "You acknowledged" in done.text
        status = (await notify_client.data(STATUS, {"id": opened["id"]}))["incident"]
        assert status == {"status": "ACKNOWLEDGED", "acknowledgedBy": f"user:{who.name}"}

        twice = await http.post(link)
        assert twice.status_code == 409
        assert twice.headers["vigil-error-code"] == "INVALID_TRANSITION"
        after = await http.get(link)
        assert after.status_code == 200
        assert "already acknowledged" in after.text


async def test_a_tampered_link_is_refused_and_changes_nothing(
    notify_server: LiveServer, notify_client: GraphQLClient
) -> None:
    who = await person(notify_client)
    opened = await incident(notify_client)
    links = await links_of(notify_server)
    link = await links.url(opened["id"], who.id, datetime.now(UTC))
    flipped = link[:-1] + ("0" if link[-1] != "0" else "1")
    other_user = link.replace(who.id, "0" * 24)
    async with httpx.AsyncClient() as http:
        for bad in (flipped, other_user, link[:-10], server_path(notify_server, "/ack/nonsense")):
            for method in ("GET", "POST"):
                response = await http.request(method, bad)
                assert response.status_code == 400, (method, bad)
                assert response.headers["vigil-error-code"] == "ACK_LINK_INVALID"
                assert '<code id="error-code">ACK_LINK_INVALID</code>' in response.text
    status = (await notify_client.data(STATUS, {"id": opened["id"]}))["incident"]
    assert status["status"] == "TRIGGERED"


async def test_an_expired_link_is_refused(
    notify_server: LiveServer, notify_client: GraphQLClient
) -> None:
    who = await person(notify_client)
    opened = await incident(notify_client)
    links = await links_of(notify_server)
    link = await links.url(opened["id"], who.id, datetime.now(UTC) - timedelta(hours=25))
    async with httpx.AsyncClient() as http:
        response = await http.post(link)
    assert response.status_code == 410
    assert response.headers["vigil-error-code"] == "ACK_LINK_EXPIRED"
    assert "expired" in response.text
    status = (await notify_client.data(STATUS, {"id": opened["id"]}))["incident"]
    assert status["status"] == "TRIGGERED"


async def test_a_link_acts_with_the_users_role(
    notify_server: LiveServer, notify_client: GraphQLClient
) -> None:
    viewer = await person(notify_client, "VIEWER")
    opened = await incident(notify_client)
    link = await (await links_of(notify_server)).url(opened["id"], viewer.id, datetime.now(UTC))
    async with httpx.AsyncClient() as http:
        response = await http.post(link)
    assert response.status_code == 403
    assert response.headers["vigil-error-code"] == "FORBIDDEN"


def server_path(server: LiveServer, path: str) -> str:
    return server.url + path
