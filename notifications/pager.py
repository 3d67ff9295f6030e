"""The escalation engine's Pager: a page becomes outbox entries, one per notification rule."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from domain.clock import Clock
from domain.contact.service import ContactBook
from domain.escalation.paging import PageRequest
from domain.events import EventPublisher
from domain.ids import new_id
from domain.incident.model import TimelineKind
from domain.incident.repository import IncidentRepository
from domain.store.timestamps import to_ms
from domain.user.repository import UserRepository
from notifications import timeline
from notifications.outbox import NotificationStatus, Outbox, OutboxEntry, PageContent

NO_CONTACT = "none"


class OutboxPager:
    """Implements :class:`domain.escalation.paging.Pager`.

    Entries are keyed by (page key, contact method), so a request recorded twice (a
    retried escalation step, two workers) stores each notification once.
    """

    def __init__(
        self,
        *,
        contacts: ContactBook,
        outbox: Outbox,
        incidents: IncidentRepository,
        users: UserRepository,
        publisher: EventPublisher,
        clock: Clock,
    ) -> None:
        self._publisher = publisher
        self._contacts = contacts
        self._users = users
        self._outbox = outbox
        self._incidents = incidents
        self._clock = clock

    async def page(self, requests: Sequence[PageRequest]) -> None:
        for request in requests:
            await self._page(request)

    async def _page(self, request: PageRequest) -> None:
        content = PageContent(
            incident_id=request.incident_id,
            incident_number=request.incident_number,
            incident_title=request.incident_title,
            severity=request.severity,
            service_name=request.service_name,
            alert_count=request.alert_count,
        )
        now = self._clock.now()
        user = await self._users.by_id(request.user_id)
        user_name = request.user_id if user is None else user.name
        plan = await self._contacts.plan(request.user_id)
        for notify in plan:
            send_after = request.requested_at + timedelta(minutes=notify.delay_minutes)
            await self._outbox.add(
                OutboxEntry(
                    id=new_id(),
                    dedup_key=f"{request.key}|{notify.method.id}",
                    user_id=request.user_id,
                    user_name=user_name,
                    contact_method_id=notify.method.id,
                    kind=notify.method.kind,
                    content=content,
                    step=request.step,
                    cycle=request.cycle,
                    send_after=send_after,
                    status=NotificationStatus.PENDING,
                    due_ms=to_ms(send_after),
                    created_at=now,
                )
            )
        if not plan:
            # Nowhere to send: a dead letter says so on the incident, rather than silence.
            error = "The user has no contact method."
            missed = OutboxEntry(
                id=new_id(),
                dedup_key=f"{request.key}|{NO_CONTACT}",
                user_id=request.user_id,
                user_name=user_name,
                contact_method_id=None,
                kind=None,
                content=content,
                step=request.step,
                cycle=request.cycle,
                send_after=request.requested_at,
                status=NotificationStatus.DEAD,
                due_ms=to_ms(request.requested_at),
                created_at=now,
                last_error=error,
            )
            if await self._outbox.add(missed):
                await timeline.record(
                    self._incidents,
                    self._publisher,
                    missed,
                    TimelineKind.NOTIFICATION_FAILED,
                    f"Could not page {user_name}: {error}",
                    now,
                )
