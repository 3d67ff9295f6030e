"""Stakeholder updates into the outbox: the same worker, retries and channels as pages.

Implements :class:`domain.stakeholder.ports.UpdateNotifier`. Each destination gets an
update once (keyed by update and destination), whether it subscribed to the incident,
to its service, or both. Updates are sent at once, whatever a user's notification rules
say about delays, and are never cancelled by an acknowledgement.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.clock import Clock
from domain.contact.model import ContactMethod
from domain.contact.service import ContactBook
from domain.ids import new_id
from domain.incident.model import Incident
from domain.stakeholder.model import StakeholderSubscription, StatusUpdate
from domain.store.timestamps import to_ms
from domain.user.repository import UserRepository
from notifications.outbox import NotificationStatus, Outbox, OutboxEntry, PageContent, UpdateContent

USER_ACTOR = "user:"


class OutboxUpdateNotifier:
    def __init__(
        self, *, outbox: Outbox, contacts: ContactBook, users: UserRepository, clock: Clock
    ) -> None:
        self._outbox = outbox
        self._contacts = contacts
        self._users = users
        self._clock = clock

    async def to_subscribers(
        self,
        update: StatusUpdate,
        incident: Incident,
        service_name: str,
        subscriptions: Sequence[StakeholderSubscription],
    ) -> int:
        users = await self._users.by_ids(s.user_id for s in subscriptions if s.user_id)
        entries: list[OutboxEntry] = []
        for subscription in subscriptions:
            if subscription.contact_method_id is None:
                entries.append(
                    self._entry(
                        update,
                        incident,
                        service_name,
                        destination=subscription.destination,
                        user_id="",
                        user_name=subscription.name or subscription.address or subscription.id,
                        method=subscription.as_contact_method(),
                        subscription_id=subscription.id,
                    )
                )
                continue
            method = await self._contacts.find_method(subscription.contact_method_id)
            if method is None:  # deleted since: the subscription has nowhere to go
                continue
            user = users.get(method.user_id)
            entries.append(
                self._entry(
                    update,
                    incident,
                    service_name,
                    destination=subscription.destination,
                    user_id=method.user_id,
                    user_name=method.user_id if user is None else user.name,
                    method=method,
                )
            )
        return await self._queue(entries)

    async def to_responders(
        self, update: StatusUpdate, incident: Incident, service_name: str
    ) -> int:
        user_ids = await self._people_on(incident)
        users = await self._users.by_ids(user_ids)
        entries: list[OutboxEntry] = []
        for user_id in user_ids:
            name = users[user_id].name if user_id in users else user_id
            # Every method of the user's plan, once each: an update has no delays to wait out.
            methods = {
                notify.method.id: notify.method for notify in await self._contacts.plan(user_id)
            }
            entries += [
                self._entry(
                    update,
                    incident,
                    service_name,
                    destination=f"method:{method.id}",
                    user_id=user_id,
                    user_name=name,
                    method=method,
                )
                for method in methods.values()
            ]
        return await self._queue(entries)

    async def _people_on(self, incident: Incident) -> list[str]:
        """Responders and role holders, whoever was paged, and whoever acknowledged or resolved."""
        people = dict.fromkeys(incident.response.responders)
        people.update(dict.fromkeys(h.user_id for h in incident.response.roles.values()))
        pages = (await self._outbox.of_incidents([incident.id]))[incident.id]
        people.update(dict.fromkeys(e.user_id for e in pages if e.update is None and e.user_id))
        for actor in (incident.acknowledged_by, incident.resolved_by):
            if actor is not None and actor.startswith(USER_ACTOR):
                user = await self._users.by_name(actor.removeprefix(USER_ACTOR))
                if user is not None:
                    people[user.id] = None
        return list(people)

    def _entry(
        self,
        update: StatusUpdate,
        incident: Incident,
        service_name: str,
        *,
        destination: str,
        user_id: str,
        user_name: str,
        method: ContactMethod,
        subscription_id: str | None = None,
    ) -> OutboxEntry:
        now = self._clock.now()
        return OutboxEntry(
            id=new_id(),
            dedup_key=f"update|{update.id}|{destination}",
            user_id=user_id,
            user_name=user_name,
            contact_method_id=None if subscription_id else method.id,
            kind=method.kind,
            content=PageContent(
                incident_id=incident.id,
                incident_number=incident.number,
                incident_title=incident.title,
                severity=incident.severity.value,
                service_name=service_name,
                alert_count=incident.alert_count,
            ),
            step=0,
            cycle=0,
            send_after=now,
            status=NotificationStatus.PENDING,
            due_ms=to_ms(now),
            created_at=now,
            update=UpdateContent(
                status_update_id=update.id,
                audience=update.audience.value,
                body=update.body,
                state=None if update.state is None else update.state.value,
                author=update.author,
                incident_status=incident.status.value,
                posted_at=update.posted_at,
            ),
            subscription_id=subscription_id,
        )

    async def _queue(self, entries: list[OutboxEntry]) -> int:
        # One destination subscribed twice (to the incident and to its service) counts once.
        return sum([await self._outbox.add(entry) for entry in entries])
