"""Where each alert of a batch goes, decided before anything is written.

The plan is pure: built from the correlator's decisions and the open incidents
as read, it says which incidents to open, how existing ones grow, and what the
timeline records. Alerts that turn out to be taken by a concurrent sender can be
dropped from it before the incidents are written.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime

from correlation import Decision
from domain.alert.model import Alert, worst
from domain.ids import new_id
from domain.incident.model import Incident, IncidentStatus, TimelineEntry, TimelineKind
from domain.store.database import Document
from domain.store.timestamps import to_ms


@dataclass
class AttachmentPlan:
    now: datetime
    opened: dict[str, int] = field(default_factory=dict)
    """New incident id -> its number."""
    existing: dict[str, Incident] = field(default_factory=dict)
    """Open incidents that alerts join, as read before the batch."""
    members: dict[str, list[Alert]] = field(default_factory=dict)
    """Incident id -> the alerts of this batch joining it."""
    reasons: dict[str, str] = field(default_factory=dict)
    groups: dict[int, str] = field(default_factory=dict)
    """The correlator's new-incident number -> the id the incident gets."""

    @property
    def empty(self) -> bool:
        return not self.members

    @property
    def new_ids(self) -> set[str]:
        return set(self.opened) & set(self.members)

    @property
    def grown_ids(self) -> set[str]:
        return set(self.existing) & set(self.members)

    def drop(self, alert_ids: set[str]) -> None:
        """Take alerts out of the plan (they were stored by someone else first)."""
        for incident_id in list(self.members):
            kept = [a for a in self.members[incident_id] if a.id not in alert_ids]
            for alert in self.members[incident_id]:
                if alert.id in alert_ids:
                    alert.incident_id = None
            if kept:
                self.members[incident_id] = kept
            else:
                del self.members[incident_id]

    def new_incidents(self) -> list[Incident]:
        return [self._opened(incident_id) for incident_id in sorted(self.new_ids)]

    def growth(self) -> dict[str, Document]:
        """MongoDB updates for the open incidents that alerts join."""
        return {i: _growth(self.existing[i], self.members[i]) for i in sorted(self.grown_ids)}

    def incidents_after(self) -> dict[str, Incident]:
        """Every incident of the plan as it is once the plan is written."""
        after = {incident.id: incident for incident in self.new_incidents()}
        for incident_id in self.grown_ids:
            before, joined = self.existing[incident_id], self.members[incident_id]
            after[incident_id] = dataclasses.replace(
                before,
                alert_count=before.alert_count + len(joined),
                open_alert_count=before.open_alert_count + len(joined),
                first_event_at=min(before.first_event_at, *(a.occurred_at for a in joined)),
                last_event_at=max(before.last_event_at, *(a.occurred_at for a in joined)),
                severity=worst([before.severity, *(a.severity for a in joined)]),
            )
        return after

    def timeline(self, actor: str) -> list[TimelineEntry]:
        """The entries of incidents the batch grew. Those it opened keep their opening on
        themselves (`openings`)."""
        return [
            self._entry(incident_id, new_id(), TimelineKind.ALERTS_ADDED, actor)
            for incident_id in sorted(self.grown_ids)
        ]

    def openings(self, actor: str) -> dict[str, TimelineEntry]:
        """The opening entry of each incident the batch opens, written with the incident
        (see domain/incident/opening.py): id -> entry, under the incident's id."""
        return {
            incident_id: self._entry(incident_id, incident_id, TimelineKind.OPENED, actor)
            for incident_id in sorted(self.new_ids)
        }

    def _entry(
        self, incident_id: str, entry_id: str, kind: TimelineKind, actor: str
    ) -> TimelineEntry:
        joined = sorted(self.members[incident_id], key=lambda a: a.occurred_at)
        if kind is TimelineKind.OPENED:
            message = f"Opened by alert: {joined[0].summary}"
        else:
            count = len(joined)
            message = f"{count} alert{'s' if count > 1 else ''} added: {joined[0].summary}"
        return TimelineEntry(
            id=entry_id,
            incident_id=incident_id,
            at=self.now,
            kind=kind,
            actor=actor,
            message=message,
            details={"alert_ids": [a.id for a in joined], "reason": self.reasons[incident_id]},
        )

    def _opened(self, incident_id: str) -> Incident:
        return opened_incident(
            incident_id, self.opened[incident_id], self.members[incident_id], self.now
        )


def opened_incident(incident_id: str, number: int, alerts: list[Alert], at: datetime) -> Incident:
    """The incident these alerts open: titled after the earliest by event time."""
    group = sorted(alerts, key=lambda a: a.occurred_at)
    return Incident(
        id=incident_id,
        number=number,
        title=group[0].summary,
        status=IncidentStatus.TRIGGERED,
        severity=worst([a.severity for a in group]),
        service_id=group[0].service_id,
        created_at=at,
        first_event_at=group[0].occurred_at,
        last_event_at=group[-1].occurred_at,
        alert_count=len(group),
        open_alert_count=len(group),
    )


def plan_attachment(
    alerts: list[Alert],
    decisions: list[Decision],
    open_incidents: list[Incident],
    numbers: list[int],
    now: datetime,
) -> AttachmentPlan:
    """The plan for these decisions; sets each alert's `incident_id` in memory."""
    plan = AttachmentPlan(now=now)
    known = {incident.id: incident for incident in open_incidents}
    for alert, decision in zip(alerts, decisions, strict=True):
        if decision.incident_id is not None:
            incident_id = decision.incident_id
            plan.existing[incident_id] = known[incident_id]
        else:
            assert decision.new_incident is not None
            if decision.new_incident not in plan.groups:
                plan.groups[decision.new_incident] = new_id()
                plan.opened[plan.groups[decision.new_incident]] = numbers[len(plan.groups) - 1]
            incident_id = plan.groups[decision.new_incident]
        alert.incident_id = incident_id
        plan.members.setdefault(incident_id, []).append(alert)
        plan.reasons.setdefault(incident_id, decision.reason)
    return plan


def count_new_incidents(decisions: list[Decision]) -> int:
    return len({d.new_incident for d in decisions if d.new_incident is not None})


def _growth(incident: Incident, joined: list[Alert]) -> Document:
    update: Document = {
        "$inc": {"alert_count": len(joined), "open_alert_count": len(joined)},
        "$max": {"last_event_ms": to_ms(max(a.occurred_at for a in joined))},
        "$min": {"first_event_ms": to_ms(min(a.occurred_at for a in joined))},
    }
    joined_worst = worst(a.severity for a in joined)
    if joined_worst.rank > incident.severity.rank:
        update["$set"] = {"severity": joined_worst.value}
    return update
