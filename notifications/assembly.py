"""Notifications wired to one database, for the composition root (api/container.py)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.audit.trail import AuditTrail
from domain.clock import Clock
from domain.contact.repository import ContactMethodRepository, NotificationRuleRepository
from domain.contact.service import ContactBook
from domain.events import EventPublisher
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.stakeholder.repository import SubscriptionRepository
from domain.statuspage.repository import StatusPageRepository
from domain.store.database import Database
from domain.team.repository import TeamRepository
from domain.user.repository import UserRepository
from notifications.ack_links import AckLinks
from notifications.center import NotificationCenter
from notifications.config import NotificationConfig
from notifications.delivery import DeliveryWorker
from notifications.outbox import Outbox
from notifications.pager import OutboxPager
from notifications.secret_key import SecretKey
from notifications.stakeholders import OutboxUpdateNotifier
from notifications.status_links import SignedSubscriberLinks
from notifications.status_notices import OutboxSubscriberNotifier


@dataclass(frozen=True, slots=True)
class Notifications:
    contacts: ContactBook
    center: NotificationCenter
    pager: OutboxPager
    """Hand this to the escalation engine: it implements domain.escalation.paging.Pager."""
    stakeholder_updates: OutboxUpdateNotifier
    """Hand this to domain.stakeholder: it implements its UpdateNotifier."""
    status_notices: OutboxSubscriberNotifier
    """Hand these two to domain.statuspage: its SubscriberNotifier and SubscriberLinks."""
    status_links: SignedSubscriberLinks


def build_notifications(
    db: Database,
    *,
    desk: IncidentDesk,
    publisher: EventPublisher,
    config: NotificationConfig,
    audit: AuditTrail,
    clock: Clock,
) -> Notifications:
    users = UserRepository(db)
    incidents = IncidentRepository(db)
    outbox = Outbox(db)
    contacts = ContactBook(
        methods=ContactMethodRepository(db),
        rules=NotificationRuleRepository(db),
        users=users,
        audit=audit,
        clock=clock,
    )
    key = SecretKey(db, config.secret_key)
    links = AckLinks(key=key, public_url=config.public_url, ttl=config.ack_link_ttl)
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
        subscriptions=SubscriptionRepository(db),
        status_subscribers=StatusPageRepository(db),
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
        teams=TeamRepository(db),
        clock=clock,
    )
    return Notifications(
        contacts=contacts,
        center=center,
        pager=pager,
        stakeholder_updates=OutboxUpdateNotifier(
            outbox=outbox, contacts=contacts, users=users, clock=clock
        ),
        status_notices=OutboxSubscriberNotifier(outbox=outbox, clock=clock),
        status_links=SignedSubscriberLinks(key=key, public_url=config.public_url),
    )
