"""Status page messages into the outbox: the same worker, retries and channels as pages.

Implements domain.statuspage.ports.SubscriberNotifier. Each subscriber gets one entry
per announcement (keyed by announcement and subscriber), sent at once; the worker looks
the subscriber up before sending, so someone who unsubscribed meanwhile gets nothing.
"""

from __future__ import annotations

from domain.clock import Clock
from domain.ids import new_id
from domain.statuspage.model import Subscriber
from domain.statuspage.ports import SubscriberMessage
from domain.store.timestamps import to_ms
from notifications.outbox import Notice, NotificationStatus, Outbox, OutboxEntry, PageContent


class OutboxSubscriberNotifier:
    def __init__(self, *, outbox: Outbox, clock: Clock) -> None:
        self._outbox = outbox
        self._clock = clock

    async def notify(self, key: str, messages: list[tuple[Subscriber, SubscriberMessage]]) -> int:
        now = self._clock.now()
        queued = 0
        for subscriber, message in messages:
            queued += await self._outbox.add(
                OutboxEntry(
                    id=new_id(),
                    dedup_key=f"{key}|{subscriber.id}",
                    user_id="",
                    user_name=f"status page subscriber {subscriber.id}",
                    contact_method_id=None,
                    kind=subscriber.as_contact_method().kind,
                    # No incident: status page messages never reach an incident's timeline,
                    # and an acknowledgement never cancels them.
                    content=PageContent(
                        incident_id=None,
                        incident_number=0,
                        incident_title=message.subject,
                        severity="info",
                        service_name="-",
                        alert_count=0,
                    ),
                    step=0,
                    cycle=0,
                    send_after=now,
                    status=NotificationStatus.PENDING,
                    due_ms=to_ms(now),
                    created_at=now,
                    notice=Notice(message.subject, message.text, message.event, message.data),
                    status_subscriber_id=subscriber.id,
                )
            )
        return queued
