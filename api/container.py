"""The composition root: the domain's use cases wired to one database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from api.request_scope import current_request_id
from correlation import TimeWindowCorrelator
from domain.alert.firing_keys import FiringKeys
from domain.alert.repository import AlertRepository
from domain.analytics.service import Analytics
from domain.audit.repository import AuditRepository
from domain.audit.trail import AuditLog, AuditTrail
from domain.calendar.repository import CalendarFeedRepository
from domain.calendar.service import CalendarFeeds
from domain.clock import Clock
from domain.context.assembly import Context, build_context
from domain.correlation.assembly import CorrelationSurface, build_correlation
from domain.correlation.live import LiveCorrelator
from domain.correlation.settings import DEFAULT_SETTINGS, CorrelationSettings, EngineKind
from domain.escalation.assembly import Escalation, build_escalation
from domain.events import EventPublisher
from domain.heartbeat.repository import HeartbeatRepository
from domain.heartbeat.service import Heartbeats
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.ingest.claim import StoreLease
from domain.ingest.decisions import DecisionLog
from domain.ingest.journal import IngestJournal
from domain.ingest.service import AlertIngestor
from domain.integration.repository import IntegrationKeyRepository
from domain.integration.service import IntegrationKeys
from domain.maintenance.model import MaintenanceWindow
from domain.maintenance.service import MaintenanceWindows
from domain.noise.controls import NoiseControls
from domain.postmortem.assembly import Postmortems, build_postmortems
from domain.response.assembly import Response, build_response
from domain.rules.model import EventRule
from domain.rules.service import EventRules
from domain.schedule.repository import ScheduleRepository
from domain.schedule.service import Schedules
from domain.service.repository import ServiceRepository
from domain.service.service import ServiceCatalog
from domain.silence.model import Silence
from domain.silence.service import Silences
from domain.stakeholder.assembly import Stakeholders, build_stakeholders
from domain.statuspage.assembly import build_status_pages
from domain.statuspage.service import StatusPages
from domain.store.database import Database
from domain.store.documents import DocumentRepository
from domain.team.ownership import ServiceOwners
from domain.team.repository import TeamRepository
from domain.team.service import TeamDirectory
from domain.user.repository import UserRepository
from domain.user.service import UserDirectory
from notifications.assembly import Notifications, build_notifications
from notifications.config import NotificationConfig
from notifications.hub import LiveHub
from notifications.status_hub import StatusHub


@dataclass(frozen=True, slots=True)
class Container:
    services: ServiceCatalog
    integration_keys: IntegrationKeys
    users: UserDirectory
    teams: TeamDirectory
    owners: ServiceOwners
    """Which team owns each service: the scope of incidents, alerts and integration keys."""
    incidents: IncidentDesk
    ingest: AlertIngestor
    silences: Silences
    maintenance: MaintenanceWindows
    rules: EventRules
    heartbeats: Heartbeats
    schedules: Schedules
    calendar_feeds: CalendarFeeds
    notifications: Notifications
    postmortems: Postmortems
    stakeholders: Stakeholders
    response: Response
    escalation: Escalation
    correlation: CorrelationSurface
    hub: LiveHub
    status_pages: StatusPages
    status_hub: StatusHub
    """Live status page events: what the public status subscription reads."""
    clock: Clock
    public_url: str
    """Where people reach this deployment (VIGIL_PUBLIC_URL), for links handed out."""
    analytics: Analytics
    context: Context
    """Change events and the responder's context of incidents."""
    audit_log: AuditLog
    """Configuration changes, for admins; every configuration use case records through one
    AuditTrail."""


def build_container(
    db: Database,
    *,
    publisher: EventPublisher,
    hub: LiveHub,
    status_hub: StatusHub,
    clock: Clock,
    notification_config: NotificationConfig | None = None,
    correlation_defaults: CorrelationSettings = DEFAULT_SETTINGS,
    correlation_retrain_every: timedelta = timedelta(hours=24),
    replicated: bool = False,
) -> Container:
    audit_repository = AuditRepository(db)
    audit = AuditTrail(repository=audit_repository, clock=clock, request_id=current_request_id)
    service_repository = ServiceRepository(db)
    owners = ServiceOwners(service_repository)
    user_repository = UserRepository(db)
    team_repository = TeamRepository(db)
    teams = TeamDirectory(
        repository=team_repository, users=user_repository, audit=audit, clock=clock
    )
    # Every use case announces through this publisher, so escalation starts and stops
    # with the incidents' events and the ingest path stays as it is.
    escalation = build_escalation(
        db, publisher=publisher, teams=teams, owners=owners, audit=audit, clock=clock
    )
    publisher = escalation.publisher
    # One process alone writes alerts unless replicas share the store: it may keep the
    # firing keys in memory (domain/alert/firing_keys.py).
    alerts = AlertRepository(db, None if replicated else FiringKeys(db["alerts"]))
    incidents = IncidentRepository(db)
    # The rule until `CorrelationSwitch.start` puts in what the settings describe.
    window = correlation_defaults.window_seconds
    correlator = LiveCorrelator(
        TimeWindowCorrelator(timedelta(seconds=window)),
        CorrelationSettings(EngineKind.WINDOW, window),
    )
    key_repository = IntegrationKeyRepository(db)
    services = ServiceCatalog(
        repository=service_repository, owners=owners, teams=teams, audit=audit, clock=clock
    )
    desk = IncidentDesk(
        incidents=incidents, alerts=alerts, owners=owners, publisher=publisher, clock=clock
    )
    silence_repository = DocumentRepository(db, "silences", Silence.from_document, noun="silence")
    window_repository = DocumentRepository(
        db, "maintenance_windows", MaintenanceWindow.from_document, noun="maintenance window"
    )
    rule_repository = DocumentRepository(
        db, "event_rules", EventRule.from_document, noun="event rule"
    )
    noise = NoiseControls(
        rules=rule_repository, silences=silence_repository, windows=window_repository, clock=clock
    )
    ingest = AlertIngestor(
        alerts=alerts,
        incidents=incidents,
        desk=desk,
        services=services,
        correlator=correlator,
        noise=noise,
        journal=IngestJournal(db),
        publisher=publisher,
        clock=clock,
        decisions=DecisionLog(db),
        claim=StoreLease(db, clock) if replicated else None,
    )
    schedule_repository = ScheduleRepository(db)
    notification_config = notification_config or NotificationConfig()
    notifications = build_notifications(
        db, desk=desk, publisher=publisher, config=notification_config, audit=audit, clock=clock
    )
    escalation.pages.deliver_through(notifications.pager)
    stakeholders = build_stakeholders(
        db,
        desk=desk,
        services=services,
        owners=owners,
        contacts=notifications.contacts,
        notifier=notifications.stakeholder_updates,
        publisher=publisher,
        audit=audit,
        clock=clock,
    )
    status_pages = build_status_pages(
        db,
        desk=desk,
        services=services,
        publisher=publisher,
        status_events=status_hub,
        links=notifications.status_links,
        notifier=notifications.status_notices,
        audit=audit,
        clock=clock,
        public_url=notification_config.public_url,
    )
    # PUBLIC stakeholder updates are posted to the public incidents linked to the incident.
    stakeholders.updates.publish_publicly_through(status_pages)
    postmortems = build_postmortems(
        db,
        incidents=incidents,
        desk=desk,
        alerts=alerts,
        users=user_repository,
        publisher=publisher,
        audit=audit,
        clock=clock,
    )
    return Container(
        services=services,
        integration_keys=IntegrationKeys(
            repository=key_repository, services=services, owners=owners, audit=audit, clock=clock
        ),
        users=UserDirectory(
            users=user_repository,
            integration_keys=key_repository,
            teams=team_repository,
            audit=audit,
            clock=clock,
        ),
        teams=teams,
        owners=owners,
        incidents=desk,
        ingest=ingest,
        silences=Silences(repository=silence_repository, noise=noise, audit=audit, clock=clock),
        maintenance=MaintenanceWindows(
            repository=window_repository,
            services=services,
            owners=owners,
            noise=noise,
            audit=audit,
            clock=clock,
        ),
        rules=EventRules(repository=rule_repository, noise=noise, audit=audit, clock=clock),
        heartbeats=Heartbeats(
            repository=HeartbeatRepository(db),
            services=services,
            owners=owners,
            ingest=ingest,
            audit=audit,
            clock=clock,
        ),
        schedules=Schedules(
            repository=schedule_repository,
            users=user_repository,
            teams=teams,
            audit=audit,
            clock=clock,
        ),
        calendar_feeds=CalendarFeeds(
            repository=CalendarFeedRepository(db),
            schedules=schedule_repository,
            users=user_repository,
            teams=team_repository,
            audit=audit,
            clock=clock,
        ),
        notifications=notifications,
        postmortems=postmortems,
        stakeholders=stakeholders,
        response=build_response(db, desk=desk, publisher=publisher, audit=audit, clock=clock),
        escalation=escalation,
        correlation=build_correlation(
            db,
            correlator=correlator,
            publisher=publisher,
            clock=clock,
            defaults=correlation_defaults,
            retrain_every=correlation_retrain_every,
            audit=audit,
            owners=owners,
        ),
        hub=hub,
        status_pages=status_pages,
        status_hub=status_hub,
        clock=clock,
        public_url=notification_config.public_url,
        analytics=Analytics(
            incidents=incidents,
            alerts=alerts,
            pages=escalation.pages,
            services=ServiceRepository(db),
            owners=owners,
            users=user_repository,
        ),
        context=build_context(
            db, services=services, owners=owners, clock=clock, postmortems=postmortems.index
        ),
        audit_log=AuditLog(repository=audit_repository),
    )
