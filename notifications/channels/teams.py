"""Microsoft Teams incoming webhooks (Workflows and connectors): an Adaptive Card."""

from __future__ import annotations

from typing import Any

import httpx

from domain.contact.model import ContactMethod
from notifications.channels.http import encode, post
from notifications.templates import Message


def payload(message: Message) -> dict[str, Any]:
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {"type": "TextBlock", "text": message.headline, "weight": "Bolder", "wrap": True},
            *(
                []
                if message.body is None
                else [{"type": "TextBlock", "text": message.body, "wrap": True}]
            ),
            {
                "type": "FactSet",
                "facts": [{"title": name, "value": value} for name, value in message.facts],
            },
        ],
        "actions": [
            {"type": "Action.OpenUrl", "title": text, "url": url} for text, url in message.links
        ],
    }
    return {
        "type": "message",
        "summary": message.subject,
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }


class TeamsChannel:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def send(self, method: ContactMethod, message: Message) -> int | None:
        return await post(self._client, method.address, encode(payload(message)))
