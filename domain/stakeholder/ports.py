"""What stakeholder updates need from outside the domain.

``notifications`` implements :class:`UpdateNotifier` (the outbox and its channels);
the status pages implement :class:`PublicStatusChannel`. Both are attached at
composition time; without a public channel, PUBLIC updates reach subscribers only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.incident.model import Incident
from domain.stakeholder.model import StakeholderSubscription, StatusUpdate


class PublicStatusChannel(Protocol):
    async def post_incident_update(
        self, incident_id: str, *, body: str, state: str | None, at: datetime
    ) -> int:
        """Post the update to every public incident linked to this internal incident.

        ``state`` is investigating, identified, monitoring or resolved (None keeps the
        current one). Returns how many public incidents got the update.
        """
        ...


class UpdateNotifier(Protocol):
    async def to_subscribers(
        self,
        update: StatusUpdate,
        incident: Incident,
        service_name: str,
        subscriptions: Sequence[StakeholderSubscription],
    ) -> int:
        """Queue the update for each subscriber (each destination once); how many were queued."""
        ...

    async def to_responders(
        self, update: StatusUpdate, incident: Incident, service_name: str
    ) -> int:
        """Queue the update for the people on the incident; how many notifications were queued."""
        ...
