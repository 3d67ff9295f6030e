"""SMS through a gateway's HTTP API: ``{"to", "body"}`` POSTed to VIGIL_SMS_GATEWAY_URL.

Most gateways (or a small adapter in front of one) take this shape; the token goes in
``Authorization: Bearer``.
"""

from __future__ import annotations

import httpx

from domain.contact.model import ContactMethod
from notifications.channels import DeliveryError
from notifications.channels.http import encode, post
from notifications.templates import Message


class SmsChannel:
    def __init__(self, client: httpx.AsyncClient, *, url: str | None, token: str | None) -> None:
        self._client = client
        self._url = url
        self._token = token

    async def send(self, method: ContactMethod, message: Message) -> int | None:
        if self._url is None:
            raise DeliveryError("No SMS gateway is configured (VIGIL_SMS_GATEWAY_URL).")
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        body = encode(
            {"to": method.address, "body": message.short, "reference": message.notification_id}
        )
        return await post(self._client, self._url, body, headers)
