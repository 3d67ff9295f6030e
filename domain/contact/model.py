"""Contact methods (where a user can be reached) and notification rules (when, after a page).

Each kind validates its address the way its channel needs it: e-mail addresses,
E.164 phone numbers for SMS, http(s) URLs for Slack, Teams and generic webhooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from domain.errors import ValidationError
from domain.store.database import Document
from domain.validation import require_text

MAX_DELAY_MINUTES = 24 * 60
MAX_URL_LENGTH = 2048

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


class ContactKind(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    SLACK = "slack"
    TEAMS = "teams"
    WEBHOOK = "webhook"

    @property
    def signed(self) -> bool:
        """Generic webhooks carry an HMAC signature, with a secret per contact method."""
        return self is ContactKind.WEBHOOK


def require_address(kind: ContactKind, address: str) -> str:
    address = address.strip()
    if kind is ContactKind.EMAIL:
        if len(address) > 254 or not _EMAIL.fullmatch(address):
            raise ValidationError(
                f"'address' is not an e-mail address: {address!r}.",
                suggestion="Use an address such as 'oncall@example.com'.",
                field="address",
            )
        return address
    if kind is ContactKind.SMS:
        number = re.sub(r"[\s().-]", "", address)
        if not _E164.fullmatch(number):
            raise ValidationError(
                f"'address' is not a phone number in E.164 form: {address!r}.",
                suggestion="Write the number with its country code, such as '+4915123456789'.",
                field="address",
            )
        return number
    parts = urlsplit(address)
    if len(address) > MAX_URL_LENGTH or parts.scheme not in ("http", "https") or not parts.hostname:
        example = {
            ContactKind.SLACK: "https://hooks.slack.com/services/T000/B000/XXXX",
            ContactKind.TEAMS: "the URL of the channel's Workflows or incoming-webhook connector",
        }.get(kind, "https://hooks.example.com/vigil")
        raise ValidationError(
            f"'address' must be an http or https URL of at most {MAX_URL_LENGTH} characters, "
            f"got {address[:80]!r}.",
            suggestion=f"Paste the webhook URL, such as {example}.",
            field="address",
        )
    return address


@dataclass(frozen=True, slots=True)
class ContactMethodDraft:
    kind: ContactKind
    address: str
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ContactKind(self.kind))
        object.__setattr__(self, "address", require_address(self.kind, self.address))
        label = require_text(self.label, field="label", max_length=100, allow_empty=True)
        object.__setattr__(self, "label", label or self.kind.value)


@dataclass(frozen=True, slots=True)
class ContactMethod:
    id: str
    user_id: str
    kind: ContactKind
    address: str
    label: str
    signing_secret: str | None
    """For webhooks: the HMAC key receivers verify with. Stored as is (signing needs it);
    the API shows it only once, when the method is created."""
    created_at: datetime

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "user_id": self.user_id,
            "kind": self.kind.value,
            "address": self.address,
            "label": self.label,
            "signing_secret": self.signing_secret,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> ContactMethod:
        return cls(
            id=doc["_id"],
            user_id=doc["user_id"],
            kind=ContactKind(doc["kind"]),
            address=doc["address"],
            label=doc["label"],
            signing_secret=doc.get("signing_secret"),
            created_at=doc["created_at"],
        )


@dataclass(frozen=True, slots=True)
class NotificationRuleDraft:
    contact_method_id: str
    delay_minutes: int

    def __post_init__(self) -> None:
        if not 0 <= self.delay_minutes <= MAX_DELAY_MINUTES:
            raise ValidationError(
                f"'delayMinutes' must be between 0 and {MAX_DELAY_MINUTES}, "
                f"got {self.delay_minutes}.",
                suggestion="Use 0 to be notified at once, 5 for five minutes after the page.",
                field="delayMinutes",
            )


@dataclass(frozen=True, slots=True)
class NotificationRule:
    """Notify through one contact method, `delay_minutes` after a page."""

    id: str
    user_id: str
    contact_method_id: str
    delay_minutes: int
    created_at: datetime

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "user_id": self.user_id,
            "contact_method_id": self.contact_method_id,
            "delay_minutes": self.delay_minutes,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> NotificationRule:
        return cls(
            id=doc["_id"],
            user_id=doc["user_id"],
            contact_method_id=doc["contact_method_id"],
            delay_minutes=int(doc["delay_minutes"]),
            created_at=doc["created_at"],
        )
