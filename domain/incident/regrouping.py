"""People regrouping alerts: merging incidents, splitting alerts out into a new one.

Each correction is written to the incidents, their timelines and the alerts first,
then kept as feedback for learning and told to the live correlator, and announced
last (events follow the writes). Counts are taken again from the alerts, not
adjusted, so a regrouping racing an ingest cannot leave them wrong for long.

Both need RESPOND on every incident involved, each in its own service's team.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from correlation import Correlator
from domain.alert.model import Alert, AlertStatus, worst
from domain.alert.repository import AlertRepository
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.errors import NotFoundError, ValidationError
from domain.events import EventPublisher, IncidentEvent, IncidentEventKind
from domain.feedback.model import AlertMove, Feedback, FeedbackKind
from domain.feedback.repository import FeedbackRepository
from domain.ids import new_id
from domain.incident.model import (
    Incident,
    IncidentStatus,
    TimelineEntry,
    TimelineKind,
    status_fields,
)
from domain.incident.repository import IncidentRepository
from domain.store.timestamps import to_ms
from domain.team.ownership import ServiceOwners
from domain.validation import require_text

MAX_MERGED = 50


@dataclass(frozen=True, slots=True)
class SplitOutcome:
    origin: Incident
    created: Incident


class IncidentRegrouping:
    def __init__(
        self,
        *,
        incidents: IncidentRepository,
        alerts: AlertRepository,
        feedback: FeedbackRepository,
        correlator: Correlator,
        owners: ServiceOwners,
        publisher: EventPublisher,
        clock: Clock,
    ) -> None:
        self._owners = owners
        self._incidents = incidents
        self._alerts = alerts
        self._feedback = feedback
        self._correlator = correlator
        self._publisher = publisher
        self._clock = clock

    async def merge(
        self, principal: Principal, target_id: str, source_ids: Sequence[str]
    ) -> Incident:
        """Move every alert of `source_ids` into `target_id`; the sources resolve, empty."""
        principal.require(Action.READ)
        sources = list(dict.fromkeys(source_ids))
        if not sources:
            raise ValidationError(
                "Name at least one incident to merge.",
                suggestion="Pass the ids of the incidents to merge in 'sourceIds'.",
                field="sourceIds",
            )
        if target_id in sources:
            raise ValidationError(
                "An incident cannot be merged into itself.",
                suggestion="Leave the target incident out of 'sourceIds'.",
                field="sourceIds",
            )
        if len(sources) > MAX_MERGED:
            raise ValidationError(
                f"At most {MAX_MERGED} incidents can be merged at once.", field="sourceIds"
            )
        found = await self._incidents.by_ids([target_id, *sources])
        missing = [i for i in [target_id, *sources] if i not in found]
        if missing:
            raise NotFoundError(
                f"No incident with id '{missing[0]}'.",
                suggestion="Check the ids: an incident merged before may be gone from lists.",
            )
        for incident in found.values():
            await self._owners.require(principal, Action.RESPOND, incident.service_id)
        members = await self._alerts.of_incidents([target_id, *sources])
        by_incident: dict[str, list[Alert]] = {i: [] for i in [target_id, *sources]}
        for alert in members:
            if alert.incident_id in by_incident:
                by_incident[alert.incident_id].append(alert)
        moved = [a for s in sources for a in by_incident[s]]
        now = self._clock.now()
        await self._alerts.link({target_id: [a.id for a in moved]} if moved else {})
        target = found[target_id]
        if moved or by_incident[target_id]:
            target = recounted(target, [*by_incident[target_id], *moved])
            await self._incidents.recount(target)
        await self._incidents.apply_updates(
            {
                source: {
                    "$set": {
                        **status_fields(IncidentStatus.RESOLVED),
                        "resolved_ms": to_ms(now),
                        "resolved_by": principal.actor,
                        "alert_count": 0,
                        "open_alert_count": 0,
                        "merged_into": target_id,
                    }
                }
                for source in sources
            }
        )
        numbers = ", ".join(f"#{found[s].number}" for s in sources)
        await self._incidents.add_timeline(
            [
                _entry(
                    target_id,
                    now,
                    TimelineKind.MERGED,
                    principal.actor,
                    f"Merged {numbers} into this incident ({len(moved)} alerts moved in).",
                    moved,
                    {"merged_incident_ids": sources},
                ),
                *(
                    _entry(
                        source,
                        now,
                        TimelineKind.MERGED,
                        principal.actor,
                        f"Merged into #{target.number}.",
                        by_incident[source],
                        {"merged_into": target_id},
                    )
                    for source in sources
                ),
            ]
        )
        sizes = [len(by_incident[i]) for i in [target_id, *sources]]
        together = (sum(sizes) ** 2 - sum(n * n for n in sizes)) // 2
        await self._feedback.insert(
            Feedback(
                id=new_id(),
                kind=FeedbackKind.MERGE,
                actor=principal.actor,
                at=now,
                incident_ids=(target_id, *sources),
                moves=tuple(AlertMove(a.id, a.incident_id or "", target_id) for a in moved),
                together_pairs=together,
                apart_pairs=0,
            )
        )
        self._correlator.merge(target_id, sources)
        after = await self._incidents.by_ids([target_id, *sources])
        await self._announce(IncidentEventKind.MERGED, [after[i] for i in [target_id, *sources]])
        return after[target_id]

    async def split(
        self,
        principal: Principal,
        incident_id: str,
        alert_ids: Sequence[str],
        title: str | None = None,
    ) -> SplitOutcome:
        """Move `alert_ids` out of `incident_id` into a new incident."""
        principal.require(Action.READ)
        chosen = list(dict.fromkeys(alert_ids))
        if not chosen:
            raise ValidationError(
                "Name at least one alert to split out.",
                suggestion="Pass the ids of the alerts to move in 'alertIds'.",
                field="alertIds",
            )
        if title is not None:
            title = require_text(title, field="title", max_length=1024)
        found = await self._incidents.by_ids([incident_id])
        if incident_id not in found:
            raise NotFoundError(f"No incident with id '{incident_id}'.")
        origin = found[incident_id]
        await self._owners.require(principal, Action.RESPOND, origin.service_id)
        members = await self._alerts.of_incident(incident_id)
        member_ids = {a.id for a in members}
        strangers = [a for a in chosen if a not in member_ids]
        if strangers:
            raise ValidationError(
                f"Alert '{strangers[0]}' does not belong to incident #{origin.number}.",
                suggestion="Split only alerts of the incident named in 'incidentId'.",
                field="alertIds",
            )
        if len(chosen) == len(members):
            raise ValidationError(
                "Splitting out every alert would leave the incident empty.",
                suggestion="Leave at least one alert in the incident.",
                field="alertIds",
            )
        moving = set(chosen)
        moved = sorted((a for a in members if a.id in moving), key=lambda a: a.occurred_at)
        kept = [a for a in members if a.id not in moving]
        now = self._clock.now()
        number = await self._incidents.allocate_numbers(1)
        firing = any(a.status is AlertStatus.FIRING for a in moved)
        created = recounted(
            Incident(
                id=new_id(),
                number=number,
                title=title or moved[0].summary,
                status=IncidentStatus.TRIGGERED if firing else IncidentStatus.RESOLVED,
                severity=moved[0].severity,
                service_id=moved[0].service_id,
                created_at=now,
                first_event_at=moved[0].occurred_at,
                last_event_at=moved[-1].occurred_at,
                alert_count=0,
                open_alert_count=0,
                resolved_at=None if firing else now,
                resolved_by=None if firing else principal.actor,
            ),
            moved,
        )
        await self._incidents.insert_many([created])
        await self._alerts.link({created.id: [a.id for a in moved]})
        origin = recounted(origin, kept)
        await self._incidents.recount(origin)
        await self._incidents.add_timeline(
            [
                _entry(
                    incident_id,
                    now,
                    TimelineKind.SPLIT,
                    principal.actor,
                    f"{len(moved)} alerts split out into #{created.number}.",
                    moved,
                    {"split_into": created.id},
                ),
                _entry(
                    created.id,
                    now,
                    TimelineKind.SPLIT,
                    principal.actor,
                    f"Split out of #{origin.number} with {len(moved)} alerts.",
                    moved,
                    {"split_from": incident_id},
                ),
            ]
        )
        await self._feedback.insert(
            Feedback(
                id=new_id(),
                kind=FeedbackKind.SPLIT,
                actor=principal.actor,
                at=now,
                incident_ids=(incident_id, created.id),
                moves=tuple(AlertMove(a.id, incident_id, created.id) for a in moved),
                together_pairs=0,
                apart_pairs=len(moved) * len(kept),
            )
        )
        self._correlator.split(incident_id, moving, created.id)
        after = await self._incidents.by_ids([incident_id, created.id])
        await self._announce(IncidentEventKind.SPLIT, [after[incident_id], after[created.id]])
        return SplitOutcome(after[incident_id], after[created.id])

    async def _announce(self, kind: IncidentEventKind, incidents: list[Incident]) -> None:
        await self._publisher.publish(
            [
                IncidentEvent(
                    kind=kind,
                    incident_id=incident.id,
                    service_id=incident.service_id,
                    committed_at=self._clock.now(),
                    incident=incident.to_document(),
                )
                for incident in incidents
            ]
        )


def recounted(incident: Incident, members: list[Alert]) -> Incident:
    """The incident with counts, event-time bounds and severity taken from its alerts."""
    moments = [a.occurred_at for a in members]
    return dataclasses.replace(
        incident,
        alert_count=len(members),
        open_alert_count=sum(1 for a in members if a.status is AlertStatus.FIRING),
        first_event_at=min(moments),
        last_event_at=max(moments),
        severity=worst(a.severity for a in members),
    )


def _entry(
    incident_id: str,
    at: datetime,
    kind: TimelineKind,
    actor: str,
    message: str,
    alerts: list[Alert],
    extra: dict[str, object],
) -> TimelineEntry:
    return TimelineEntry(
        id=new_id(),
        incident_id=incident_id,
        at=at,
        kind=kind,
        actor=actor,
        message=message,
        details={"alert_ids": [a.id for a in alerts], **extra},
    )
