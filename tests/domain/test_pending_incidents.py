"""What a batch sees of incidents other batches planned but have not written."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from correlation import Decision
from domain.alert.model import Alert
from domain.ids import new_id
from domain.incident.model import Incident, IncidentStatus
from domain.ingest.pending import PendingIncidents
from domain.ingest.plan import plan_attachment
from tests.support import stored_alert, stored_incident

T0 = datetime(2026, 11, 26, 9, tzinfo=UTC)


def incident(
    incident_id: str,
    *,
    count: int,
    last: datetime,
    status: IncidentStatus = IncidentStatus.TRIGGERED,
) -> Incident:
    return stored_incident(
        incident_id=incident_id,
        service_id="svc",
        at=T0,
        last_event_at=last,
        alerts=count,
        status=status,
    )


def alert_at(at: datetime) -> Alert:
    return stored_alert(service_id="svc", service="db", at=at, dedup_key=new_id())


def seen_now(
    pending: PendingIncidents, stored: list[Incident], wanted: set[str] | None
) -> list[Incident]:
    """What a batch whose store read begins now correlates against."""
    with pending.reading() as read:
        return pending.merged_with(read, stored, wanted)


async def test_a_planned_incident_is_seen_before_it_is_stored() -> None:
    pending = PendingIncidents()
    alert = alert_at(T0)
    plan = plan_attachment([alert], [Decision(alert.id, None, 1, 1.0, "new")], [], [7], T0)
    hold = pending.hold(plan)
    (seen,) = seen_now(pending, [], {"svc"})
    assert seen.id == alert.incident_id and seen.number == 7
    assert seen_now(pending, [], {"other"}) == []
    with pending.writing(hold):
        pass
    assert seen_now(pending, [], None) == [], "a read that begins now finds it in the store"


async def test_growth_waits_for_the_insert_of_an_incident_opened_by_another_batch() -> None:
    pending = PendingIncidents()
    first = alert_at(T0)
    opening = plan_attachment([first], [Decision(first.id, None, 1, 1.0, "new")], [], [7], T0)
    opener = pending.hold(opening)
    (planned,) = seen_now(pending, [], {"svc"})

    later = alert_at(T0 + timedelta(seconds=5))
    growing = plan_attachment(
        [later], [Decision(later.id, planned.id, None, 0.9, "joined")], [planned], [], T0
    )
    grower = pending.hold(growing)
    assert list(grower.depends_on) == [planned.id]
    assert [i.id for i in grower.dependency_documents] == [planned.id]
    inserted = grower.depends_on[planned.id]
    assert not inserted.done()
    (merged,) = seen_now(pending, [], {"svc"})
    assert merged.alert_count == 2 and merged.last_event_at == T0 + timedelta(seconds=5)

    with pending.writing(opener):
        pending.inserted(opener)
    await asyncio.wait_for(inserted, 1)
    with pending.writing(grower):
        pass
    assert seen_now(pending, [], None) == []


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
    (merged,) = seen_now(pending, [acknowledged], {"svc"})
    assert merged.alert_count == 5
    assert merged.last_event_at == T0 + timedelta(minutes=2)
    assert merged.status is IncidentStatus.ACKNOWLEDGED


async def test_a_read_that_began_before_a_write_finished_still_sees_what_it_wrote() -> None:
    pending = PendingIncidents()
    alert = alert_at(T0)
    plan = plan_attachment([alert], [Decision(alert.id, None, 1, 1.0, "new")], [], [7], T0)
    hold = pending.hold(plan)
    with pending.reading() as early:  # its store read may not show the incident yet
        with pending.writing(hold):
            pending.inserted(hold)
        (seen,) = pending.merged_with(early, [], {"svc"})
        assert seen.id == alert.incident_id
        assert seen_now(pending, [], None) == [], "a later read finds it in the store"
    assert not pending._settled, "forgotten once no earlier read is left"
