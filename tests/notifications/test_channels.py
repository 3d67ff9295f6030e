"""Each channel, end to end: a page through the outbox to a real receiver."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.notifications.receivers import HttpReceiver, SmtpReceiver
from tests.notifications.scene import (
    arrived,
    contact,
    incident,
    page,
    person,
    settled,
    timeline_kinds,
)
from tests.support import GraphQLClient, LiveServer, unique


async def test_email_arrives_at_the_smtp_server(
    notify_server: LiveServer, notify_client: GraphQLClient, smtp: SmtpReceiver
) -> None:
    who = await person(notify_client)
    address = f"{who.name}@example.com"
    await contact(notify_client, who, "EMAIL", address)
    opened = await incident(notify_client, "Disk full on db03")
    await page(notify_server, opened, who)

    mail = (await arrived(lambda: smtp.to(address)))[0]
    assert mail["From"] == "vigil@test.example"
    assert f"#{opened['number']}" in mail["Subject"]
    assert "Disk full on db03" in mail["Subject"]
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode()
    assert "Service: checkout" in body
    assert "Alerts: 1" in body
    assert f"/warroom#incident={opened['id']}" in body
    assert f"/ack/{opened['id']}.{who.id}." in body
    done = await settled(notify_client, opened["id"])
    assert [n["status"] for n in done["notifications"]] == ["SENT"]
    assert "NOTIFICATION_SENT" in await timeline_kinds(
        notify_client, opened["id"], "NOTIFICATION_SENT"
    )


async def test_slack_and_teams_get_their_webhook_shapes(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    slack, teams = f"/slack/{unique('s')}", f"/teams/{unique('t')}"
    await contact(notify_client, who, "SLACK", receiver.url + slack)
    await contact(notify_client, who, "TEAMS", receiver.url + teams)
    opened = await incident(notify_client, "Checkout errors")
    await page(notify_server, opened, who)

    await arrived(lambda: receiver.delivered(slack) and receiver.delivered(teams))
    slack_body = receiver.delivered(slack)[0].json()
    assert "Checkout errors" in slack_body["text"]
    buttons = next(b for b in slack_body["blocks"] if b["type"] == "actions")["elements"]
    assert [b["text"]["text"] for b in buttons] == ["Open incident", "Acknowledge"]
    assert "/ack/" in buttons[1]["url"]

    teams_body = receiver.delivered(teams)[0].json()
    assert teams_body["type"] == "message"
    card = teams_body["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    facts = {f["title"]: f["value"] for f in card["content"]["body"][1]["facts"]}
    assert facts["Service"] == "checkout"
    assert facts["Incident"] == f"#{opened['number']}"
    assert [a["title"] for a in card["content"]["actions"]] == ["Open incident", "Acknowledge"]


async def test_sms_goes_to_the_gateway_with_its_token(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    await contact(notify_client, who, "SMS", "+49 151 2345 6789")
    opened = await incident(notify_client, f"Payments down {unique('x')}")
    await page(notify_server, opened, who)

    def mine() -> list[dict[str, str]]:
        bodies = [r.json() for r in receiver.delivered("/sms-gateway")]
        return [b for b in bodies if opened["title"][:20] in b["body"]]

    sms = (await arrived(mine))[0]
    assert sms["to"] == "+4915123456789"
    assert len(sms["body"].split(" Ack: ")[0]) <= 160
    assert "/ack/" in sms["body"]
    request = next(r for r in receiver.delivered("/sms-gateway") if r.json() == sms)
    assert request.headers["authorization"] == "Bearer sms-gateway-token"


async def test_webhook_signature_verifies_with_the_methods_secret(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    path = f"/hook/{unique('w')}"
    created = await contact(notify_client, who, "WEBHOOK", receiver.url + path)
    secret = created["signingSecret"]
    assert secret.startswith("vws_")
    opened = await incident(notify_client, "Queue backlog")
    await page(notify_server, opened, who)

    request = (await arrived(lambda: receiver.delivered(path)))[0]
    header = dict(part.split("=", 1) for part in request.headers["vigil-signature"].split(","))
    signed = header["t"].encode() + b"." + request.body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(header["v1"], expected)
    tampered = header["t"].encode() + b"." + request.body.replace(b"Queue", b"Quiet")
    assert hmac.new(secret.encode(), tampered, hashlib.sha256).hexdigest() != header["v1"]

    readme_verify = _readme_verification_snippet()
    assert readme_verify(secret, request.headers["vigil-signature"], request.body)
    assert not readme_verify(secret, request.headers["vigil-signature"], request.body + b" ")

    body = request.json()
    assert body["event"] == "incident.page"
    assert body["incident"]["id"] == opened["id"]
    assert body["incident"]["number"] == opened["number"]
    assert body["notification_id"] == request.headers["vigil-delivery"]
    assert body["links"]["acknowledge"].startswith("http://127.0.0.1:8000/ack/")


def _readme_verification_snippet() -> Callable[[str, str, bytes], bool]:
    """The receivers' `verify` exactly as the README shows it."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("**Generic webhooks, for receivers.**", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    verify: Callable[[str, str, bytes], bool] = namespace["verify"]
    return verify
