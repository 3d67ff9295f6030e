"""The escalation pieces wired to one database, for the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from domain.audit.trail import AuditTrail
from domain.clock import Clock
from domain.escalation.engine import EscalationEngine
from domain.escalation.page_log import PageLog
from domain.escalation.repository import PolicyRepository, RunRepository
from domain.escalation.service import EscalationPolicies, Escalations
from domain.escalation.starter import EscalatingPublisher
from domain.escalation.targets import TargetResolver
from domain.events import EventPublisher
from domain.incident.repository import IncidentRepository
from domain.schedule.repository import ScheduleRepository
from domain.service.repository import ServiceRepository
from domain.store.database import Database
from domain.team.ownership import ServiceOwners
from domain.team.service import TeamDirectory
from domain.user.repository import UserRepository


@dataclass(frozen=True, slots=True)
class Escalation:
    engine: EscalationEngine
    policies: EscalationPolicies
    escalations: Escalations
    publisher: EscalatingPublisher
    """The process's publisher with escalation following incidents: give it to the domain."""
    pages: PageLog
    """Attach notifications' pager here (``deliver_through``) to have pages delivered."""


def build_escalation(
    db: Database,
    *,
    publisher: EventPublisher,
    teams: TeamDirectory,
    owners: ServiceOwners,
    audit: AuditTrail,
    clock: Clock,
) -> Escalation:
    runs, policies = RunRepository(db), PolicyRepository(db)
    incidents, services = IncidentRepository(db), ServiceRepository(db)
    users, schedules = UserRepository(db), ScheduleRepository(db)
    targets = TargetResolver(schedules=schedules)
    pages = PageLog(db)
    engine = EscalationEngine(
        runs=runs,
        policies=policies,
        incidents=incidents,
        services=services,
        users=users,
        targets=targets,
        pager=pages,
        publisher=publisher,
        clock=clock,
    )
    return Escalation(
        engine=engine,
        policies=EscalationPolicies(
            policies=policies,
            services=services,
            users=users,
            schedules=schedules,
            teams=teams,
            audit=audit,
            clock=clock,
        ),
        escalations=Escalations(
            engine=engine,
            owners=owners,
            runs=runs,
            policies=policies,
            incidents=incidents,
            services=services,
            users=users,
            targets=targets,
            clock=clock,
        ),
        publisher=EscalatingPublisher(publisher, engine),
        pages=pages,
    )
