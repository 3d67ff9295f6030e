"""The responder context against the real embedded store, with a clock the test moves.

Each test has a database of its own on the session's store: the history the similarity
model reads is exactly what the test wrote.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.alert.model import Severity
from domain.alert.repository import AlertRepository
from domain.audit.repository import AuditRepository
from domain.audit.trail import AuditTrail
from domain.auth import Principal, PrincipalKind, Role
from domain.change.model import ChangeEvent, ChangeKind
from domain.change.repository import ChangeEventRepository
from domain.context.assembly import Context, build_context
from domain.context.model import ContextRequest
from domain.context.ports import PostmortemRef
from domain.context.similar import FULL_RELOAD
from domain.errors import ForbiddenError, NotFoundError
from domain.ids import new_id
from domain.incident.model import Incident, IncidentStatus
from domain.incident.repository import IncidentRepository
from domain.service.model import Runbook, Service
from domain.service.repository import ServiceRepository
from domain.service.service import ServiceCatalog
from domain.store.database import Database
from domain.team.ownership import ServiceOwners
from domain.team.repository import TeamRepository
from domain.team.service import TeamDirectory
from domain.user.repository import UserRepository
from tests.support import stored_alert

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
READER = Principal(PrincipalKind.USER, "u1", "reader", role=Role.VIEWER)


class MovableClock:
    def __init__(self) -> None:
        self.moment = START

    def now(self) -> datetime:
        return self.moment


class Postmortems:
    """A PostmortemIndex with one postmortem, recording what it was asked."""

    def __init__(self, incident_id: str) -> None:
        self.incident_id = incident_id
        self.asked: list[list[str]] = []

    async def for_incidents(self, incident_ids: list[str]) -> dict[str, PostmortemRef]:
        self.asked.append(incident_ids)
        ref = PostmortemRef("pm-1", "Disk filled by WAL", "published")
        return {self.incident_id: ref} if self.incident_id in incident_ids else {}


async def add_service(db: Database, name: str, depends_on: tuple[str, ...] = ()) -> Service:
    service = Service(
        id=new_id(),
        name=name,
        description="",
        depends_on=depends_on,
        created_at=START,
        runbooks=(Runbook("https://wiki.example.com/" + name, name),),
    )
    await ServiceRepository(db).insert(service)
    return service


async def add_incident(
    db: Database,
    service: Service,
    summary: str,
    at: datetime,
    *,
    resolved_after: timedelta | None = None,
    note: str | None = None,
) -> Incident:
    incident = Incident(
        id=new_id(),
        number=1,
        title=summary,
        status=IncidentStatus.RESOLVED if resolved_after else IncidentStatus.TRIGGERED,
        severity=Severity.ERROR,
        service_id=service.id,
        created_at=at,
        first_event_at=at,
        last_event_at=at,
        alert_count=1,
        open_alert_count=0 if resolved_after else 1,
        resolved_at=at + resolved_after if resolved_after else None,
        resolution_note=note,
    )
    await IncidentRepository(db).insert_many([incident])
    alert = stored_alert(
        service_id=service.id,
        service=service.name,
        at=at,
        dedup_key=new_id(),
        summary=summary,
        incident_id=incident.id,
    )
    await AlertRepository(db).insert_new([alert])
    return incident


async def add_change(db: Database, service: Service, summary: str, at: datetime) -> None:
    change = ChangeEvent(
        id=new_id(),
        kind=ChangeKind.DEPLOY,
        summary=summary,
        source="ci",
        service_id=service.id,
        service=service.name,
        occurred_at=at,
        received_at=at,
        sent_by="integration_key:ci",
    )
    await ChangeEventRepository(db).insert_many([change])


def context_on(
    db: Database, clock: MovableClock, postmortems: Postmortems | None = None
) -> Context:
    audit = AuditTrail(repository=AuditRepository(db), clock=clock)
    services = ServiceRepository(db)
    teams = TeamDirectory(
        repository=TeamRepository(db), users=UserRepository(db), audit=audit, clock=clock
    )
    catalog = ServiceCatalog(
        repository=services, owners=ServiceOwners(services), teams=teams, audit=audit, clock=clock
    )
    return build_context(
        db,
        services=catalog,
        owners=ServiceOwners(services),
        clock=clock,
        postmortems=postmortems,
    )


async def test_similar_incidents_come_with_their_note_and_postmortem(db: Database) -> None:
    clock = MovableClock()
    db_service, web = await add_service(db, "orders-db"), await add_service(db, "web")
    hour = timedelta(hours=1)
    truth = await add_incident(
        db,
        db_service,
        "Disk usage above 91% on node db-3",
        START - 5 * hour,
        resolved_after=hour,
        note="Pruned the WAL archive.",
    )
    await add_incident(db, web, "p99 latency above 2s", START - 4 * hour, resolved_after=hour)
    postmortems = Postmortems(truth.id)
    current = await add_incident(db, web, "Disk usage above 97% on node db-7", START)

    found = await context_on(db, clock, postmortems).incidents.of_incident(
        READER, current.id, ContextRequest(similar=1)
    )

    [similar] = found.similar
    assert similar.incident.id == truth.id
    assert similar.incident.resolution_note == "Pruned the WAL archive."
    assert similar.postmortem == PostmortemRef("pm-1", "Disk filled by WAL", "published")
    assert postmortems.asked == [[truth.id]]
    assert found.runbooks == web.runbooks


async def test_the_fit_is_kept_until_a_resolution_is_newer_or_it_ages(db: Database) -> None:
    clock = MovableClock()
    web = await add_service(db, "web")
    context = context_on(db, clock).incidents
    current = await add_incident(db, web, "queue depth above 5000", START)
    first = await add_incident(
        db,
        web,
        "queue depth above 900",
        START - timedelta(hours=3),
        resolved_after=timedelta(hours=1),
    )
    assert [
        s.incident.id
        for s in (await context.of_incident(READER, current.id, ContextRequest())).similar
    ] == [first.id]

    # Resolved before the newest resolution: the fit does not see it until it ages.
    late = await add_incident(
        db,
        web,
        "queue depth above 1200",
        START - timedelta(hours=6),
        resolved_after=timedelta(hours=1),
    )
    kept = await context.of_incident(READER, current.id, ContextRequest())
    assert late.id not in [s.incident.id for s in kept.similar]

    clock.moment += FULL_RELOAD
    aged = await context.of_incident(READER, current.id, ContextRequest())
    assert late.id in [s.incident.id for s in aged.similar]

    newest = await add_incident(
        db,
        web,
        "queue depth above 3000",
        START - timedelta(minutes=30),
        resolved_after=timedelta(minutes=20),
    )
    refitted = await context.of_incident(READER, current.id, ContextRequest())
    assert newest.id in [s.incident.id for s in refitted.similar]


async def test_recent_changes_cover_the_service_and_what_it_calls_in_the_window(
    db: Database,
) -> None:
    clock = MovableClock()
    inventory, unrelated = await add_service(db, "inventory"), await add_service(db, "mail")
    web = await add_service(db, "web", depends_on=("inventory", "gone"))
    await add_change(db, web, "web v2 (5 min before)", START - timedelta(minutes=5))
    await add_change(db, inventory, "inventory v9 (59 min before)", START - timedelta(minutes=59))
    await add_change(db, web, "web v1 (3 h before)", START - timedelta(hours=3))
    await add_change(db, unrelated, "mail v4", START - timedelta(minutes=1))
    await add_change(db, web, "web v3 (after)", START + timedelta(minutes=1))
    current = await add_incident(db, web, "5xx above 2%", START)
    context = context_on(db, clock).incidents

    found = await context.of_incident(READER, current.id, ContextRequest(similar=0))
    wide = await context.of_incident(
        READER, current.id, ContextRequest(change_window=timedelta(hours=4), similar=0)
    )

    assert [c.summary for c in found.recent_changes] == [
        "web v2 (5 min before)",
        "inventory v9 (59 min before)",
    ]
    assert [c.summary for c in wide.recent_changes][-1] == "web v1 (3 h before)"
    assert found.similar == []


async def test_service_history_excludes_the_incident_itself(db: Database) -> None:
    clock = MovableClock()
    web = await add_service(db, "web")
    older = await add_incident(
        db, web, "disk full", START - timedelta(days=1), resolved_after=timedelta(minutes=30)
    )
    itself = await add_incident(
        db, web, "disk full", START - timedelta(hours=2), resolved_after=timedelta(minutes=45)
    )

    found = await context_on(db, clock).incidents.of_incident(
        READER, itself.id, ContextRequest(history=3)
    )

    assert [(p.incident.id, p.duration) for p in found.history] == [
        (older.id, timedelta(minutes=30))
    ]
    assert itself.id not in [s.incident.id for s in found.similar]


async def test_context_needs_read_and_a_known_incident(db: Database) -> None:
    context = context_on(db, MovableClock()).incidents
    key = Principal(PrincipalKind.INTEGRATION_KEY, "k1", "monitor")

    with pytest.raises(ForbiddenError):
        await context.of_incident(key, "whatever", ContextRequest())
    with pytest.raises(NotFoundError):
        await context.of_incident(READER, new_id(), ContextRequest())
