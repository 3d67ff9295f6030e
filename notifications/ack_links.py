"""One-click acknowledge links: signed, expiring, naming one incident and one user.

A token is ``<incident id>.<user id>.<expiry unix seconds>.<HMAC-SHA256 hex>``; the MAC
covers the first three parts with the server's secret key. Ids are URL-safe and hold
no dots, so the token needs no escaping and splits unambiguously.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.errors import ValidationError
from notifications.secret_key import SecretKey

_ID = r"([A-Za-z0-9_-]{1,64})"
_TOKEN = re.compile(rf"^{_ID}\.{_ID}\.([0-9]{{1,12}})\.([0-9a-f]{{64}})$")


class AckLinkError(ValidationError):
    """A link that was altered, or has expired; `reason` is a stable code for the page."""

    def __init__(self, message: str, *, reason: str, suggestion: str) -> None:
        super().__init__(message, suggestion=suggestion, field="token")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class AckGrant:
    incident_id: str
    user_id: str
    expires_at: int


class AckLinks:
    def __init__(self, *, key: SecretKey, public_url: str, ttl: timedelta) -> None:
        self._key = key
        self._public_url = public_url.rstrip("/")
        self._ttl = ttl

    async def url(self, incident_id: str, user_id: str, now: datetime) -> str:
        expires = int((now + self._ttl).timestamp())
        payload = f"{incident_id}.{user_id}.{expires}"
        return f"{self._public_url}/ack/{payload}.{await self._mac(payload)}"

    async def verify(self, token: str, now: datetime) -> AckGrant:
        match = _TOKEN.fullmatch(token)
        if match is None or not hmac.compare_digest(
            match[4], await self._mac(token.rsplit(".", 1)[0])
        ):
            raise AckLinkError(
                "This acknowledge link is not valid: it was changed or cut short.",
                reason="ACK_LINK_INVALID",
                suggestion="Open the link exactly as it arrived, or acknowledge in Vigil.",
            )
        grant = AckGrant(match[1], match[2], int(match[3]))
        if now.timestamp() >= grant.expires_at:
            raise AckLinkError(
                "This acknowledge link has expired.",
                reason="ACK_LINK_EXPIRED",
                suggestion="Acknowledge the incident in Vigil, or use the link of a newer page.",
            )
        return grant

    async def _mac(self, payload: str) -> str:
        return hmac.new(await self._key.get(), payload.encode(), hashlib.sha256).hexdigest()
