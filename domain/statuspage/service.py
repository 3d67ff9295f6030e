"""Status pages as one object for the composition root: what is told to the public, by
noun. Each part checks its caller's permission; `views` needs no caller at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.statuspage.incidents import PublicIncidents
from domain.statuspage.maintenance import Maintenance
from domain.statuspage.pages import Pages
from domain.statuspage.statuses import ComponentStatuses
from domain.statuspage.subscriptions import Subscriptions
from domain.statuspage.views import PublicViews


@dataclass(frozen=True, slots=True)
class StatusPages:
    pages: Pages
    statuses: ComponentStatuses
    incidents: PublicIncidents
    maintenance: Maintenance
    subscriptions: Subscriptions
    views: PublicViews

    async def post_incident_update(
        self, incident_id: str, *, body: str, state: str | None, at: datetime
    ) -> int:
        """The stakeholder side's port (domain/stakeholder/ports.py PublicStatusChannel)."""
        return await self.incidents.post_incident_update(incident_id, body=body, state=state, at=at)
