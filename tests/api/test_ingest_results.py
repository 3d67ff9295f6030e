"""The results of `ingestAlerts`, built from the domain's outcomes."""

from __future__ import annotations

from datetime import UTC, datetime

from api.schema.enums import IngestOutcomeKind
from api.schema.ingest import IngestResult
from domain.ingest.model import IngestOutcome
from tests.support import stored_alert, stored_incident

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_what_outcomes_share_is_converted_once_and_each_keeps_its_own() -> None:
    incident = stored_incident(service_id="svc", at=T0, alerts=2)
    first, second = (
        stored_alert(service_id="svc", service="api", at=T0, dedup_key=key, incident_id=incident.id)
        for key in ("a", "b")
    )
    outcomes = [
        IngestOutcome(IngestOutcomeKind.CREATED, first, incident),
        IngestOutcome(IngestOutcomeKind.CREATED, second, incident),
        IngestOutcome(IngestOutcomeKind.DEDUPLICATED, first, incident),
        IngestOutcome(IngestOutcomeKind.IGNORED, None, None),
    ]
    results = IngestResult.all_from_domain(outcomes)
    assert [r.outcome for r in results] == [o.kind for o in outcomes]
    assert [r.deduplicated for r in results] == [False, False, True, False]
    assert [r.alert.id if r.alert else None for r in results] == [
        first.id,
        second.id,
        first.id,
        None,
    ]
    assert results[0].alert is results[2].alert, "a repeated alert is converted once"
    assert results[0].incident is results[1].incident is results[2].incident
    assert results[0].incident is not None and results[0].incident.id == incident.id
    assert results[0].incident.alert_count == 2
    assert results[3].incident is None
