"""The outbox worker: claim due entries, send them, log every attempt, retry, give up.

Every process runs it (``deliver_due``, a background job). Claims are leased, so
workers share the outbox without sending an entry twice at once; an entry whose
worker died is claimed again when its lease runs out. A receiver may still see a
notification twice if a worker dies after sending and before recording: receivers
that care drop repeats by the notification id (``Vigil-Delivery``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import timedelta

import httpx

from domain.clock import Clock
from domain.contact.model import ContactKind, ContactMethod
from domain.contact.service import ContactBook
from domain.events import EventPublisher
from domain.incident.model import IncidentStatus, TimelineKind
from domain.incident.repository import IncidentRepository
from domain.stakeholder.repository import SubscriptionRepository
from domain.statuspage.repository import StatusPageRepository
from domain.store.timestamps import to_ms
from notifications import timeline
from notifications.ack_links import AckLinks
from notifications.channels import Channel, DeliveryError
from notifications.channels.email import EmailChannel
from notifications.channels.slack import SlackChannel
from notifications.channels.sms import SmsChannel
from notifications.channels.teams import TeamsChannel
from notifications.channels.webhook import WebhookChannel
from notifications.config import NotificationConfig
from notifications.outbox import (
    AttemptOutcome,
    DeliveryAttempt,
    NotificationStatus,
    Outbox,
    OutboxEntry,
)
from notifications.templates import Message

log = logging.getLogger(__name__)

CONCURRENCY = 8
"""Entries sent at once by one process: one slow receiver does not hold up the rest."""
MAX_PER_ROUND = 1000
"""Per sender and round, so a round always ends and the other jobs get their turn."""


class DeliveryWorker:
    def __init__(
        self,
        *,
        outbox: Outbox,
        contacts: ContactBook,
        subscriptions: SubscriptionRepository,
        status_subscribers: StatusPageRepository,
        links: AckLinks,
        incidents: IncidentRepository,
        publisher: EventPublisher,
        config: NotificationConfig,
        clock: Clock,
    ) -> None:
        self._publisher = publisher
        self._outbox = outbox
        self._contacts = contacts
        self._subscriptions = subscriptions
        self._status_subscribers = status_subscribers
        self._links = links
        self._incidents = incidents
        self._config = config
        self._clock = clock
        self._http: httpx.AsyncClient | None = None
        # Longer than any one attempt can take, so a lease only lapses when its worker died.
        self._lease = config.timeout * 3 + timedelta(seconds=30)

    async def deliver_due(self) -> int:
        """Send everything due; return how many notifications were delivered.

        One claim when nothing is due (the common case, every tick); several senders at
        once when something is, so one slow receiver does not hold up the rest.
        """
        first = await self._outbox.claim(self._now_ms(), self._lease_ms)
        if first is None:
            return 0
        channels = self._channels()
        delivered = await asyncio.gather(
            self._drain(channels, first), *(self._drain(channels) for _ in range(CONCURRENCY - 1))
        )
        return sum(delivered)

    async def deliver_one(self, entry_id: str) -> None:
        """Try one entry now (a test notification), if no worker holds it."""
        entry = await self._outbox.claim(self._now_ms(), self._lease_ms, entry_id=entry_id)
        if entry is not None:
            await self._attempt(entry, self._channels())

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def _drain(
        self, channels: dict[ContactKind, Channel], entry: OutboxEntry | None = None
    ) -> int:
        delivered = 0
        for _ in range(MAX_PER_ROUND):
            entry = entry or await self._outbox.claim(self._now_ms(), self._lease_ms)
            if entry is None:
                break
            delivered += await self._attempt(entry, channels)
            entry = None
        return delivered

    async def _attempt(self, entry: OutboxEntry, channels: dict[ContactKind, Channel]) -> bool:
        if (reason := await self._obsolete(entry)) is not None:
            await self._cancel(entry, reason)
            return False
        if entry.subscription_id is not None:
            subscription = await self._subscriptions.find(entry.subscription_id)
            if subscription is None:
                await self._cancel(entry, "The stakeholder unsubscribed.")
                return False
            method: ContactMethod | None = subscription.as_contact_method()
        elif entry.status_subscriber_id is not None:
            subscriber = await self._status_subscribers.find_subscriber(entry.status_subscriber_id)
            if subscriber is None:
                await self._cancel(entry, "The status page subscriber unsubscribed.")
                return False
            method = subscriber.as_contact_method()
        elif entry.contact_method_id is None:
            method = None
        else:
            method = await self._contacts.find_method(entry.contact_method_id)
        if method is None:
            await self._fail(entry, "The contact method was deleted.", None, final=True)
            return False
        try:
            message = await self._message(entry)
            status_code = await channels[method.kind].send(method, message)
        except DeliveryError as exc:
            await self._fail(entry, str(exc), exc.status_code, final=False)
            return False
        except Exception as exc:
            log.exception("notification %s: unexpected error while sending", entry.id)
            await self._fail(entry, f"{type(exc).__name__}: {exc}", None, final=False)
            return False
        now = self._clock.now()
        attempt = DeliveryAttempt(now, AttemptOutcome.DELIVERED, status_code=status_code)
        # A stakeholder update is on the timeline once, as posted: one entry per
        # stakeholder reached would bury the responders' own entries.
        if (
            await self._outbox.record(
                entry, attempt, status=NotificationStatus.SENT, due_ms=to_ms(now)
            )
            and entry.update is None
        ):
            await timeline.record(
                self._incidents,
                self._publisher,
                _with(entry, attempt),
                TimelineKind.NOTIFICATION_SENT,
                f"Notified {entry.user_name} by {method.kind.value} ({method.label}).",
                now,
            )
        return True

    async def _obsolete(self, entry: OutboxEntry) -> str | None:
        """Why a page need not go out any more: its incident was acknowledged or resolved.
        Stakeholder updates always go out: they often say just that."""
        if entry.incident_id is None or entry.update is not None:
            return None
        incident = (await self._incidents.by_ids([entry.incident_id])).get(entry.incident_id)
        if incident is None:
            return "The incident no longer exists."
        if incident.status is not IncidentStatus.TRIGGERED:
            return f"The incident was {incident.status.value} before this notification was due."
        return None

    async def _fail(
        self, entry: OutboxEntry, error: str, status_code: int | None, *, final: bool
    ) -> None:
        now = self._clock.now()
        attempt = DeliveryAttempt(now, AttemptOutcome.FAILED, error, status_code)
        attempts = len(entry.attempts) + 1
        if not final and attempts < self._config.max_attempts:
            retry_at = now + self._config.backoff_after(attempts)
            await self._outbox.record(
                entry, attempt, status=NotificationStatus.PENDING, due_ms=to_ms(retry_at)
            )
            return
        if await self._outbox.record(
            entry, attempt, status=NotificationStatus.DEAD, due_ms=to_ms(now)
        ):
            log.warning("notification %s dead after %d attempts: %s", entry.id, attempts, error)
            if entry.update is not None:
                return
            await timeline.record(
                self._incidents,
                self._publisher,
                _with(entry, attempt),
                TimelineKind.NOTIFICATION_FAILED,
                f"Could not notify {entry.user_name} by "
                f"{'-' if entry.kind is None else entry.kind.value} after {attempts} "
                f"attempt(s): {error}",
                now,
            )

    async def _cancel(self, entry: OutboxEntry, reason: str) -> None:
        now = self._clock.now()
        skipped = DeliveryAttempt(now, AttemptOutcome.SKIPPED, reason)
        await self._outbox.record(
            entry, skipped, status=NotificationStatus.CANCELLED, due_ms=to_ms(now)
        )

    async def _message(self, entry: OutboxEntry) -> Message:
        incident_id = entry.incident_id
        public_url = self._config.public_url.rstrip("/")
        # Outside stakeholders cannot sign in, and nobody acknowledges through an update.
        return Message(
            content=entry.content,
            incident_url=None
            if incident_id is None or entry.subscription_id is not None
            else f"{public_url}/warroom#incident={incident_id}",
            ack_url=None
            if incident_id is None or entry.update is not None
            else await self._links.url(incident_id, entry.user_id, self._clock.now()),
            notification_id=entry.id,
            update=entry.update,
            notice=entry.notice,
        )

    def _channels(self) -> dict[ContactKind, Channel]:
        config = self._config
        if self._http is None:
            # One client for the process: building one loads the CA bundle (tens of ms).
            self._http = httpx.AsyncClient(timeout=config.timeout.total_seconds())
        client = self._http
        return {
            ContactKind.EMAIL: EmailChannel(config.smtp, timeout_s=config.timeout.total_seconds()),
            ContactKind.SLACK: SlackChannel(client),
            ContactKind.TEAMS: TeamsChannel(client),
            ContactKind.WEBHOOK: WebhookChannel(client, self._clock),
            ContactKind.SMS: SmsChannel(
                client, url=config.sms_gateway_url, token=config.sms_gateway_token
            ),
        }

    @property
    def _lease_ms(self) -> int:
        return int(self._lease.total_seconds() * 1000)

    def _now_ms(self) -> int:
        return to_ms(self._clock.now())


def _with(entry: OutboxEntry, attempt: DeliveryAttempt) -> OutboxEntry:
    """The entry as just recorded, for the timeline's attempt count."""
    return dataclasses.replace(entry, attempts=(*entry.attempts, attempt))
