"""The correlation analyst surface wired to one database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.alert.repository import AlertRepository
from domain.audit.trail import AuditTrail
from domain.clock import Clock
from domain.correlation.insights import CorrelationInsights
from domain.correlation.learning import ModelLearning
from domain.correlation.live import LiveCorrelator
from domain.correlation.models import CorrelationModels
from domain.correlation.regrouping_follower import RegroupingFollower
from domain.correlation.settings import CorrelationSettings
from domain.correlation.settings_store import SettingsStore
from domain.correlation.switch import CorrelationSwitch
from domain.correlation.tuning import CorrelationTuning
from domain.events import EventPublisher
from domain.feedback.repository import FeedbackRepository
from domain.incident.regrouping import IncidentRegrouping
from domain.incident.repository import IncidentRepository
from domain.service.repository import ServiceRepository
from domain.store.database import Database
from domain.team.ownership import ServiceOwners


@dataclass(frozen=True, slots=True)
class CorrelationSurface:
    regrouping: IncidentRegrouping
    learning: ModelLearning
    tuning: CorrelationTuning
    insights: CorrelationInsights
    switch: CorrelationSwitch
    regroupings_elsewhere: RegroupingFollower


def build_correlation(
    db: Database,
    *,
    correlator: LiveCorrelator,
    publisher: EventPublisher,
    clock: Clock,
    defaults: CorrelationSettings,
    retrain_every: timedelta,
    audit: AuditTrail,
    owners: ServiceOwners,
) -> CorrelationSurface:
    """`owners` scopes regrouping and explanations to the teams of the incidents' services."""
    alerts = AlertRepository(db)
    incidents = IncidentRepository(db)
    feedback = FeedbackRepository(db)
    models = CorrelationModels(db)
    services = ServiceRepository(db)
    settings = SettingsStore(db, defaults)
    switch = CorrelationSwitch(
        live=correlator, settings=settings, models=models, alerts=alerts, services=services
    )
    tuning = CorrelationTuning(store=settings, switch=switch, audit=audit)
    return CorrelationSurface(
        regrouping=IncidentRegrouping(
            incidents=incidents,
            alerts=alerts,
            feedback=feedback,
            correlator=correlator,
            owners=owners,
            publisher=publisher,
            clock=clock,
        ),
        learning=ModelLearning(
            models=models,
            alerts=alerts,
            incidents=incidents,
            feedback=feedback,
            services=services,
            switch=switch,
            clock=clock,
            retrain_every=retrain_every,
        ),
        tuning=tuning,
        insights=CorrelationInsights(
            alerts=alerts,
            feedback=feedback,
            models=models,
            services=services,
            settings=settings,
            owners=owners,
        ),
        switch=switch,
        regroupings_elsewhere=RegroupingFollower(
            feedback=feedback, correlator=correlator, clock=clock
        ),
    )
