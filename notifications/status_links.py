"""Signed confirm and unsubscribe links for status page subscribers.

A token is ``<purpose>.<subscriber id>.<expiry unix seconds>.<HMAC-SHA256 hex>``, signed
with the server's secret key as acknowledge links are (notifications/ack_links.py), so
``VIGIL_SECRET_KEY`` (or the key kept in the store) covers both. Confirm links expire;
unsubscribe links never do (expiry 0): a message read a year later must still let its
reader leave.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from datetime import timedelta

from domain.errors import ValidationError
from domain.statuspage.model import StatusPage
from domain.statuspage.ports import LinkPurpose
from notifications.secret_key import SecretKey

CONFIRM_TTL = timedelta(days=7)
_TOKEN = re.compile(
    r"^(confirm|unsubscribe)\.([A-Za-z0-9_-]{1,64})\.([0-9]{1,12})\.([0-9a-f]{64})$"
)


class SignedSubscriberLinks:
    """Implements domain.statuspage.ports.SubscriberLinks."""

    def __init__(self, *, key: SecretKey, public_url: str, confirm_ttl: timedelta = CONFIRM_TTL):
        self._key = key
        self._public_url = public_url.rstrip("/")
        self._confirm_ttl = confirm_ttl

    async def url(self, purpose: LinkPurpose, page: StatusPage, subscriber_id: str) -> str:
        expires = (
            int(time.time() + self._confirm_ttl.total_seconds())
            if purpose is LinkPurpose.CONFIRM
            else 0
        )
        payload = f"{purpose.value}.{subscriber_id}.{expires}"
        token = f"{payload}.{await self._mac(payload)}"
        return f"{self._public_url}/status/{page.slug}/{purpose.value}/{token}"

    async def verify(self, purpose: LinkPurpose, token: str) -> str:
        match = _TOKEN.fullmatch(token)
        if (
            match is None
            or match[1] != purpose.value
            or not hmac.compare_digest(match[4], await self._mac(token.rsplit(".", 1)[0]))
        ):
            raise ValidationError(
                f"This {purpose.value} link is not valid: it was changed or cut short.",
                suggestion="Open the link exactly as it arrived in the message.",
                field="token",
            )
        expires = int(match[3])
        if expires and time.time() >= expires:
            raise ValidationError(
                "This confirm link has expired.",
                suggestion="Subscribe again on the status page to get a new link.",
                field="token",
            )
        return match[2]

    async def _mac(self, payload: str) -> str:
        return hmac.new(await self._key.get(), payload.encode(), hashlib.sha256).hexdigest()
