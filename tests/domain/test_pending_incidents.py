"""What a batch sees of incidents other batches planned but have not written."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from correlation import Decision
from domain.alert.model import Alert, Severity
from domain.ids import new_id
from domain.incident.model import Incident, IncidentStatus
from domain.ingest.pending import PendingIncidents
from domain.ingest.plan import plan_attachment
from tests.support import stored_alert

T0 = datetime(2026, 11, 26, 9, tzinfo=UTC)


def incident(
    incident_id: str,
    *,
    count: int,
    last: datetime,
    status: IncidentStatus = IncidentStatus.TRIGGERED,
) -> Incident:
    return Incident(
        id=incident_id,
        number=1,
        title="disk full",
        status=status,
        severity=Severity.WARNING,
        service_id="svc",
        created_at=T0,
        first_event_at=T0,
        last_event_at=last,
        alert_count=count,
        open_alert_count=count,
    )


def alert_at(at: datetime) -> Alert:
    return stored_alert(service_id="svc", service="db", at=at, dedup_key=new_id())


async def test_a_planned_incident_is_seen_before_it_is_stored() -> None:
    pending = PendingIncidents()
    alert = alert_at(T0)
    plan = plan_attachment([alert], [Decision(alert.id, None, 1, 1.0, "new")], [], [7], T0)
    hold = pending.hold(plan)
    (seen,) = pending.merged_with([], {"svc"})
    assert seen.id == alert.incident_id and seen.number == 7
    assert pending.merged_with([], {"other"}) == []
    with pending.writing(plan, hold):
        pass
    assert pending.merged_with([], None) == [], "forgotten once written"


async def test_growth_waits_for_the_insert_of_an_incident_opened_by_another_batch() -> None:
    pending = PendingIncidents()
    first = alert_at(T0)
    opening = plan_attachment([first], [Decision(first.id, None, 1, 1.0, "new")], [], [7], T0)
    opener = pending.hold(opening)
    (planned,) = pending.merged_with([], {"svc"})

    later = alert_at(T0 + timedelta(seconds=5))
    growing = plan_attachment(
        [later], [Decision(later.id, planned.id, None, 0.9, "joined")], [planned], [], T0
    )
    grower = pending.hold(growing)
    assert list(grower.depends_on) == [planned.id]
    assert [i.id for i in grower.dependency_documents] == [planned.id]
    inserted = grower.depends_on[planned.id]
    assert not inserted.done()
    (merged,) = pending.merged_with([], {"svc"})
    assert merged.alert_count == 2 and merged.last_event_at == T0 + timedelta(seconds=5)

    with pending.writing(opening, opener):
        pending.inserted(opener)
    await asyncio.wait_for(inserted, 1)
    with pending.writing(growing, grower):
        pass
    assert pending.merged_with([], None) == []


async def test_the_store_view_and_the_pending_view_merge_to_the_further_of_each() -> None:
    pending = PendingIncidents()
    stored = incident("i1", count=3, last=T0 + timedelta(minutes=1))
    alert = alert_at(T0 + timedelta(minutes=2))
    plan = plan_attachment(
        [alert], [Decision(alert.id, "i1", None, 0.9, "joined")], [stored], [], T0
    )
    pending.hold(plan)
    # Meanwhile a responder acknowledged it, and another process's alert was counted.
    acknowledged = incident(
        "i1", count=5, last=T0 + timedelta(minutes=1), status=IncidentStatus.ACKNOWLEDGED
    )
    (merged,) = pending.merged_with([acknowledged], {"svc"})
    assert merged.alert_count == 5
    assert merged.last_event_at == T0 + timedelta(minutes=2)
    assert merged.status is IncidentStatus.ACKNOWLEDGED
