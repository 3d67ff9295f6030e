"""Generic webhooks: a JSON document, signed with the contact method's secret."""

from __future__ import annotations

from typing import Any

import httpx

from domain.clock import Clock
from domain.contact.model import ContactMethod
from notifications.channels import DeliveryError
from notifications.channels.http import encode, post
from notifications.signing import SIGNATURE_HEADER, signature_header
from notifications.templates import Message


def payload(message: Message) -> dict[str, Any]:
    if message.notice is not None:
        return {
            "event": message.notice.event,
            "notification_id": message.notification_id,
            **message.notice.data,
            "text": message.notice.text,
        }
    c = message.content
    update = message.update
    event = "incident.page" if update is None else "incident.status_update"
    return {
        "event": "notification.test" if message.is_test else event,
        "notification_id": message.notification_id,
        "incident": None
        if message.is_test
        else {
            "id": c.incident_id,
            "number": c.incident_number,
            "title": c.incident_title,
            "severity": c.severity,
            "service": c.service_name,
            "alert_count": c.alert_count,
        },
        "status_update": None
        if update is None
        else {
            "id": update.status_update_id,
            "audience": update.audience,
            "body": update.body,
            "state": update.state,
            "author": update.author,
            "posted_at": update.posted_at.isoformat(),
            "incident_status": update.incident_status,
        },
        "links": {"incident": message.incident_url, "acknowledge": message.ack_url},
        "text": message.text,
    }


class WebhookChannel:
    def __init__(self, client: httpx.AsyncClient, clock: Clock) -> None:
        self._client = client
        self._clock = clock

    async def send(self, method: ContactMethod, message: Message) -> int | None:
        if method.signing_secret is None:
            raise DeliveryError("The webhook contact method has no signing secret.")
        body = encode(payload(message))
        timestamp = int(self._clock.now().timestamp())
        headers = {
            SIGNATURE_HEADER: signature_header(method.signing_secret, timestamp, body),
            # The same id on every retry: receivers can drop repeats.
            "Vigil-Delivery": message.notification_id,
        }
        return await post(self._client, method.address, body, headers)
