"""Status pages through the API: management, roles, uptime, subscribers, public reads."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import websockets

from api.container import Container
from domain.errors import ValidationError
from domain.ids import new_id
from domain.stakeholder.ports import PublicStatusChannel
from domain.statuspage.model import StatusPage
from domain.statuspage.ports import LinkPurpose
from domain.store.timestamps import to_ms
from notifications.secret_key import SecretKey
from notifications.status_links import SignedSubscriberLinks
from tests.api.helpers import open_incident, token_for_role
from tests.api.queries import ADD_NOTE, CREATE_SERVICE, INCIDENT, INGEST
from tests.api.statuspage import (
    CREATE_COMPONENT,
    CREATE_GROUP,
    CREATE_PAGE,
    OPEN_PUBLIC,
    POST_UPDATE,
    PUBLIC_PAGE,
    SET_STATUSES,
    SUBSCRIBE,
    UPDATE_COMPONENT,
    confirmed_subscriber,
    link_in,
    local,
    mail_to,
    make_page,
    open_public,
    status_server,
)
from tests.notifications.receivers import HttpReceiver, Received, SmtpReceiver
from tests.support import (
    GRAPHQL_TRANSPORT_WS,
    GraphQLClient,
    LiveServer,
    WsSubscription,
    eventually,
    unique,
)

STATUS_PAGES = """
{ statusPages { id slug title confirmedSubscribers
    groups { id name } components { id name groupId serviceIds status }
    incidents { id internalIncidentId updates { body } } maintenance { id } } }"""


@pytest.fixture(scope="module")
async def server(
    tmp_path_factory: pytest.TempPathFactory, smtp: SmtpReceiver
) -> AsyncIterator[LiveServer]:
    async with status_server(tmp_path_factory.mktemp("vigil-status"), smtp) as running:
        yield running


async def _get(server: LiveServer, path: str) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.get(server.url + path)


async def test_admins_manage_pages_groups_and_components(client: GraphQLClient) -> None:
    page, (api, dashboard) = await make_page(client)
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("svc")}}))[
        "createService"
    ]["id"]
    updated = (
        await client.data(
            UPDATE_COMPONENT,
            {"id": api["id"], "input": {"name": "Public API", "serviceIds": [service]}},
        )
    )["updateComponent"]
    assert updated == {
        "id": api["id"],
        "name": "Public API",
        "serviceIds": [service],
        "groupId": None,
    }
    mine = [p for p in (await client.data(STATUS_PAGES))["statusPages"] if p["id"] == page["id"]]
    assert [c["name"] for c in mine[0]["components"]] == ["Public API", "Dashboard"]
    assert mine[0]["components"][1]["status"] == "OPERATIONAL"
    group_id = mine[0]["groups"][0]["id"]
    assert mine[0]["components"][1]["groupId"] == group_id

    await client.data("mutation($id: ID!) { deleteComponentGroup(id: $id) }", {"id": group_id})
    await client.data("mutation($id: ID!) { deleteComponent(id: $id) }", {"id": api["id"]})
    mine = [p for p in (await client.data(STATUS_PAGES))["statusPages"] if p["id"] == page["id"]]
    assert mine[0]["groups"] == []
    assert [(c["name"], c["groupId"]) for c in mine[0]["components"]] == [("Dashboard", None)]
    assert dashboard["id"] == mine[0]["components"][0]["id"]

    unknown = {"id": api["id"], "input": {"name": "x", "serviceIds": [new_id()]}}
    assert await client.error_code(UPDATE_COMPONENT, unknown) == "NOT_FOUND"
    duplicate = {"input": {"slug": page["slug"], "title": "again"}}
    assert await client.error_code(CREATE_PAGE, duplicate) == "CONFLICT"
    bad_slug = {"input": {"slug": "Not A Slug", "title": "x"}}
    assert await client.error_code(CREATE_PAGE, bad_slug) == "VALIDATION"


async def test_roles_decide_who_configures_and_who_responds(client: GraphQLClient) -> None:
    page, (api, _) = await make_page(client)
    viewer = await token_for_role(client, "VIEWER")
    responder = await token_for_role(client, "RESPONDER")
    new_page = {"input": {"slug": unique("p"), "title": "x"}}
    assert await client.error_code(CREATE_PAGE, new_page, token=viewer) == "FORBIDDEN"
    assert await client.error_code(CREATE_PAGE, new_page, token=responder) == "FORBIDDEN"
    group = {"pageId": page["id"], "name": "g"}
    assert await client.error_code(CREATE_GROUP, group, token=responder) == "FORBIDDEN"
    component = {"pageId": page["id"], "input": {"name": "c"}}
    assert await client.error_code(CREATE_COMPONENT, component, token=responder) == "FORBIDDEN"

    statuses = {"statuses": [{"componentId": api["id"], "status": "DEGRADED_PERFORMANCE"}]}
    assert await client.error_code(SET_STATUSES, statuses, token=viewer) == "FORBIDDEN"
    changed = (await client.data(SET_STATUSES, statuses, token=responder))["setComponentStatuses"]
    assert changed == [{"id": api["id"], "status": "DEGRADED_PERFORMANCE"}]
    public = {"input": {"pageId": page["id"], "title": "Slow API", "body": "Looking into it"}}
    assert await client.error_code(OPEN_PUBLIC, public, token=viewer) == "FORBIDDEN"
    opened = (await client.data(OPEN_PUBLIC, public, token=responder))["openPublicIncident"]
    assert opened["updates"][0]["author"].startswith("user:responder-")
    assert (await client.data(STATUS_PAGES, token=viewer))["statusPages"]

    # Without credentials only the public fields answer.
    assert await client.error_code(STATUS_PAGES, token="") == "UNAUTHENTICATED"
    assert await client.error_code(CREATE_PAGE, new_page, token="") == "UNAUTHENTICATED"
    assert await client.error_code(SET_STATUSES, statuses, token="") == "UNAUTHENTICATED"
    assert await client.error_code(OPEN_PUBLIC, public, token="") == "UNAUTHENTICATED"
    assert await client.error_code(INCIDENT, {"id": opened["id"]}, token="") == "UNAUTHENTICATED"
    seen = (await client.data(PUBLIC_PAGE, {"slug": page["slug"]}, token=""))["publicStatusPage"]
    assert seen["status"] == "DEGRADED_PERFORMANCE"
    assert seen["incidents"][0]["updates"][0]["body"] == "Looking into it"


async def test_an_incident_sets_component_status_on_its_timeline(client: GraphQLClient) -> None:
    page, (api, dashboard) = await make_page(client)
    incident = await open_incident(client)
    statuses = [
        {"componentId": api["id"], "status": "MAJOR_OUTAGE"},
        {"componentId": dashboard["id"], "status": "PARTIAL_OUTAGE"},
    ]
    await client.data(SET_STATUSES, {"statuses": statuses, "incidentId": incident["id"]})
    timeline = (await client.data(INCIDENT, {"id": incident["id"]}))["incident"]["timeline"]
    entries = [
        e["node"] for e in timeline["edges"] if e["node"]["kind"] == "COMPONENT_STATUS_CHANGED"
    ]
    assert [e["message"] for e in entries] == [
        "Status page: API major outage; Dashboard partial outage."
    ]
    seen = (await client.data(PUBLIC_PAGE, {"slug": page["slug"]}, token=""))["publicStatusPage"]
    assert seen["status"] == "MAJOR_OUTAGE"
    assert seen["summary"] == "Major outage"
    assert [(c["name"], c["status"]) for c in seen["groups"][0]["components"]] == [
        ("API", "MAJOR_OUTAGE"),
        ("Dashboard", "PARTIAL_OUTAGE"),
    ]
    missing = {"statuses": statuses, "incidentId": new_id()}
    assert await client.error_code(SET_STATUSES, missing) == "NOT_FOUND"


async def test_uptime_bars_come_from_the_stored_history(
    client: GraphQLClient, server: LiveServer
) -> None:
    page, (api, _) = await make_page(client)
    db = server.app.state.runtime.db
    now = datetime.now(UTC)
    today = datetime.combine(now.date(), datetime.min.time(), UTC)
    created = today - timedelta(days=3)
    await db.status_page_components.update_one(
        {"_id": api["id"]}, {"$set": {"created_ms": to_ms(created)}}
    )
    await db.status_page_changes.delete_many({"component_id": api["id"]})

    def change(at: datetime, status: str) -> dict[str, Any]:
        return {
            "_id": new_id(),
            "page_id": page["id"],
            "component_id": api["id"],
            "status": status,
            "at_ms": to_ms(at),
            "actor": "fixture",
            "incident_id": None,
        }

    two_days_ago = today - timedelta(days=2)
    await db.status_page_changes.insert_many(
        [
            change(created, "operational"),
            # Two days ago: 6 hours of major outage, then 6 hours degraded, then up again.
            change(two_days_ago + timedelta(hours=6), "major_outage"),
            change(two_days_ago + timedelta(hours=12), "degraded_performance"),
            change(two_days_ago + timedelta(hours=18), "operational"),
            # Yesterday: 12 hours of maintenance, which is not downtime.
            change(today - timedelta(hours=24), "under_maintenance"),
            change(today - timedelta(hours=12), "operational"),
        ]
    )
    seen = (await client.data(PUBLIC_PAGE, {"slug": page["slug"]}, token=""))["publicStatusPage"]
    bars = seen["groups"][0]["components"][0]["uptime"]
    assert len(bars) == 90
    assert bars[-1]["date"] == now.date().isoformat()
    assert [(b["worst"], b["operationalPercent"]) for b in bars[-4:]] == [
        ("OPERATIONAL", 100.0),
        ("MAJOR_OUTAGE", 50.0),
        ("UNDER_MAINTENANCE", 100.0),
        ("OPERATIONAL", 100.0),
    ]
    assert all(b["worst"] is None and b["operationalPercent"] is None for b in bars[:-4])
    assert seen["groups"][0]["components"][0]["uptimePercent"] == 87.5


async def test_email_subscribers_confirm_and_unsubscribe_through_signed_links(
    client: GraphQLClient, server: LiveServer, smtp: SmtpReceiver
) -> None:
    page, _ = await make_page(client)
    address = f"{unique('reader')}@example.com"
    result = (
        await client.data(
            SUBSCRIBE, {"slug": page["slug"], "kind": "EMAIL", "address": address}, token=""
        )
    )["subscribeToStatusPage"]
    assert result["signingSecret"] is None
    mail = await mail_to(smtp, address, "Confirm")
    confirm, unsubscribe = link_in(mail, "confirm"), link_in(mail, "unsubscribe")
    assert confirm.startswith(f"https://status.example.test/status/{page['slug']}/confirm/")
    [stored] = await server.stored("status_page_subscribers", {"address": address})

    # Opening the link only asks: scanners open links too.
    async with httpx.AsyncClient() as http:
        shown = await http.get(local(server, confirm))
        assert shown.status_code == 200 and "<button" in shown.text
        assert (await server.stored("status_page_subscribers", {"_id": stored["_id"]}))[0][
            "state"
        ] == "pending"
        tampered = local(server, confirm)[:-1] + ("0" if confirm[-1] != "0" else "1")
        refused = await http.post(tampered)
        assert refused.status_code == 422
        assert refused.headers["Vigil-Error-Code"] == "VALIDATION"
        # An unsubscribe token cannot confirm.
        wrong = local(server, unsubscribe).replace("/unsubscribe/", "/confirm/")
        assert (await http.post(wrong)).status_code == 422
        assert (await http.post(local(server, confirm))).status_code == 200
    assert (await server.stored("status_page_subscribers", {"_id": stored["_id"]}))[0][
        "state"
    ] == "confirmed"

    opened = await open_public(client, page["id"], "Login errors", "We see errors")
    update = await mail_to(smtp, address, "We see errors")
    assert "Investigating: We see errors" in update
    async with httpx.AsyncClient() as http:
        leave = local(server, link_in(update, "unsubscribe"))
        assert "<button" in (await http.get(leave)).text
        assert (await http.post(leave)).status_code == 200
        # Following it twice is harmless.
        assert (await http.post(leave)).status_code == 200
    assert await server.stored("status_page_subscribers", {"_id": stored["_id"]}) == []

    other = await confirmed_subscriber(server, client, smtp, page["slug"])
    await client.data(
        POST_UPDATE, {"id": opened["id"], "body": "Fix deployed", "state": "MONITORING"}
    )
    await mail_to(smtp, other, "Fix deployed")
    assert not [m for m in smtp.to(address) if "Fix deployed" in str(m.get_payload())]


async def test_webhook_subscribers_get_signed_json(
    client: GraphQLClient, server: LiveServer, receiver: HttpReceiver
) -> None:
    page, (api, _) = await make_page(client)
    path = f"/{unique('hook')}"
    result = (
        await client.data(
            SUBSCRIBE,
            {"slug": page["slug"], "kind": "WEBHOOK", "address": receiver.url + path},
            token="",
        )
    )["subscribeToStatusPage"]
    secret = result["signingSecret"]
    assert secret
    [confirmation] = await eventually(lambda: _delivered(receiver, path, 1))
    body = confirmation.json()
    assert body["event"] == "status.subscription_confirm"
    async with httpx.AsyncClient() as http:
        assert (await http.post(local(server, body["links"]["confirm"]))).status_code == 200

    await open_public(
        client,
        page["id"],
        "API errors",
        "Elevated errors",
        impact="MAJOR",
        componentIds=[api["id"]],
    )
    _, delivery = await eventually(lambda: _delivered(receiver, path, 2))
    payload = delivery.json()
    assert payload["event"] == "status.incident_update"
    assert payload["incident"]["affected"] == ["API"]
    assert payload["incident"]["impact"] == "major"
    assert payload["update"]["body"] == "Elevated errors"
    assert payload["links"]["unsubscribe"].startswith("https://status.example.test/status/")
    timestamp, signature = (
        p.split("=", 1)[1] for p in delivery.headers["vigil-signature"].split(",")
    )
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + delivery.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(signature, expected)


async def _delivered(receiver: HttpReceiver, path: str, count: int) -> list[Received]:
    """The deliveries to `path` once there are `count`; empty (falsy) before."""
    found = receiver.delivered(path)
    return found if len(found) >= count else []


async def test_the_json_feed_and_html_page_are_public(
    client: GraphQLClient, server: LiveServer
) -> None:
    page, (api, dashboard) = await make_page(client)
    await client.data(
        SET_STATUSES, {"statuses": [{"componentId": api["id"], "status": "PARTIAL_OUTAGE"}]}
    )
    now = datetime.now(UTC)
    await client.data(
        """mutation($input: MaintenanceInput!) { scheduleMaintenance(input: $input) { id } }""",
        {
            "input": {
                "pageId": page["id"],
                "title": "Database upgrade",
                "startsAt": (now - timedelta(minutes=5)).isoformat(),
                "endsAt": (now + timedelta(hours=1)).isoformat(),
                "componentIds": [dashboard["id"]],
            }
        },
    )
    feed = await _get(server, f"/status/{page['slug']}.json")
    assert feed.status_code == 200
    assert feed.headers["access-control-allow-origin"] == "*"
    body = feed.json()
    assert body["page"]["url"] == f"https://status.example.test/status/{page['slug']}"
    assert body["status"] == {"indicator": "partial_outage", "description": "Partial outage"}
    assert [(c["name"], c["status"]) for c in body["components"]] == [
        ("API", "partial_outage"),
        ("Dashboard", "under_maintenance"),
    ]
    assert len(body["components"][0]["uptime"]) == 90
    assert body["maintenance"][0]["active"] is True
    assert body["maintenance"][0]["affected"] == ["Dashboard"]

    html = await _get(server, f"/status/{page['slug']}")
    assert html.status_code == 200
    text = html.text
    assert text.startswith('<!doctype html><html lang="en">')
    assert '<meta name="viewport"' in text
    for landmark in ("<header>", "<main>", "<footer>", "<h1>"):
        assert landmark in text
    assert "<script" not in text
    assert "Partial outage" in text and "Under maintenance" in text
    assert "Database upgrade" in text
    assert "default-src 'none'" in html.headers["content-security-policy"]

    missing = await _get(server, f"/status/{unique('nope')}")
    assert missing.status_code == 404
    assert (await _get(server, f"/status/{unique('nope')}.json")).json()["code"] == "NOT_FOUND"


async def test_the_page_form_subscribes_without_javascript(
    client: GraphQLClient, server: LiveServer, smtp: SmtpReceiver
) -> None:
    page, _ = await make_page(client)
    address = f"{unique('form')}@example.com"
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{server.url}/status/{page['slug']}/subscribe", data={"address": address}
        )
        assert answer.status_code == 200 and "Check your inbox" in answer.text
        invalid = await http.post(
            f"{server.url}/status/{page['slug']}/subscribe", data={"address": "not-an-address"}
        )
        assert invalid.status_code == 422
    await mail_to(smtp, address, "Confirm")


async def test_anonymous_websockets_get_status_events_and_nothing_else(
    client: GraphQLClient, server: LiveServer
) -> None:
    page, (api, _) = await make_page(client)
    async with websockets.connect(server.ws_url, subprotocols=[GRAPHQL_TRANSPORT_WS]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "private",
                    "type": "subscribe",
                    "payload": {"query": "subscription { incidentEvents { kind } }"},
                }
            )
        )
        refused = json.loads(await ws.recv())
        assert refused["id"] == "private"
        errors = refused["payload"] if refused["type"] == "error" else refused["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"

        query = (
            "subscription($slug: String!) { statusPageEvents(slug: $slug) "
            "{ kind slug componentId componentName status } }"
        )
        await ws.send(
            json.dumps(
                {
                    "id": "public",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": {"slug": page["slug"]}},
                }
            )
        )
        await _settle()
        await client.data(
            SET_STATUSES, {"statuses": [{"componentId": api["id"], "status": "MAJOR_OUTAGE"}]}
        )
        event = await WsSubscription(ws).next()
        assert event == {
            "data": {
                "statusPageEvents": {
                    "kind": "COMPONENT_STATUS_CHANGED",
                    "slug": page["slug"],
                    "componentId": api["id"],
                    "componentName": "API",
                    "status": "major_outage",
                }
            }
        }


async def _settle() -> None:
    """The server subscribes to the hub before the first event can be awaited."""
    await asyncio.sleep(0.3)


async def test_public_updates_from_the_stakeholder_side_reach_linked_public_incidents(
    client: GraphQLClient, server: LiveServer
) -> None:
    page, _ = await make_page(client)
    incident = await open_incident(client)
    opened = await open_public(
        client, page["id"], "Checkout slow", "Investigating", internalIncidentId=incident["id"]
    )
    assert opened["internalIncidentId"] == incident["id"]
    # Typed as the stakeholder side's port: mypy checks that status pages implement it.
    container: Container = server.app.state.container
    status_pages: PublicStatusChannel = container.status_pages
    at = datetime.now(UTC)
    posted = await status_pages.post_incident_update(
        incident["id"], body="Cause identified", state="identified", at=at
    )
    assert posted == 1
    assert await status_pages.post_incident_update(new_id(), body="nobody", state=None, at=at) == 0
    await status_pages.post_incident_update(incident["id"], body="Still on it", state=None, at=at)
    seen = (await client.data(PUBLIC_PAGE, {"slug": page["slug"]}, token=""))["publicStatusPage"]
    [public] = seen["incidents"]
    assert public["state"] == "IDENTIFIED"
    assert [(u["body"], u["state"]) for u in public["updates"]][:2] == [
        ("Still on it", "IDENTIFIED"),
        ("Cause identified", "IDENTIFIED"),
    ]
    await client.data(POST_UPDATE, {"id": opened["id"], "body": "Fixed", "state": "RESOLVED"})
    seen = (await client.data(PUBLIC_PAGE, {"slug": page["slug"]}, token=""))["publicStatusPage"]
    assert seen["incidents"] == []
    assert seen["pastIncidents"][0]["state"] == "RESOLVED"


async def test_nothing_private_reaches_the_public_views(
    client: GraphQLClient, server: LiveServer
) -> None:
    page, (api, _) = await make_page(client)
    service = unique("secret-svc")
    secrets = {
        "summary": f"SECRET-SUMMARY-{new_id()}",
        "label": f"SECRET-LABEL-{new_id()}",
        "note": f"SECRET-NOTE-{new_id()}",
    }
    alert = {
        "summary": secrets["summary"],
        "service": service,
        "labels": {"secret": secrets["label"]},
    }
    incident = (await client.data(INGEST, {"alerts": [alert]}))["ingestAlerts"][0]["incident"]
    service_id = next(
        s["id"]
        for s in (await client.data("{ services { id name } }"))["services"]
        if s["name"] == service
    )
    await client.data(ADD_NOTE, {"id": incident["id"], "body": secrets["note"]})
    await client.data(
        UPDATE_COMPONENT,
        {"id": api["id"], "input": {"name": "API", "serviceIds": [service_id]}},
    )
    await client.data(
        SET_STATUSES,
        {
            "statuses": [{"componentId": api["id"], "status": "MAJOR_OUTAGE"}],
            "incidentId": incident["id"],
        },
    )
    await open_public(
        client,
        page["id"],
        "API unavailable",
        "We are on it",
        componentIds=[api["id"]],
        internalIncidentId=incident["id"],
    )
    shown = [
        (await _get(server, f"/status/{page['slug']}")).text,
        (await _get(server, f"/status/{page['slug']}.json")).text,
        json.dumps(await client.data(PUBLIC_PAGE, {"slug": page["slug"]}, token="")),
    ]
    private = [*secrets.values(), incident["id"], service, service_id, "user:"]
    for text in shown:
        assert "We are on it" in text and "API" in text
        for value in private:
            assert value not in text


async def test_confirm_links_expire_and_unsubscribe_links_do_not(server: LiveServer) -> None:
    key = SecretKey(server.app.state.runtime.db, None)
    page = StatusPage("p1", "acme", "Acme", "", datetime.now(UTC))
    expired = SignedSubscriberLinks(
        key=key, public_url="https://s.example", confirm_ttl=timedelta(seconds=-1)
    )
    confirm = await expired.url(LinkPurpose.CONFIRM, page, "sub-1")
    with pytest.raises(ValidationError, match="expired"):
        await expired.verify(LinkPurpose.CONFIRM, confirm.rsplit("/", 1)[1])
    leave = await expired.url(LinkPurpose.UNSUBSCRIBE, page, "sub-1")
    assert await expired.verify(LinkPurpose.UNSUBSCRIBE, leave.rsplit("/", 1)[1]) == "sub-1"
    # The server's own links verify with the same key.
    served = server.app.state.container.notifications.status_links
    assert await served.verify(LinkPurpose.UNSUBSCRIBE, leave.rsplit("/", 1)[1]) == "sub-1"
