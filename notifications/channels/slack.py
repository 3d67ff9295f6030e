"""Slack incoming webhooks: Block Kit, with `text` as the notification fallback."""

from __future__ import annotations

from typing import Any

import httpx

from domain.contact.model import ContactMethod
from notifications.channels.http import encode, post
from notifications.templates import Message

SECTION_LIMIT = 3000


def payload(message: Message) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{message.headline}*"}},
    ]
    if message.body is not None:
        # Slack refuses section text over 3,000 characters.
        body = message.body
        body = body if len(body) <= SECTION_LIMIT else body[: SECTION_LIMIT - 1] + "…"
        blocks.append({"type": "section", "text": {"type": "plain_text", "text": body}})
    blocks.append(
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*{name}*\n{value}"} for name, value in message.facts
            ],
        }
    )
    if message.links:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": text}, "url": url}
                    for text, url in message.links
                ],
            }
        )
    return {"text": message.subject, "blocks": blocks}


class SlackChannel:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def send(self, method: ContactMethod, message: Message) -> int | None:
        return await post(self._client, method.address, encode(payload(message)))
