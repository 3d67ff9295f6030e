"""Notifications wired to one database, for the composition root (api/container.py)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.clock import Clock
from domain.contact.repository import ContactMethodRepository, NotificationRuleRepository
from domain.contact.service import ContactBook
from domain.events import EventPublisher
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.store.database import Database
from domain.user.repository import UserRepository
from notifications.ack_links import AckLinks
from notifications.center import NotificationCenter
from notifications.config import NotificationConfig
from notifications.delivery import DeliveryWorker
from notifications.outbox import Outbox
from notifications.pager import OutboxPager
from notifications.secret_key import SecretKey


@dataclass(frozen=True, slots=True)
class Notifications:
    contacts: ContactBook
    center: NotificationCenter
    pager: OutboxPager
    """Hand this to the escalation engine: it implements domain.escalation.paging.Pager."""


def build_notifications(
    db: Database,
    *,
    desk: IncidentDesk,
    publisher: EventPublisher,
    config: NotificationConfig,
    clock: Clock,
) -> Notifications:
    users = UserRepository(db)
    incidents = IncidentRepository(db)
    outbox = Outbox(db)
    contacts = ContactBook(
        methods=ContactMethodRepository(db),
        rules=NotificationRuleRepository(db),
        users=users,
        clock=clock,
    )
    links = AckLinks(
        key=SecretKey(db, config.secret_key), public_url=config.public_url, ttl=config.ack_link_ttl
    )
    pager = OutboxPager(
        contacts=contacts,
        outbox=outbox,
        incidents=incidents,
        users=users,
        publisher=publisher,
        clock=clock,
    )
    worker = DeliveryWorker(
        outbox=outbox,
        contacts=contacts,
        links=links,
        incidents=incidents,
        publisher=publisher,
        config=config,
        clock=clock,
    )
    center = NotificationCenter(
        worker=worker,
        outbox=outbox,
        contacts=contacts,
        links=links,
        desk=desk,
        users=users,
        clock=clock,
    )
    return Notifications(contacts=contacts, center=center, pager=pager)
