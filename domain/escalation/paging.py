"""What the escalation engine hands to whoever delivers pages.

The domain decides *who* is paged and *when*; ``notifications`` implements
:class:`Pager` and decides *how* (the user's contact methods and notification
rules, the outbox, the channels).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Page one user about one incident, for one escalation step.

    ``key`` is stable for (incident, escalation run, cycle, step, user): delivering the
    same request twice must page once.
    """

    key: str
    incident_id: str
    incident_number: int
    incident_title: str
    severity: str
    service_id: str
    service_name: str
    alert_count: int
    user_id: str
    step: int
    cycle: int
    requested_at: datetime


class Pager(Protocol):
    async def page(self, requests: Sequence[PageRequest]) -> None:
        """Record the pages durably (idempotent per ``key``); delivery happens later."""
        ...
