"""The engine against the real embedded store, with a clock the test moves.

Runs live in a database of their own on the session's store, so the server's own
escalation loop never touches them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from domain.alert.model import Severity
from domain.audit.repository import AuditRepository
from domain.audit.trail import AuditTrail
from domain.auth import Principal, PrincipalKind, Role
from domain.escalation.assembly import Escalation, build_escalation
from domain.escalation.engine import DEFAULT_LEASE
from domain.escalation.model import EscalationPolicy, Plan, Step, Target, TargetKind
from domain.escalation.paging import PageRequest
from domain.escalation.repository import PolicyRepository
from domain.events import IncidentEvent, IncidentEventKind
from domain.ids import new_id
from domain.incident.model import Incident, IncidentStatus
from domain.incident.repository import IncidentRepository
from domain.schedule.repository import ScheduleRepository
from domain.service.model import Service
from domain.service.repository import ServiceRepository
from domain.store.database import Database
from domain.store.timestamps import to_ms
from domain.team.ownership import ServiceOwners
from domain.team.repository import TeamRepository
from domain.team.service import TeamDirectory
from domain.user.repository import UserRepository
from tests.domain.schedule.builders import layer, rotation, schedule
from tests.support import unique

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


class MovableClock:
    def __init__(self) -> None:
        self.moment = START

    def now(self) -> datetime:
        return self.moment

    def advance(self, by: timedelta) -> None:
        self.moment += by


@dataclass
class RecordingPager:
    """The notifications seam: keeps what it was asked to page; can fail a number of times."""

    failures: int = 0
    requests: list[PageRequest] = field(default_factory=list)

    async def page(self, requests: Sequence[PageRequest]) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("the pager went away mid-step")
        self.requests.extend(requests)


@dataclass
class RecordingPublisher:
    events: list[IncidentEvent] = field(default_factory=list)

    async def publish(self, events: list[IncidentEvent]) -> None:
        self.events.extend(events)


def engine_on(db: Database, clock: MovableClock, pager: RecordingPager) -> Escalation:
    audit = AuditTrail(repository=AuditRepository(db), clock=clock)
    teams = TeamDirectory(
        repository=TeamRepository(db), users=UserRepository(db), audit=audit, clock=clock
    )
    escalation = build_escalation(
        db,
        publisher=RecordingPublisher(),
        teams=teams,
        owners=ServiceOwners(ServiceRepository(db)),
        audit=audit,
        clock=clock,
    )
    escalation.pages.deliver_through(pager)
    return escalation


async def incident_on_policy(db: Database, clock: MovableClock, plan: Plan) -> Incident:
    policy = EscalationPolicy(new_id(), unique("policy"), "", plan, clock.now())
    await PolicyRepository(db).insert(policy)
    service = Service(new_id(), unique("svc"), "", (), clock.now(), escalation_policy_id=policy.id)
    await ServiceRepository(db).insert(service)
    incident = Incident(
        id=new_id(),
        number=1,
        title="down",
        status=IncidentStatus.TRIGGERED,
        severity=Severity.CRITICAL,
        service_id=service.id,
        created_at=clock.now(),
        first_event_at=clock.now(),
        last_event_at=clock.now(),
        alert_count=1,
        open_alert_count=1,
    )
    await IncidentRepository(db).insert_many([incident])
    return incident


def users(*ids: str, minutes: float = 5) -> Step:
    return Step(tuple(Target(TargetKind.USER, u) for u in ids), timedelta(minutes=minutes))


async def test_steps_fire_when_due_and_not_before(db: Database) -> None:
    clock, pager = MovableClock(), RecordingPager()
    escalation = engine_on(db, clock, pager)
    incident = await incident_on_policy(db, clock, Plan(steps=(users("ann"), users("bob"))))
    assert len(await escalation.engine.start([incident])) == 1
    assert await escalation.engine.start([incident]) == [], "starting is idempotent"

    assert await escalation.engine.fire_due() == 1
    clock.advance(timedelta(minutes=5) - timedelta(seconds=1))
    assert await escalation.engine.fire_due() == 0
    clock.advance(timedelta(seconds=1))
    assert await escalation.engine.fire_due() == 1
    assert [(r.user_id, r.step, r.requested_at) for r in pager.requests] == [
        ("ann", 1, START),
        ("bob", 2, START + timedelta(minutes=5)),
    ]
    clock.advance(timedelta(hours=1))
    assert await escalation.engine.fire_due() == 0, "the policy is exhausted"


async def test_an_empty_step_is_skipped_and_repeats_run_again(db: Database) -> None:
    clock, pager = MovableClock(), RecordingPager()
    await ScheduleRepository(db).insert(
        schedule(layer(rotation(("cat",), starts_on=datetime(2030, 1, 1).date())))
    )
    nobody = Step((Target(TargetKind.SCHEDULE, "s1"),), timedelta(minutes=5))
    escalation = engine_on(db, clock, pager)
    incident = await incident_on_policy(
        db, clock, Plan(steps=(nobody, users("bob", minutes=10)), repeats=1)
    )
    await escalation.engine.start([incident])

    assert await escalation.engine.fire_due() == 2, "step 1 skipped, step 2 at once"
    clock.advance(timedelta(minutes=10))
    assert await escalation.engine.fire_due() == 2, "cycle 2: skipped again, then bob"
    assert [(r.user_id, r.cycle, r.step) for r in pager.requests] == [
        ("bob", 1, 2),
        ("bob", 2, 2),
    ]


async def test_a_leased_run_is_not_fired_by_another_worker_until_the_lease_ends(
    db: Database,
) -> None:
    clock, pager = MovableClock(), RecordingPager(failures=1)
    first, second = engine_on(db, clock, pager), engine_on(db, clock, pager)
    incident = await incident_on_policy(db, clock, Plan(steps=(users("ann"), users("bob"))))
    await first.engine.start([incident])

    # The first worker decides step 1, then dies before paging: its lease stays behind.
    assert await first.engine.fire_due() == 0
    assert await second.engine.fire_due() == 0, "still leased"
    clock.advance(DEFAULT_LEASE + timedelta(seconds=1))
    assert await second.engine.fire_due() == 1
    assert [r.user_id for r in pager.requests] == ["ann"]
    paged = await db["timeline"].count_documents({"incident_id": incident.id, "kind": "paged"})
    assert paged == 1
    assert await db["escalation_fired_steps"].count_documents({}) == 1


async def test_a_retried_step_pages_the_people_it_first_decided_on(db: Database) -> None:
    """The decision is written before paging: a retry after the on-call handoff pages the
    same person under the same key, not the next one on call."""
    clock, pager = MovableClock(), RecordingPager(failures=1)
    escalation = engine_on(db, clock, pager)
    incident = await incident_on_policy(db, clock, Plan(steps=(users("ann"),)))
    await escalation.engine.start([incident])
    await escalation.engine.fire_due()
    clock.advance(DEFAULT_LEASE + timedelta(seconds=1))
    await escalation.engine.fire_due()
    [request] = pager.requests
    assert request.user_id == "ann"
    assert request.requested_at == START
    [fired] = await db["escalation_fired_steps"].find({}).to_list(None)
    assert request.key == f"{fired['_id']}:ann"


async def test_acknowledged_incidents_stop_escalating(db: Database) -> None:
    clock, pager = MovableClock(), RecordingPager()
    escalation = engine_on(db, clock, pager)
    incident = await incident_on_policy(db, clock, Plan(steps=(users("ann"), users("bob"))))
    await escalation.engine.start([incident])
    await escalation.engine.fire_due()
    # Acknowledged without the event reaching escalation: the step re-reads the incident.
    await IncidentRepository(db).transition(
        incident.id, [IncidentStatus.TRIGGERED.value], {"status": "acknowledged"}
    )
    clock.advance(timedelta(minutes=5))
    await escalation.engine.fire_due()
    assert [r.user_id for r in pager.requests] == ["ann"]
    [run] = await db["escalation_runs"].find({}).to_list(None)
    assert (run["state"], run["stopped_reason"]) == ("stopped", "incident acknowledged")


async def test_the_publisher_starts_and_stops_runs_from_events(db: Database) -> None:
    clock, pager = MovableClock(), RecordingPager()
    escalation = engine_on(db, clock, pager)
    incident = await incident_on_policy(db, clock, Plan(steps=(users("ann"),)))

    def event(kind: IncidentEventKind) -> IncidentEvent:
        return IncidentEvent(
            kind, incident.id, incident.service_id, clock.now(), incident.to_document()
        )

    await escalation.publisher.publish([event(IncidentEventKind.CREATED)])
    assert await db["escalation_runs"].count_documents({"state": "active"}) == 1
    await escalation.publisher.publish([event(IncidentEventKind.RESOLVED)])
    [run] = await db["escalation_runs"].find({}).to_list(None)
    assert (run["state"], run["stopped_reason"]) == ("stopped", "incident resolved")
    assert await escalation.engine.fire_due() == 0


RESPONDER = Principal(PrincipalKind.USER, "r1", "rita", role=Role.RESPONDER)


async def test_escalating_by_hand_fires_the_pending_step_now(db: Database) -> None:
    clock, pager = MovableClock(), RecordingPager()
    escalation = engine_on(db, clock, pager)
    incident = await incident_on_policy(db, clock, Plan(steps=(users("ann"), users("bob"))))
    await escalation.engine.start([incident])
    await escalation.engine.fire_due()

    await escalation.escalations.escalate(RESPONDER, incident.id)
    assert await escalation.engine.fire_due() == 1
    assert [(r.user_id, r.requested_at) for r in pager.requests] == [
        ("ann", START),
        ("bob", START),
    ]


async def test_escalating_while_a_worker_fires_a_step_moves_past_that_step(
    db: Database,
) -> None:
    clock, pager = MovableClock(), RecordingPager(failures=1)
    escalation = engine_on(db, clock, pager)
    incident = await incident_on_policy(
        db, clock, Plan(steps=(users("ann"), users("bob"), users("cat")))
    )
    await escalation.engine.start([incident])
    await escalation.engine.fire_due()  # step 1 decided, then its worker is stuck: still leased

    await escalation.escalations.escalate(RESPONDER, incident.id)
    assert await escalation.engine.fire_due() == 1, "step 2 needs no wait for step 1's lease"
    assert [r.user_id for r in pager.requests] == ["bob"]
    [run] = await db["escalation_runs"].find({}).to_list(None)
    assert (run["step"], run["due_ms"]) == (3, to_ms(START + timedelta(minutes=5)))
