"""What status pages need from outside the domain: live events, signed links, delivery.

``notifications`` implements them (status_hub.py, status_links.py, status_notices.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from domain.statuspage.model import StatusPage, Subscriber


class StatusEventKind(StrEnum):
    COMPONENT_STATUS_CHANGED = "COMPONENT_STATUS_CHANGED"
    INCIDENT_UPDATED = "INCIDENT_UPDATED"
    """A public incident was opened or got an update."""
    MAINTENANCE_SCHEDULED = "MAINTENANCE_SCHEDULED"
    PAGE_CHANGED = "PAGE_CHANGED"
    """Components or groups were added, renamed or removed."""


# Weak references let anonymous subscribers share the work done once per event
# (api/schema/shared_execution.py).
@dataclass(frozen=True, slots=True, weakref_slot=True)
class StatusPageEvent:
    """A public change to one page. Everything in it may be shown to anyone."""

    kind: StatusEventKind
    page_id: str
    slug: str
    committed_at: datetime
    component_id: str | None = None
    component_name: str | None = None
    status: str | None = None
    """The component's new status, or the public incident's state."""
    public_incident_id: str | None = None
    title: str | None = None


class StatusEventPublisher(Protocol):
    async def publish(self, events: list[StatusPageEvent]) -> None: ...


class LinkPurpose(StrEnum):
    CONFIRM = "confirm"
    UNSUBSCRIBE = "unsubscribe"


class SubscriberLinks(Protocol):
    """Signed links that act on one subscriber without any login."""

    async def url(self, purpose: LinkPurpose, page: StatusPage, subscriber_id: str) -> str: ...

    async def verify(self, purpose: LinkPurpose, token: str) -> str:
        """The subscriber id the token was made for; ValidationError when altered or expired."""
        ...


@dataclass(frozen=True, slots=True)
class SubscriberMessage:
    subject: str
    text: str
    """Plain text with every link written out."""
    event: str
    """The webhook payload's `event`, e.g. ``status.incident_update``."""
    data: dict[str, Any] = field(default_factory=dict)
    """The webhook payload's public fields."""


class SubscriberNotifier(Protocol):
    async def notify(self, key: str, messages: list[tuple[Subscriber, SubscriberMessage]]) -> int:
        """Queue one message per subscriber through the notification outbox; `key` makes a
        repeat of the same announcement store nothing. Returns how many were queued."""
        ...
