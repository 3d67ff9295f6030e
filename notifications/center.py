"""What the API asks of notifications: test a contact method, read a delivery log,
acknowledge through a link."""

from __future__ import annotations

from domain.auth import Action, Principal
from domain.clock import Clock
from domain.contact.service import ContactBook
from domain.errors import NotFoundError
from domain.ids import new_id
from domain.incident.model import Incident
from domain.incident.service import IncidentDesk
from domain.store.timestamps import to_ms
from domain.team.principals import user_principal
from domain.team.repository import TeamRepository
from domain.user.repository import UserRepository
from notifications.ack_links import AckGrant, AckLinks
from notifications.delivery import DeliveryWorker
from notifications.outbox import NotificationStatus, Outbox, OutboxEntry, PageContent

TEST_CONTENT = PageContent(
    incident_id=None,
    incident_number=0,
    incident_title="Test notification",
    severity="info",
    service_name="-",
    alert_count=0,
)


class NotificationCenter:
    def __init__(
        self,
        *,
        worker: DeliveryWorker,
        outbox: Outbox,
        contacts: ContactBook,
        links: AckLinks,
        desk: IncidentDesk,
        users: UserRepository,
        teams: TeamRepository,
        clock: Clock,
    ) -> None:
        self._teams = teams
        self._worker = worker
        self._outbox = outbox
        self._contacts = contacts
        self._links = links
        self._desk = desk
        self._users = users
        self._clock = clock

    async def deliver_due(self) -> int:
        return await self._worker.deliver_due()

    async def aclose(self) -> None:
        await self._worker.aclose()

    async def send_test(self, principal: Principal, contact_method_id: str) -> OutboxEntry:
        """Send a test through the outbox now; failures are retried like any notification."""
        method = await self._contacts.method(principal, contact_method_id)
        user = await self._users.by_id(method.user_id)
        now = self._clock.now()
        entry_id = new_id()
        await self._outbox.add(
            OutboxEntry(
                id=entry_id,
                dedup_key=f"test|{entry_id}",
                user_id=method.user_id,
                user_name=method.user_id if user is None else user.name,
                contact_method_id=method.id,
                kind=method.kind,
                content=TEST_CONTENT,
                step=0,
                cycle=0,
                send_after=now,
                status=NotificationStatus.PENDING,
                due_ms=to_ms(now),
                created_at=now,
            )
        )
        await self._worker.deliver_one(entry_id)
        return await self._outbox.get(entry_id)

    async def of_incidents(
        self, principal: Principal, incident_ids: list[str]
    ) -> dict[str, list[OutboxEntry]]:
        principal.require(Action.READ)
        return await self._outbox.of_incidents(incident_ids)

    async def check_ack_link(self, token: str) -> tuple[AckGrant, Incident]:
        """What a link would acknowledge; changes nothing (scanners open links too)."""
        grant = await self._links.verify(token, self._clock.now())
        return grant, await self._desk.get(await self._principal(grant), grant.incident_id)

    async def acknowledge_by_link(self, token: str) -> Incident:
        """Acknowledge as the user the link was sent to, with that user's role."""
        grant = await self._links.verify(token, self._clock.now())
        return await self._desk.acknowledge(await self._principal(grant), grant.incident_id)

    async def _principal(self, grant: AckGrant) -> Principal:
        user = await self._users.by_id(grant.user_id)
        if user is None:
            raise NotFoundError(
                "The user this link was sent to no longer exists.",
                suggestion="Acknowledge the incident in Vigil.",
            )
        return await user_principal(user, self._teams)
